import { z } from "zod";
import { BID_LIMITS, formatCount } from "../limits";
import { checkTextBytes, scanJsonText } from "../limits/json-scan";
import { BidFormatError, cellText, validateBids, type Bid } from "../clearing/bid";

// The bid and its checks belong to the clearing, which this folder builds on.
export { BidFormatError, cellText, validateBids, type Bid } from "../clearing/bid";

export const BID_CSV_COLUMNS = [
  "id",
  "owner",
  "location",
  "volumeMW",
  "priceEURperMWh",
  "minActivationMW",
  "indivisible",
  "qPerP",
  "assetId",
] as const;
const REQUIRED = ["id", "owner", "location", "volumeMW", "priceEURperMWh"];

// ---------------------------------------------------------------------------------
// CSV

/** Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain decimal number: a leading sign is a sign, not a formula. */
const PLAIN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * A text cell as written to CSV: one that a spreadsheet would run as a formula
 * (starting with =, +, -, @, a tab or a carriage return, and not a plain number)
 * gets a leading apostrophe, which spreadsheets show as text. readCsvCell undoes it.
 */
export function neutralizeCsvText(s: string): string {
  return FORMULA_START.test(s) && !PLAIN_NUMBER.test(s) ? `'${s}` : s;
}

/** A cell as read from CSV: the apostrophe that neutralizeCsvText put before a formula character is dropped again. */
export function readCsvCell(s: string): string {
  return s.startsWith("'") && FORMULA_START.test(s.slice(1)) && !PLAIN_NUMBER.test(s.slice(1)) ? s.slice(1) : s;
}

