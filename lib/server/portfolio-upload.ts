import "server-only";
import { BidFormatError, parseAggregatedBidsFile, type AggregatedBid } from "@/lib/market";
import { ApiError } from "./api-error";
import { fileFromMultipart, type FileUploadRules } from "./upload";
import { MAX_PORTFOLIO_BYTES, PORTFOLIO_FILE_PATTERN, portfolioTooLargeMessage } from "@/lib/limits/uploads";

/** What a portfolio upload accepts (the BCM's aggregators: .csv or .json, up to 5 MB). */
export const PORTFOLIO_UPLOAD: FileUploadRules = {
  what: "the portfolio",
  maxBytes: MAX_PORTFOLIO_BYTES,
  tooLargeMessage: portfolioTooLargeMessage,
  accept: PORTFOLIO_FILE_PATTERN,
  acceptHint: "upload aggregated bids as .csv or .json",
  defaultName: "portfolio",
};

/** A portfolio file's refusal as the API answers it: 400 with the message, prefixed with the file name. */
export function portfolioError(fileName: string, e: unknown): unknown {
  if (e instanceof BidFormatError) return new ApiError("bad_request", e.message.startsWith(fileName) ? e.message : `${fileName}: ${e.message}`);
  return e;
}

/** Parse the portfolio file of a multipart body (on the worker pool): its name, the form's name field and the bids. */
export async function parsePortfolioUpload(body: Uint8Array<ArrayBuffer>, contentType: string): Promise<{ fileName: string; name?: string; bids: AggregatedBid[] }> {
  const upload = await fileFromMultipart(body, contentType, PORTFOLIO_UPLOAD);
  if (!upload.text.trim()) throw new ApiError("bad_request", `${upload.fileName}: the file is empty`);
  try {
    return { fileName: upload.fileName, name: upload.name, bids: parseAggregatedBidsFile(upload.fileName, upload.text) };
  } catch (e) {
    throw portfolioError(upload.fileName, e);
  }
}
