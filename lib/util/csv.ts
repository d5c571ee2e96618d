import Papa from "papaparse";

/**
 * CSV read and written by papaparse (RFC 4180: a quoted cell may hold commas, doubled
 * quotes and line breaks), with what every CSV of the platform shares: a leading UTF-8
 * byte-order mark is dropped, CRLF and LF line ends both read, blank lines and lines
 * starting with '#' are skipped, each row knows the file line it starts on, and text
 * cells that a spreadsheet would run as a formula are neutralised on export.
 */

/** Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain decimal number: a leading sign is a sign, not a formula. */
const PLAIN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * A text cell as written to CSV: one that a spreadsheet would run as a formula
 * (starting with =, +, -, @, a tab or a carriage return, and not a plain number)
 * gets a leading apostrophe, which spreadsheets show as text. readCsvCell undoes it.
 */
function neutralizeCsvText(s: string): string {
  return FORMULA_START.test(s) && !PLAIN_NUMBER.test(s) ? `'${s}` : s;
}

/** A cell as read from CSV: the apostrophe that neutralizeCsvText put before a formula character is dropped again. */
export function readCsvCell(s: string): string {
  return s.startsWith("'") && FORMULA_START.test(s.slice(1)) && !PLAIN_NUMBER.test(s.slice(1)) ? s.slice(1) : s;
}

export type CsvValue = string | number | boolean | null | undefined;

/**
 * A CSV document: the header, then one line per row. Cells are quoted where needed
 * (comma, quote, line break, leading or trailing space); text that reads as a formula
 * is neutralised; undefined and null are empty cells.
 */
export function writeCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[], newline: "\n" | "\r\n" = "\n"): string {
  const cell = (v: CsvValue) => (typeof v === "string" ? neutralizeCsvText(v) : v);
  return Papa.unparse([header.map(cell), ...rows.map((r) => r.map(cell))], { delimiter: ",", newline, quotes: false }) + newline;
}

/** One row of a CSV file as read: its cells (untrimmed), the 1-based line it starts on, and its length in characters. */
export interface CsvRow {
  cells: string[];
  line: number;
  chars: number;
}

export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = "CsvSyntaxError";
  }
}

/**
 * Calls `onRow` for each row of `text` in file order (blank lines and '#' comment lines
 * skipped); `onRow` may throw to stop. A quoted cell that is never closed throws
 * CsvSyntaxError naming the line it opens on.
 */
export function readCsvRows(text: string, onRow: (row: CsvRow) => void): void {
  // CRLF becomes LF (inside quoted cells too) so that one rule counts lines.
  const src = text.replace(/^\uFEFF/, "").replace(/\r\n/g, "\n");
  let start = 0;
  let line = 1;
  const advance = (to: number) => {
    for (let i = start; i < to; i++) if (src.charCodeAt(i) === 10) line++;
    start = to;
  };
  Papa.parse<string[]>(src, {
    delimiter: ",",
    newline: "\n",
    quoteChar: '"',
    comments: "#",
    step: (res) => {
      const end = res.meta.cursor;
      // Comment lines papaparse skipped lie between the previous row and this one.
      while (start < end && src[start] === "#") {
        const nl = src.indexOf("\n", start);
        advance(nl < 0 || nl >= end ? end : nl + 1);
      }
      const raw = src.slice(start, end).replace(/\n$/, "");
      const at = line;
      advance(end);
      const unclosed = res.errors.find((e) => e.code === "MissingQuotes");
      if (unclosed) throw new CsvSyntaxError("a quoted cell is not closed", at);
      if (raw.trim() === "" || raw.trimStart().startsWith("#")) return;
      onRow({ cells: res.data, line: at, chars: raw.length });
    },
  });
}
