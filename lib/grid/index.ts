import { GridFormatError } from "./errors";
import { parseNetworkJson } from "./json";
import { parseMatpowerCase } from "./matpower";
import type { Network } from "./types";

export * from "./types";
export { GridFormatError, GridLimitError } from "./errors";
export { parseMatpowerCase, writeMatpowerCase } from "./matpower";
export { parseNetworkJson, writeNetworkJson } from "./json";
export { validateNetwork } from "./validate";

export type GridFileFormat = "matpower" | "json";

/** Guess the format from the file name, falling back to the content. */
export function detectGridFormat(fileName: string, text: string): GridFileFormat {
  const lower = fileName.toLowerCase();
  if (lower.endsWith(".m")) return "matpower";
  if (lower.endsWith(".json")) return "json";
  return text.trimStart().startsWith("{") ? "json" : "matpower";
}

/** Parse a grid file of either supported format; throws GridFormatError on bad input. */
export function parseGridFile(fileName: string, text: string): Network {
  const format = detectGridFormat(fileName, text);
  const base = fileName.replace(/^.*[\\/]/, "").replace(/\.(m|json)$/i, "");
  if (format === "json") return parseNetworkJson(text);
  const net = parseMatpowerCase(text);
  if (net.name === "case" && base) net.name = base;
  return net;
}

export function describeGridError(e: unknown): string {
  if (e instanceof GridFormatError) return e.message;
  return `unexpected error: ${(e as Error)?.message ?? String(e)}`;
}
