import { describe, expect, it } from "vitest";
import type { BoundaryPoint, LinearRow } from "@/lib/regions";
import { readCsvRows } from "@/lib/util/csv";
import { boundaryCsv, buildRegionFigure, LIMIT_COLOUR } from "./region-plots";

const frame = { centre: [0, 0] as [number, number], scale: [1, 1] as [number, number] };
const pt = (p: number, q: number, limit: BoundaryPoint["limits"][number]): BoundaryPoint => ({
  pMw: p,
  qMvar: q,
  vPu: 1,
  costPerH: NaN,
  unitP: Float64Array.of(p / 2, 0.1),
  unitQ: Float64Array.of(q / 2, -0.2),
  task: { kind: "direction", theta: 0, frame },
  limits: [limit],
});

describe("region figure", () => {
  const lds: [number, number][] = [
    [0, 0],
    [1, 0],
    [1, 1],
    [0, 1],
  ];
  const rows: LinearRow[] = [
    { a: 1, b: 0, c: 1, kind: "vmax", element: "3" },
    { a: 0, b: 1, c: 1, kind: "unit-qmax", element: "der" },
    { a: -1, b: 0, c: 0, kind: "unit-pmin", element: "der" },
  ];
  const exact = [pt(0, 0, "unit-p"), pt(1.1, 0, "voltage"), pt(1.1, 1, "voltage"), pt(0, 1, "unit-q")];
  const fig = buildRegionFigure({
    units: [
      { id: "der-9", bus: 9 },
      { id: "pv-2", bus: 2 },
    ],
    lds,
    ldsEdges: { rows, labels: [-1, 0, 1, 2] },
    slc: lds,
    exact,
  });

  it("draws U_LDS and U_SLC filled, the exact boundary closed, its points by limit and U_LDS's labelled edges", () => {
    const names = fig.data.map((d) => (d as { name: string }).name);
    expect(names).toEqual([
      "U_LDS (LinDistFlow)",
      "U_SLC (loss-compensated)",
      "exact (AC-OPF)",
      "exact point: unit P limit",
      "exact point: voltage limit",
      "exact point: unit Q limit",
      "LinDistFlow voltage limit (upper)",
      "LinDistFlow unit Q limit (upper)",
      "LinDistFlow unit P limit (lower)",
    ]);
    const exactLine = fig.data[2] as { x: number[] };
    expect(exactLine.x).toEqual([0, 1.1, 1.1, 0, 0]);
    const volt = fig.data[4] as { marker: { color: string }; text: string[] };
    expect(volt.marker.color).toBe(LIMIT_COLOUR.voltage);
    expect(volt.text[0]).toContain("der-9 @ bus 9: 0.5500 MW");
    const lower = fig.data[8] as { line: { dash: string }; x: (number | null)[] };
    expect(lower.line.dash).toBe("dash");
    expect(lower.x).toEqual([0, 0, null]);
  });

  it("writes the boundary CSV with one P and Q column pair per unit", () => {
    const csv = boundaryCsv(exact, [
      { id: "der-9", bus: 9 },
      { id: "pv-2", bus: 2 },
    ])
      .trim()
      .split("\n");
    expect(csv[0]).toBe("p_MW,q_MVAr,limits,der-9_p_MW,der-9_q_MVAr,pv-2_p_MW,pv-2_q_MVAr");
    expect(csv[2]).toBe("1.1,0,voltage,0.55,0,0.1,-0.2");
  });

  it("writes unit ids with commas, quotes or a line break so that the header reads back (also with a BOM and CRLF)", () => {
    const ids = ['der "a", 1', "pv\n2"];
    const text = boundaryCsv(
      exact,
      ids.map((id, k) => ({ id, bus: k + 1 })),
    );
    const rows: string[][] = [];
    readCsvRows(`\uFEFF${text.replace(/\n/g, "\r\n")}`, (r) => rows.push(r.cells));
    expect(rows[0]).toEqual(["p_MW", "q_MVAr", "limits", 'der "a", 1_p_MW', 'der "a", 1_q_MVAr', "pv\n2_p_MW", "pv\n2_q_MVAr"]);
    expect(rows.slice(1).map((r) => r.map(Number))).toEqual(exact.map((b) => [b.pMw, b.qMvar, NaN, b.unitP[0], b.unitQ[0], b.unitP[1], b.unitQ[1]]));
    expect(rows.slice(1).map((r) => r[2])).toEqual(exact.map((b) => b.limits.join(" ")));
  });
});
