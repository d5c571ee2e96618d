/** Portfolio upload limits, shared by the route handler and the browser form (no server-only imports here). */

/** Largest portfolio file accepted (5 MB: about 50,000 asset rows); README "Bid congestion manager". */
export const MAX_PORTFOLIO_BYTES = 5 * 1024 * 1024;

export const PORTFOLIO_FILE_PATTERN = /\.(csv|json)$/i;

export function portfolioTooLargeMessage(bytes: number | null): string {
  const size = bytes === null ? "more than 5 MB" : `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  return `the file is too large (${size}); the limit for a portfolio is 5 MB`;
}

/** Largest balancing-power request the bid congestion manager accepts, MW (magnitude). */
export const MAX_REQUEST_MW = 1000;
