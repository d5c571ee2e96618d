"use client";

import { FileUploadForm } from "../forms/file-upload-form";
import { TEMPLATE_URL, uploadPortfolio } from "./api";
import type { PortfolioSummary } from "@/lib/wire/bcm";
import { MAX_PORTFOLIO_BYTES, PORTFOLIO_FILE_PATTERN, portfolioTooLargeMessage } from "@/lib/limits/uploads";

/** Upload of aggregated bids (CSV or JSON); the server's parser and the BCM's placement check them before anything is stored. */
export function PortfolioUploadForm({ onUploaded }: { onUploaded: (p: PortfolioSummary) => void }) {
  return (
    <FileUploadForm
      title="Upload a portfolio"
      id="portfolio"
      fileLabel="Aggregated bids"
      accept=".csv,.json"
      hint="CSV (one row per asset) or JSON, up to 5 MB. Every asset must sit in a grid whose DSO published a light model; checked before it is stored."
      headerExtra={
        <a className="btn btn-small" href={TEMPLATE_URL} download data-testid="portfolio-template">
          Download an example
        </a>
      }
      testIds={{ file: "portfolio-file", error: "portfolio-upload-error", ok: "portfolio-upload-ok" }}
      noFileMessage="choose a portfolio file first"
      namePlaceholder="from the file name"
      precheck={(file) =>
        !PORTFOLIO_FILE_PATTERN.test(file.name)
          ? `${file.name}: unsupported file type; upload aggregated bids as .csv or .json`
          : file.size > MAX_PORTFOLIO_BYTES
            ? `${file.name}: ${portfolioTooLargeMessage(file.size)}`
            : null
      }
      upload={async (file, name) => {
        const p = await uploadPortfolio(file, name);
        onUploaded(p);
        return `${p.name}: ${p.bidCount} aggregated bid${p.bidCount === 1 ? "" : "s"} accepted`;
      }}
    />
  );
}
