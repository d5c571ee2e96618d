import { MAX_GRID_FILE_BYTES } from "./index";

/**
 * Upload limits and their messages, shared by the route handlers (lib/server/upload.ts,
 * portfolio-upload.ts) and the browser's forms, which refuse a file before sending it.
 * Pure constants and functions: no server code here.
 */

/** Largest file a multipart upload accepts (grids, buildings, transmission grids): the grid file limit, 20 MB; README "File formats". */
export const MAX_UPLOAD_BYTES = MAX_GRID_FILE_BYTES;

function formatMegabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

const LIMIT_TEXT = `${MAX_UPLOAD_BYTES / (1024 * 1024)} MB`;

export function tooLargeMessage(bytes: number | null): string {
  const mb = bytes === null ? "" : formatMegabytes(bytes);
  const size = bytes === null ? `more than ${LIMIT_TEXT}` : parseFloat(mb) > MAX_UPLOAD_BYTES / (1024 * 1024) ? mb : `${bytes.toLocaleString("en")} bytes`;
  return `the file is too large (${size}); the limit is ${LIMIT_TEXT}`;
}

/** Largest portfolio file accepted (5 MB: about 50,000 asset rows); README "Bid congestion manager". */
export const MAX_PORTFOLIO_BYTES = 5 * 1024 * 1024;

export const PORTFOLIO_FILE_PATTERN = /\.(csv|json)$/i;

export function portfolioTooLargeMessage(bytes: number | null): string {
  const size = bytes === null ? "more than 5 MB" : `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  return `the file is too large (${size}); the limit for a portfolio is 5 MB`;
}

/** Largest balancing-power request the bid congestion manager accepts, MW (magnitude). */
export const MAX_REQUEST_MW = 1000;
