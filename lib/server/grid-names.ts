import "server-only";
import { ApiError } from "./api-error";

/** Longest grid name kept. */
const MAX_GRID_NAME_LENGTH = 120;

/**
 * A grid name as stored: control characters (line breaks, tabs…) become spaces,
 * runs of white space one space, trimmed, at most 120 characters. A name reaches
 * other operators (the TSO, aggregators' files), so it is one plain line.
 */
export function cleanGridName(raw: string): string {
  const name = raw
    .replace(/[\p{Cc}\u2028\u2029]/gu, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, MAX_GRID_NAME_LENGTH)
    .trim();
  if (!name) throw new ApiError("bad_request", "name: a grid needs a name");
  return name;
}

/**
 * The key that makes published grid names unique: Unicode-normalized (NFKC), white
 * space collapsed, trimmed, lower case. "Bergwald  (Generated District)" and
 * "bergwald (generated district)" are the same name on the market.
 */
export function publishedNameKey(name: string): string {
  return name.normalize("NFKC").replace(/\s+/g, " ").trim().toLowerCase();
}

export function nameTakenMessage(name: string): string {
  return `another grid on the market is already published as '${name}'; rename this grid before publishing it`;
}
