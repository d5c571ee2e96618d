import { z } from "zod";
import { BID_LIMITS, formatCount } from "../limits";
import { checkTextBytes, scanJsonText } from "../limits/json-scan";
import { BidFormatError, cellText, validateBids, type Bid } from "../clearing/bid";
import { CsvSyntaxError, readCsvCell, readCsvRows, writeCsv } from "../util/csv";

// The bid and its checks belong to the clearing, which this folder builds on.
export { BidFormatError, cellText, type Bid } from "../clearing/bid";

const BID_CSV_COLUMNS = ["id", "owner", "location", "volumeMW", "priceEURperMWh", "minActivationMW", "indivisible", "qPerP", "assetId"] as const;
const REQUIRED = ["id", "owner", "location", "volumeMW", "priceEURperMWh"];

// ---------------------------------------------------------------------------------
// CSV

/** A row of a bid or portfolio CSV file: its trimmed cells and the file line it starts on. */
export interface BidCsvRow {
  cells: string[];
  line: number;
}

/**
 * The header and data rows of a CSV bid or portfolio file, held against BID_LIMITS: the
 * file's size before it is read, then each row's length, field count and the number of
 * data rows. Cells are trimmed and a neutralised formula cell reads back as it was.
 */
function readBidCsv(text: string, name: string): { header: BidCsvRow; rows: BidCsvRow[] } {
  const over = checkTextBytes(text, BID_LIMITS.fileBytes);
  if (over) throw new BidFormatError(`${name}: ${over}`);
  const rows: BidCsvRow[] = [];
  try {
    readCsvRows(text, ({ cells, line, chars }) => {
      const at = `${name} line ${line}`;
      if (rows.length > BID_LIMITS.rows) throw new BidFormatError(`${at}: more than ${formatCount(BID_LIMITS.rows)} rows; the limit is ${formatCount(BID_LIMITS.rows)}`);
      if (chars > BID_LIMITS.lineLength) throw new BidFormatError(`${at}: a line of ${formatCount(chars)} characters; the limit is ${formatCount(BID_LIMITS.lineLength)}`);
      if (cells.length > BID_LIMITS.fieldsPerLine) throw new BidFormatError(`${at}: ${formatCount(cells.length)} fields; the limit is ${formatCount(BID_LIMITS.fieldsPerLine)}`);
      rows.push({ cells: cells.map((c) => readCsvCell(c.trim())), line });
    });
  } catch (e) {
    if (e instanceof CsvSyntaxError) throw new BidFormatError(`${name} line ${e.line}: ${e.message}`);
    throw e;
  }
  if (rows.length === 0) throw new BidFormatError(`${name}: the file is empty`);
  return { header: rows[0], rows: rows.slice(1) };
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

/** The header and data rows of a CSV bid or portfolio file whose header names only `columns`, each of `required` among them. */
export function readBidCsvTable(text: string, name: string, columns: readonly string[], required: readonly string[]): { header: string[]; rows: BidCsvRow[] } {
  const { header: head, rows } = readBidCsv(text, name);
  const header = head.cells;
  for (const h of header) {
    if (!columns.includes(h)) {
      throw new BidFormatError(`${name} line ${head.line}: unknown column '${cellText(h)}'; expected ${columns.join(", ")}`);
    }
  }
  for (const r of required) {
    if (!header.includes(r)) throw new BidFormatError(`${name} line ${head.line}: missing column '${r}'`);
  }
  return { header, rows };
}

/**
 * A data row of a CSV bid or portfolio file, read by column name: `get` a cell ("" for
 * a column the file lacks), `num` a number (undefined if empty and not required) and
 * `indivisible` the indivisible flag; each throws a BidFormatError naming the line (`at`).
 */
export function bidCsvFields(header: string[], { cells, line }: BidCsvRow, name: string) {
  const at = `${name} line ${line}`;
  if (cells.length !== header.length) throw new BidFormatError(`${at}: ${cells.length} fields, the header has ${header.length}`);
  const get = (c: string) => (header.indexOf(c) >= 0 ? cells[header.indexOf(c)] : "");
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
  const indivisible = (): boolean => {
    const indiv = get("indivisible").toLowerCase();
    if (indiv !== "" && !["true", "false", "yes", "no", "1", "0"].includes(indiv)) {
      throw new BidFormatError(`${at}: indivisible '${cellText(get("indivisible"))}' must be true or false`);
    }
    return ["true", "yes", "1"].includes(indiv);
  };
  return { at, get, num, indivisible };
}

/** Parse bids from CSV with a header row (column names as in BID_CSV_COLUMNS, any order). */
export function parseBidsCsv(text: string, knownLocations?: Set<string>, name = "bids.csv"): Bid[] {
  const { header, rows } = readBidCsvTable(text, name, BID_CSV_COLUMNS, REQUIRED);
  const bids: Bid[] = [];
  const lineOf: number[] = [];
  for (const row of rows) {
    const { at, get, num, indivisible } = bidCsvFields(header, row, name);
    const indiv = indivisible();
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
    if (indiv) bid.indivisible = true;
    const q = num("qPerP", false);
    if (q !== undefined) bid.qPerP = q;
    if (get("assetId")) bid.assetId = get("assetId");
    bids.push(bid);
    lineOf.push(row.line);
  }
  if (bids.length === 0) throw new BidFormatError(`${name}: no bids after the header`);
  return validateBids(bids, knownLocations, (i) => `${name} line ${lineOf[i]}`);
}

export function writeBidsCsv(bids: Bid[]): string {
  return writeCsv(
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
  return `${JSON.stringify({ bids }, null, 1)}\n`;
}

/** Parse a bid file by name: .csv or .json. */
export function parseBidsFile(fileName: string, text: string, knownLocations?: Set<string>): Bid[] {
  const base = fileName.replace(/^.*[\\/]/, "");
  return /\.json$/i.test(fileName) || text.trimStart().startsWith("{") || text.trimStart().startsWith("[") ? parseBidsJson(text, knownLocations, base) : parseBidsCsv(text, knownLocations, base);
}
