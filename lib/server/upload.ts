import "server-only";
import { setImmediate as yieldToLoop } from "node:timers/promises";
import { ApiError } from "./errors";
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

/**
 * Bytes copied between turns of the event loop while a body is read. A body the client
 * sent faster than it is read sits whole in the stream's queue, and each `read()` then
 * resolves at once: without a pause the copy of 12 MB (and the page faults of writing
 * fresh memory, about 250 ms on a busy machine) ran as one task and held every other request.
 */
const BODY_COPY_SLICE_BYTES = 256 * 1024;

/**
 * Read at most `limit` bytes of the body; refuses larger bodies without buffering them.
 * Copied into one buffer (sized by Content-Length when declared, so no regrowth) a slice
 * at a time, with a turn of the event loop after each BODY_COPY_SLICE_BYTES: the buffer
 * is what a pool task receives (transferred, not copied again).
 */
export async function readBodyLimited(req: Request, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(req.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) throw new ApiError("payload_too_large", tooLargeMessage(null));
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  let out = new Uint8Array(Number.isFinite(declared) && declared > 0 ? declared : 64 * 1024);
  let total = 0;
  let sinceYield = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (total + value.byteLength > limit) {
      await reader.cancel();
      throw new ApiError("payload_too_large", tooLargeMessage(null));
    }
    if (total + value.byteLength > out.byteLength) {
      const grown = new Uint8Array(Math.min(limit, Math.max(2 * out.byteLength, total + value.byteLength)));
      grown.set(out.subarray(0, total));
      out = grown;
    }
    // A chunk larger than a slice (a test's whole body) is copied a slice at a time too.
    for (let at = 0; at < value.byteLength; ) {
      const n = Math.min(value.byteLength - at, BODY_COPY_SLICE_BYTES - sinceYield);
      out.set(value.subarray(at, at + n), total);
      total += n;
      at += n;
      sinceYield += n;
      if (sinceYield >= BODY_COPY_SLICE_BYTES) {
        sinceYield = 0;
        await yieldToLoop();
      }
    }
  }
  return total === out.byteLength ? out : out.slice(0, total);
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
