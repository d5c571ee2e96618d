/** Upload limits, shared by the route handler and the browser form (no server-only imports here). */

/** Largest grid file accepted (20 MB); README "File formats". */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

export function formatMegabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

const LIMIT_TEXT = `${MAX_UPLOAD_BYTES / (1024 * 1024)} MB`;

export function tooLargeMessage(bytes: number | null): string {
  const mb = bytes === null ? "" : formatMegabytes(bytes);
  const size = bytes === null ? `more than ${LIMIT_TEXT}` : parseFloat(mb) > MAX_UPLOAD_BYTES / (1024 * 1024) ? mb : `${bytes.toLocaleString("en")} bytes`;
  return `the file is too large (${size}); the limit is ${LIMIT_TEXT}`;
}
