import { describe, expect, it } from "vitest";
import { CsvSyntaxError, readCsvCell, readCsvRows, writeCsv, type CsvRow } from "./csv";

function rowsOf(text: string): CsvRow[] {
  const rows: CsvRow[] = [];
  readCsvRows(text, (r) => rows.push(r));
  return rows;
}

describe("CSV cells that a spreadsheet would run as formulas", () => {
  it("are written with a leading apostrophe, numbers and plain text untouched, and read back as they were", () => {
    const texts = ['=HYPERLINK("http://evil.example","Bergwald")', "+1+1", "-2+3", "@SUM(A1:A9)", "\tx", "=1,2"];
    const csv = writeCsv(["grid", "mw", "id"], [...texts.map((t) => [t, -0.5, "plain"]), ["-0.011", 1e-7, "-1.5e-3"]]);
    const lines = csv.trimEnd().split("\n");
    expect(lines[1]).toBe(`"'=HYPERLINK(""http://evil.example"",""Bergwald"")",-0.5,plain`);
    expect(lines.slice(2, 6)).toEqual(["'+1+1,-0.5,plain", "'-2+3,-0.5,plain", "'@SUM(A1:A9),-0.5,plain", "'\tx,-0.5,plain"]);
    expect(lines[6]).toBe(`"'=1,2",-0.5,plain`);
    expect(lines[7]).toBe("-0.011,1e-7,-1.5e-3");
    for (const line of lines.slice(1)) expect(line).not.toMatch(/^[=+@\t]|^-[^0-9.]/);
    expect(
      rowsOf(csv)
        .slice(1)
        .map((r) => readCsvCell(r.cells[0])),
    ).toEqual([...texts, "-0.011"]);
  });
});

describe("writeCsv and readCsvRows", () => {
  const rows = [
    ["a,b", 'say "hi"', "two\nlines"],
    ["", 1.5, true],
    [" padded ", "three\r\nline\nends", "ünïcödé"],
  ];
  const asRead = [
    ["a,b", 'say "hi"', "two\nlines"],
    ["", "1.5", "true"],
    [" padded ", "three\nline\nends", "ünïcödé"],
  ];

  it("round-trips commas, double quotes, line breaks and spaces, with each row's first line", () => {
    const read = rowsOf(writeCsv(["x", "y", "z"], rows));
    expect(read.map((r) => r.cells)).toEqual([["x", "y", "z"], ...asRead]);
    expect(read.map((r) => r.line)).toEqual([1, 2, 4, 5]);
  });

  it("round-trips with CRLF line ends and a UTF-8 byte-order mark", () => {
    const csv = writeCsv(["x", "y", "z"], rows, "\r\n");
    expect(csv.endsWith("\r\n")).toBe(true);
    const read = rowsOf(`\uFEFF${csv}`);
    expect(read[0].cells).toEqual(["x", "y", "z"]);
    expect(read.slice(1).map((r) => r.cells)).toEqual(asRead);
    expect(read.map((r) => r.line)).toEqual([1, 2, 4, 5]);
  });

  it("writes undefined and null as empty cells and quotes header cells that need it", () => {
    expect(writeCsv(["a,1", "b"], [[undefined, null]])).toBe('"a,1",b\n,\n');
    expect(writeCsv(["a"], [])).toBe("a\n");
  });

  it("skips blank and comment lines, counting them, and gives each row's length in characters", () => {
    const read = rowsOf('# head\n\n  # indented\na,b\n   \n#c,"d\nxy,z');
    expect(read).toEqual([
      { cells: ["a", "b"], line: 4, chars: 3 },
      { cells: ["xy", "z"], line: 7, chars: 4 },
    ]);
  });

  it("names the line a never-closed quoted cell opens on", () => {
    let err: unknown;
    try {
      rowsOf('a,b\n1,2\n3,"4\n5,6\n');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CsvSyntaxError);
    expect((err as CsvSyntaxError).line).toBe(3);
    expect((err as Error).message).toBe("a quoted cell is not closed");
  });
});
