import "server-only";
import { ApiError } from "./api-error";
import { MAX_UPLOAD_BYTES, tooLargeMessage } from "@/lib/limits/uploads";

export { MAX_UPLOAD_BYTES } from "@/lib/limits/uploads";

/** Room for the multipart envelope around the file. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

/** An uploaded file as UTF-8 text, with the optional name the form gave it. */
export interface FileUpload {
  fileName: string;
  text: string;
  name?: string;
}

/** Read at most `limit` bytes of the body; refuses larger bodies without buffering them. */
export async function readBodyLimited(req: Request, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(req.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) throw new ApiError("payload_too_large", tooLargeMessage(null));
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      throw new ApiError("payload_too_large", tooLargeMessage(null));
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** What one kind of file upload accepts (the grid upload, the BCM's portfolio upload). */
export interface FileUploadRules {
  /** How the message names the file, e.g. "the grid file". */
  what: string;
  maxBytes: number;
  tooLargeMessage: (bytes: number | null) => string;
  /** File names accepted, e.g. /\.(m|json)$/i, and what to say otherwise. */
  accept: RegExp;
  acceptHint: string;
  defaultName: string;
}

export const GRID_UPLOAD: FileUploadRules = {
  what: "the grid file",
  maxBytes: MAX_UPLOAD_BYTES,
  tooLargeMessage,
  accept: /\.(m|json)$/i,
  acceptHint: "upload a MATPOWER case (.m) or a project network (.json)",
  defaultName: "upload",
};

/** The raw multipart body of an upload (415 unless multipart, 413 beyond the rules' size): what the worker pool parses. */
export async function readUploadBody(req: Request, rules: FileUploadRules): Promise<{ body: Uint8Array<ArrayBuffer>; contentType: string }> {
  const type = req.headers.get("content-type") ?? "";
  if (!type.toLowerCase().startsWith("multipart/form-data")) {
    throw new ApiError("unsupported_media_type", `send ${rules.what} as multipart/form-data with a field named 'file'`);
  }
  try {
    return { body: await readBodyLimited(req, rules.maxBytes + MULTIPART_OVERHEAD_BYTES), contentType: type };
  } catch (e) {
    throw e instanceof ApiError && e.code === "payload_too_large" ? new ApiError("payload_too_large", rules.tooLargeMessage(null)) : e;
  }
}

/**
 * The file (and optional name) of a multipart body: the form parsed, the file's size,
 * name and UTF-8 encoding checked. Parsing and decoding a 20 MB body takes a few hundred
 * milliseconds, so uploads run this on the worker pool (lib/server/pool tasks).
 */
export async function fileFromMultipart(body: Uint8Array<ArrayBuffer>, type: string, rules: FileUploadRules): Promise<FileUpload> {
  let form: FormData;
  try {
    form = await new Response(body, { headers: { "content-type": type } }).formData();
  } catch {
    throw new ApiError("bad_request", "the upload is not valid multipart/form-data");
  }
  const file = form.get("file");
  if (!(file instanceof File)) throw new ApiError("bad_request", "no file in the upload (expected a form field named 'file')");
  if (file.size > rules.maxBytes) throw new ApiError("payload_too_large", rules.tooLargeMessage(file.size));
  // Control characters out of the name: it is shown to people, and PostgreSQL's text cannot hold NUL.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters (C0 and DEL) is the point
  const fileName = (file.name || rules.defaultName).replace(/^.*[\\/]/, "").replace(/[\u0000-\u001f\u007f]/g, "");
  if (!rules.accept.test(fileName)) throw new ApiError("bad_request", `${fileName}: unsupported file type; ${rules.acceptHint}`);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(await file.arrayBuffer());
  } catch {
    throw new ApiError("bad_request", `${fileName}: the file is not UTF-8 text`);
  }
  const name = form.get("name");
  // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is removed because PostgreSQL's text cannot hold it
  return { fileName, text, name: typeof name === "string" ? name.replace(/\u0000/g, "") : undefined };
}