/** One CSV line split into trimmed cells (double quotes quote, "" is a literal quote; see readCsvCell). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      out.push(cur);
      cur = "";
    } else cur += c;
  }
  out.push(cur);
  return out.map((s) => readCsvCell(s.trim()));
}

/** A CSV cell, quoted when it holds a comma, quote or line break; text that reads as a formula is neutralised. */
export function csvCell(v: string | number | boolean | undefined): string {
  if (v === undefined) return "";
  const s = typeof v === "string" ? neutralizeCsvText(v) : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The lines of a CSV bid or portfolio file, after the file's size was checked against
 * BID_LIMITS; `readCsvRow` then checks each line's length and fields before splitting.
 */
export function csvLines(text: string, name: string): string[] {
  const over = checkTextBytes(text, BID_LIMITS.fileBytes);
  if (over) throw new BidFormatError(`${name}: ${over}`);
  return text.replace(/^\uFEFF/, "").split(/\r?\n/);
}

/** One CSV line's cells, within BID_LIMITS' line length, field count (and, with `row`, row count). */
export function readCsvRow(line: string, at: string, row?: number): string[] {
  if (row !== undefined && row > BID_LIMITS.rows) throw new BidFormatError(`${at}: more than ${formatCount(BID_LIMITS.rows)} rows; the limit is ${formatCount(BID_LIMITS.rows)}`);
  if (line.length > BID_LIMITS.lineLength) throw new BidFormatError(`${at}: a line of ${formatCount(line.length)} characters; the limit is ${formatCount(BID_LIMITS.lineLength)}`);
  const cells = splitCsvLine(line);
  if (cells.length > BID_LIMITS.fieldsPerLine) throw new BidFormatError(`${at}: ${formatCount(cells.length)} fields; the limit is ${formatCount(BID_LIMITS.fieldsPerLine)}`);
  return cells;
}

/** The JSON of a bid or portfolio file, held against BID_LIMITS before it is parsed. */
export function parseBidJsonText(text: string, name: string): unknown {
  const over = scanJsonText(text, BID_LIMITS);
  if (over) throw new BidFormatError(`${name} line ${over.line}: ${over.message}`);
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (e) {
    throw new BidFormatError(`${name}: not valid JSON: ${(e as Error).message}`);
  }
}

/** Parse bids from CSV with a header row (column names as in BID_CSV_COLUMNS, any order). */
export function parseBidsCsv(text: string, knownLocations?: Set<string>, name = "bids.csv"): Bid[] {
  const lines = csvLines(text, name);
  const headerAt = lines.findIndex((l) => l.trim() !== "" && !l.trimStart().startsWith("#"));
  if (headerAt < 0) throw new BidFormatError(`${name}: the file is empty`);
  const header = readCsvRow(lines[headerAt], `${name} line ${headerAt + 1}`);
  for (const h of header) {
    if (!(BID_CSV_COLUMNS as readonly string[]).includes(h)) {
      throw new BidFormatError(`${name} line ${headerAt + 1}: unknown column '${cellText(h)}'; expected ${BID_CSV_COLUMNS.join(", ")}`);
    }
  }
  for (const r of REQUIRED) {
    if (!header.includes(r)) throw new BidFormatError(`${name} line ${headerAt + 1}: missing column '${r}'`);
  }
  const col = (c: string) => header.indexOf(c);
  const bids: Bid[] = [];
  const lineOf: number[] = [];
  for (let k = headerAt + 1; k < lines.length; k++) {
    const raw = lines[k];
    if (raw.trim() === "" || raw.trimStart().startsWith("#")) continue;
    const at = `${name} line ${k + 1}`;
    const cells = readCsvRow(raw, at, bids.length + 1);
    if (cells.length !== header.length) throw new BidFormatError(`${at}: ${cells.length} fields, the header has ${header.length}`);
    const get = (c: string) => (col(c) >= 0 ? cells[col(c)] : "");
    const num = (c: string, required: boolean): number | undefined => {
      const s = get(c);
      if (s === "") {
        if (required) throw new BidFormatError(`${at}: missing ${c}`);
        return undefined;
      }
      const v = Number(s);
      if (!Number.isFinite(v)) throw new BidFormatError(`${at}: ${c} '${cellText(s)}' is not a number`);
      return v;
    };
    const indiv = get("indivisible").toLowerCase();
    if (indiv !== "" && !["true", "false", "yes", "no", "1", "0"].includes(indiv)) {
      throw new BidFormatError(`${at}: indivisible '${cellText(get("indivisible"))}' must be true or false`);
    }
    for (const c of ["id", "owner", "location"]) if (get(c) === "") throw new BidFormatError(`${at}: missing ${c}`);
    const bid: Bid = {
      id: get("id"),
      owner: get("owner"),
      location: get("location"),
      volumeMw: num("volumeMW", true)!,
      priceEurPerMwh: num("priceEURperMWh", true)!,
    };
    const min = num("minActivationMW", false);
    if (min !== undefined) bid.minActivationMw = min;
    if (["true", "yes", "1"].includes(indiv)) bid.indivisible = true;
    const q = num("qPerP", false);
    if (q !== undefined) bid.qPerP = q;
    if (get("assetId")) bid.assetId = get("assetId");
    bids.push(bid);
    lineOf.push(k + 1);
  }
  if (bids.length === 0) throw new BidFormatError(`${name}: no bids after the header`);
  return validateBids(bids, knownLocations, (i) => `${name} line ${lineOf[i]}`);
}

/** A CSV document: the header and one line per row, cells quoted where needed. */
export function csvTable(header: readonly string[], rows: (string | number | boolean | undefined)[][]): string {
  return [header.join(","), ...rows.map((r) => r.map(csvCell).join(","))].join("\n") + "\n";
}

export function writeBidsCsv(bids: Bid[]): string {
  return csvTable(
    BID_CSV_COLUMNS,
    bids.map((b) => [b.id, b.owner, b.location, b.volumeMw, b.priceEurPerMwh, b.minActivationMw, b.indivisible ? "true" : undefined, b.qPerP, b.assetId]),
  );
}

// ---------------------------------------------------------------------------------
// JSON

const bidSchema = z.strictObject({
  id: z.string().min(1, "missing id"),
  owner: z.string().min(1, "missing owner"),
  location: z.string().min(1, "missing location"),
  volumeMw: z.number({ error: "volumeMw must be a number" }),
  priceEurPerMwh: z.number({ error: "priceEurPerMwh must be a number (missing price?)" }),
  minActivationMw: z.number().optional(),
  indivisible: z.boolean().optional(),
  qPerP: z.number().optional(),
  assetId: z.string().optional(),
});
const bidArraySchema = z.array(bidSchema).max(BID_LIMITS.rows, `more than ${formatCount(BID_LIMITS.rows)} bids; the limit is ${formatCount(BID_LIMITS.rows)}`);
const bidObjectSchema = z.strictObject({ bids: bidArraySchema });

export function parseBidsJson(text: string, knownLocations?: Set<string>, name = "bids.json"): Bid[] {
  const raw = parseBidJsonText(text, name);
  const isArray = Array.isArray(raw);
  if (!isArray && (typeof raw !== "object" || raw === null || !("bids" in raw))) {
    throw new BidFormatError(`${name}: expected an array of bids or an object { "bids": [...] }`);
  }
  const res = isArray ? bidArraySchema.safeParse(raw) : bidObjectSchema.safeParse(raw);
  if (!res.success) {
    const issue = res.error.issues[0];
    const path = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
    throw new BidFormatError(`${name}${path}: ${issue.message}`);
  }
  const bids = (isArray ? res.data : (res.data as { bids: Bid[] }).bids) as Bid[];
  if (bids.length === 0) throw new BidFormatError(`${name}: no bids`);
  const prefix = isArray ? "" : ".bids";
  return validateBids(bids, knownLocations, (i) => `${name}${prefix}[${i}]`);
}

export function writeBidsJson(bids: Bid[]): string {
  return JSON.stringify({ bids }, null, 1) + "\n";
}

/** Parse a bid file by name: .csv or .json. */
export function parseBidsFile(fileName: string, text: string, knownLocations?: Set<string>): Bid[] {
  const base = fileName.replace(/^.*[\\/]/, "");
  return /\.json$/i.test(fileName) || text.trimStart().startsWith("{") || text.trimStart().startsWith("[")
    ? parseBidsJson(text, knownLocations, base)
    : parseBidsCsv(text, knownLocations, base);
}
