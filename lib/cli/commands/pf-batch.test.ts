import { describe, expect, it } from "vitest";
import { writeCsv } from "../../util/csv";
import { parseScalesCsv } from "./pf-batch";

describe("pf-batch scale files", () => {
  it("read what writeCsv writes, with a BOM, CRLF line ends, comments and quoted factors", () => {
    const text = `\uFEFF# scenario factors\r\n${writeCsv(["1", "1.1", "0.9"], [[0.5, 1, 2]], "\r\n")}"1.25", 1 ,0\r\n`;
    expect(parseScalesCsv(text, 3, "s.csv").map((r) => Array.from(r))).toEqual([
      [1, 1.1, 0.9],
      [0.5, 1, 2],
      [1.25, 1, 0],
    ]);
  });

  it("name the line and column of a bad factor, counting a quoted multi-line cell", () => {
    expect(() => parseScalesCsv('1,2\n"3\nx",4\n5,6\n', 2, "s.csv")).toThrow(/^s\.csv line 2, column 1: '3\nx' is not a number$/);
    expect(() => parseScalesCsv('1,"2\n\n"\n5,x\n', 2, "s.csv")).toThrow(/^s\.csv line 4, column 2: 'x' is not a number$/);
    expect(() => parseScalesCsv("1,2\n\n1,2,3\n", 2, "s.csv")).toThrow(/^s\.csv line 3: 3 factors, the case has 2 buses$/);
    expect(() => parseScalesCsv('1,2\n"1,2\n', 2, "s.csv")).toThrow(/^s\.csv line 2: a quoted cell is not closed$/);
    expect(() => parseScalesCsv("# only a comment\n", 2, "s.csv")).toThrow(/^s\.csv: no scenarios$/);
  });
});
