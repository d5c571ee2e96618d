import { ApiError } from "./errors";
import { MAX_UPLOAD_BYTES, tooLargeMessage } from "./upload-limits";

export { MAX_UPLOAD_BYTES } from "./upload-limits";

/** Room for the multipart envelope around the file. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

export interface GridUpload {
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

/**
 * The grid file of a multipart/form-data upload (field `file`, optional field `name`),
 * as UTF-8 text. Size and encoding are checked here; the content by the importer.
 */
export async function readGridUpload(req: Request): Promise<GridUpload> {
  const type = req.headers.get("content-type") ?? "";
  if (!type.toLowerCase().startsWith("multipart/form-data")) {
    throw new ApiError("unsupported_media_type", "send the grid file as multipart/form-data with a field named 'file'");
  }
  const body = await readBodyLimited(req, MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD_BYTES);
  let form: FormData;
  try {
    form = await new Response(body, { headers: { "content-type": type } }).formData();
  } catch {
    throw new ApiError("bad_request", "the upload is not valid multipart/form-data");
  }
  const file = form.get("file");
  if (!(file instanceof File)) throw new ApiError("bad_request", "no file in the upload (expected a form field named 'file')");
  if (file.size > MAX_UPLOAD_BYTES) throw new ApiError("payload_too_large", tooLargeMessage(file.size));
  const fileName = (file.name || "upload").replace(/^.*[\\/]/, "");
  if (!/\.(m|json)$/i.test(fileName)) {
    throw new ApiError("bad_request", `${fileName}: unsupported file type; upload a MATPOWER case (.m) or a project network (.json)`);
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(await file.arrayBuffer());
  } catch {
    throw new ApiError("bad_request", `${fileName}: the file is not UTF-8 text`);
  }
  const name = form.get("name");
  return { fileName, text, name: typeof name === "string" ? name : undefined };
}
