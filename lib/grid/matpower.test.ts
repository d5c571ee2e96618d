import { describe, expect, it } from "vitest";
import { GridFormatError } from "./errors";
import { parseNetworkJson, writeNetworkJson } from "./json";
import { parseMatpowerCase, writeMatpowerCase } from "./matpower";
import { readSharedCase, sharedCaseNames } from "../testing/shared";

const SMALL = `function mpc = tiny
%TINY  three buses
mpc.version = '2';
mpc.baseMVA = 100;
%% bus data
mpc.bus = [
	1	3	0	0	0	0	1	1	0	20	1	1.1	0.9;
	5	1	10	2	0	0	1	1	0	20	1	1.1	0.9;
	7	1	5	1	0	0	1	1	0	20	1	1.1	0.9;
];
mpc.gen = [
	1	0	0	100	-100	1.0	100	1	100	0	0	0	0	0	0	0	0	0	0	0	0;
];
mpc.branch = [
	1	5	0.01	0.05	0	50	0	0	0	0	1	-360	360;
	5	7	0.02	0.06	0	50	0	0	0	0	1	-360	360;
];
`;

function errorOf(text: string): GridFormatError {
  try {
    parseMatpowerCase(text);
  } catch (e) {
    expect(e).toBeInstanceOf(GridFormatError);
    return e as GridFormatError;
  }
  throw new Error("expected the import to fail");
}

describe("MATPOWER import", () => {
  it("reads non-consecutive bus numbers, comments and the function name", () => {
    const net = parseMatpowerCase(SMALL);
    expect(net.name).toBe("tiny");
    expect(net.buses.map((b) => b.id)).toEqual([1, 5, 7]);
    expect(net.branches[1]).toMatchObject({ id: "2", from: 5, to: 7, rPu: 0.02, rateAMva: 50, inService: true });
    expect(net.generators[0].extra).toHaveLength(11);
  });

  it("applies the unit-conversion statements of the distribution cases", () => {
    const net = parseMatpowerCase(readSharedCase("case33bw"));
    // Branch 1: r = 0.0922 ohm at 12.66 kV, 10 MVA base -> 0.0922 / (12.66^2 / 10) p.u.
    expect(net.branches[0].rPu).toBeCloseTo(0.0922 / (12.66e3 ** 2 / 10e6), 15);
    // Bus 2: Pd = 100 kW -> 0.1 MW
    expect(net.buses[1].pdMw).toBeCloseTo(0.1, 15);
  });

  it("evaluates expressions in matrices, kVA-at-power-factor conversions and logical indexing", () => {
    const text = SMALL.replace("mpc.baseMVA = 100;", "mpc.baseMVA = 50/3;")
      .replace("1	3	0	0	0	0	1	1	0	20", "1	3	0	0	0	0	1	1	0	135/sqrt(3)")
      .concat(`
define_constants;
pf = 0.85;
mpc.bus(:, QD) = mpc.bus(:, PD) * sin(acos(pf));
mpc.bus(:, PD) = mpc.bus(:, PD) * pf;
mpc.bus(mpc.bus(:, BUS_TYPE) == PQ, VMIN) = 0.95;
mpc.branch(end, RATE_A) = 2 * mpc.branch(1, RATE_A) - 20;  % trailing comment
`);
    const net = parseMatpowerCase(text);
    expect(net.baseMVA).toBeCloseTo(50 / 3, 14);
    expect(net.buses[0].baseKv).toBeCloseTo(135 / Math.sqrt(3), 12);
    expect(net.buses[1].pdMw).toBeCloseTo(8.5, 12);
    expect(net.buses[1].qdMvar).toBeCloseTo(10 * Math.sin(Math.acos(0.85)), 12);
    expect(net.buses.map((b) => b.vminPu)).toEqual([0.9, 0.95, 0.95]);
    expect(net.branches[1].rateAMva).toBe(80);
  });

  it("keeps extra columns and reads bus names and gencost", () => {
    const net = parseMatpowerCase(readSharedCase("case533mt_lo"));
    expect(net.branches[0].extra?.[0]).toBeCloseTo(3.180045283, 12); // ratedCurr column
    const c14 = parseMatpowerCase(readSharedCase("case14"));
    expect(c14.buses[0].name).toBe("Bus 1     HV");
    expect(c14.generators[0].cost).toMatchObject({ model: 2, coeffs: [0.0430292599, 20, 0] });
  });

  it("ignores a UTF-8 byte-order mark and CRLF line ends, and reads transposed cell arrays", () => {
    const text = `\uFEFF${SMALL.replace(/\n/g, "\r\n")}mpc.genfuel = {'coal', ...\r\n 'ng'}';\r\nmpc.bus_name = {'a', 'b', 'c'}';\r\nend\r\n`;
    const net = parseMatpowerCase(text);
    expect(net.name).toBe("tiny");
    expect(net.buses.map((b) => b.name)).toEqual(["a", "b", "c"]);
  });

  it("takes the name from the parsed function statement, not from a search of the text", () => {
    expect(parseMatpowerCase(SMALL.replace("function mpc = tiny", "function mpc = tiny % comment\n")).name).toBe("tiny");
    expect(parseMatpowerCase("\n".repeat(160 * 1024) + SMALL + "   \n".repeat(40 * 1024)).name).toBe("tiny");
    expect(parseMatpowerCase(SMALL.replace("function mpc = tiny", "")).name).toBe("case");
    expect(parseMatpowerCase(SMALL.replace("function mpc = tiny", "% function mpc = decoy\nfunction mpc = tiny")).name).toBe("tiny");
  });

  it("stops at the first bad statement of a long file without reading the rest", () => {
    const e = errorOf("a;\n".repeat(2_000_000));
    expect(e.message).toBe("line 1: unknown function or variable 'a'");
  });

  it("reads MATPOWER version 1 functions with separate outputs", () => {
    const v1 = `function [baseMVA, bus, gen, branch] = oldcase
baseMVA = 100;
bus = [ 1 3 0 0 0 0 1 1 0 20 1 1.1 0.9; 2 1 10 2 0 0 1 1 0 20 1 1.1 0.9 ];
gen = [ 1 0 0 100 -100 1 100 1 100 0 ];
branch = [ 1 2 0.01 0.05 0 0 0 0 0 0 1 ];
`;
    const net = parseMatpowerCase(v1);
    expect(net.buses).toHaveLength(2);
    expect(net.branches[0].angMinDeg).toBe(-360);
  });
});

describe("MATPOWER import rejects malformed files with one clear message", () => {
  const cases: [string, string, RegExp][] = [
    ["missing mpc.bus", SMALL.replace(/mpc\.bus = \[[\s\S]*?\];/, ""), /mpc\.bus is missing/],
    ["missing mpc.branch", SMALL.replace(/mpc\.branch = \[[\s\S]*?\];/, ""), /mpc\.branch is missing/],
    ["missing mpc.gen", SMALL.replace(/mpc\.gen = \[[\s\S]*?\];/, ""), /mpc\.gen is missing/],
    ["missing baseMVA", SMALL.replace("mpc.baseMVA = 100;", ""), /mpc\.baseMVA is missing/],
    ["negative baseMVA", SMALL.replace("mpc.baseMVA = 100;", "mpc.baseMVA = -5;"), /baseMVA must be a positive number/],
    ["row with a missing column", SMALL.replace("5	1	10	2	0	0	1	1	0	20	1	1.1	0.9;", "5	1	10	2	0	0	1	1	0	20	1	1.1;"), /line 8: .*12 values.*13/],
    ["too few columns in every row", SMALL.replace(/\t1\.1\t0\.9;/g, ";"), /mpc\.bus has 11 columns; at least 13/],
    ["non-numeric value", SMALL.replace("5	1	10	2", "5	1	ten	2"), /line 8: unknown function or variable 'ten'/],
    ["malformed number", SMALL.replace("0.02	0.06", "0.02	0.0.6"), /line 16: '0\.0\.6' is not a number/],
    ["branch to an unknown bus", SMALL.replace("5	7	0.02", "5	9	0.02"), /line 16: branch 2 ends at unknown bus 9/],
    ["generator at an unknown bus", SMALL.replace("	1	0	0	100	-100	1.0", "	4	0	0	100	-100	1.0"), /line 12: generator 1 is connected to unknown bus 4/],
    ["no slack bus", SMALL.replace("1	3	0	0", "1	2	0	0"), /no slack bus/],
    ["duplicate bus number", SMALL.replace("7	1	5	1", "5	1	5	1"), /line 9: duplicate bus number 5/],
    ["invalid bus type", SMALL.replace("7	1	5	1", "7	6	5	1"), /line 9: bus 7 has type 6/],
    ["non-integer bus number", SMALL.replace("7	1	5	1", "7.5	1	5	1"), /line 9: bus number 7.5 must be a positive integer/],
    ["unclosed matrix", SMALL.replace(/\];\nmpc\.gen/, "\nmpc.gen"), /never closed|unexpected|expected/],
    ["zero-impedance branch in service", SMALL.replace("0.01	0.05", "0	0"), /line 15: .*zero impedance/],
    ["NaN value", SMALL.replace("5	1	10	2", "5	1	NaN	2"), /line 8: mpc\.bus row 2, Pd: NaN is not a valid value/],
    ["empty file", "   \n", /the file is empty/],
    ["not a case at all", "x = 3;\n", /no MATPOWER case found/],
    ["unsupported control flow", `${SMALL}\nfor k = 1:3\n end\n`, /'for' statements are not supported/],
    ["gencost with the wrong number of rows", `${SMALL}\nmpc.gencost = [2 0 0 3 0.01 20 0; 2 0 0 3 0.01 20 0; 2 0 0 2 1 0 0];\n`, /mpc\.gencost has 3 rows; expected 1/],
    ["unterminated string", SMALL.replace("mpc.version = '2';", "mpc.version = '2;"), /line 3: unterminated string/],
  ];
  for (const [what, text, pattern] of cases) {
    it(what, () => {
      const e = errorOf(text);
      expect(e.message).toMatch(pattern);
      expect(e.stack).toBeDefined();
    });
  }
});

describe("export round trips", () => {
  for (const name of sharedCaseNames()) {
    it(`${name}: MATPOWER export re-imports to the same network`, () => {
      const net = parseMatpowerCase(readSharedCase(name));
      const again = parseMatpowerCase(writeMatpowerCase(net));
      expect({ ...again, meta: undefined }).toEqual({ ...net, meta: undefined });
      // And a second export is byte-identical.
      expect(writeMatpowerCase(again)).toBe(writeMatpowerCase(net));
    });
    it(`${name}: project JSON round trip is exact`, () => {
      const net = parseMatpowerCase(readSharedCase(name));
      expect(parseNetworkJson(writeNetworkJson(net))).toEqual(net);
    });
  }
});
