import { describe, expect, it } from "vitest";
import { parseMatpowerCase } from "../grid/matpower";
import type { Network } from "../grid/types";
import { computeResults, PowerFlowSolver, type PowerFlowResult } from "../powerflow";
import { toPerUnit } from "../grid/per-unit";
import { readSharedCase } from "../testing/shared";
import {
  buildLightModel,
  computeSensitivities,
  customOperatingPoint,
  decodeOperatingPoints,
  flexLocations,
  operatingPointInjections,
  parseLightModel,
  presetOperatingPoints,
  voronoiAccuracy,
  type SensitivityModel,
} from "./index";

/**
 * Central finite differences of the AC power flow (solved to 1e-13 p.u.) against
 * the exact derivatives. Step h = 1e-4 MW: the truncation error is O(h^2) (1e-7
 * relative on case33bw's most nonlinear end branch) while the power flow's own
 * error divided by h stays near 1e-9 absolute. Accepted: relative error 1e-5 for
 * every entry at least 1/1000 of the largest sensitivity of its kind, i.e.
 * |fd - exact| <= 1e-5 max(|exact|, 1e-3 max|matrix over all points|). Points
 * where the step crosses a kink of the signed loading (the flow's direction or
 * the end with the larger |S| changes) are skipped and counted.
 */
function finiteDifferenceCheck(net: Network, model: SensitivityModel, stride = 1) {
  const solver = new PowerFlowSolver(toPerUnit(net));
  const locBus = Int32Array.from(model.locations, (l) => solver.pu.busIndex.get(l.bus)!);
  const busIdx = model.monitoredBuses.map((id) => solver.pu.busIndex.get(id)!);
  const brIdx = model.monitoredBranches.map((id) => net.branches.findIndex((b) => b.id === id));
  const h = 1e-4;
  const nLoc = model.locations.length;
  let checked = 0;
  let kinks = 0;
  let worstRel = 0;
  const failures: string[] = [];
  const maxAbs = (f: (p: SensitivityModel["points"][number]) => Float64Array | undefined) => model.points.reduce((m, p) => Array.from(f(p) ?? []).reduce((mm, x) => Math.max(mm, Math.abs(x)), m), 0);
  const scale = { vtdf: maxAbs((p) => p.vtdf), ltdf: maxAbs((p) => p.ltdf), vtdfQ: maxAbs((p) => p.vtdfQ), ltdfQ: maxAbs((p) => p.ltdfQ) };
  model.points.forEach((pt) => {
    const solve = (j: number, d: number, reactive: boolean): PowerFlowResult => {
      const p = Float64Array.from(pt.pFlexMw);
      const q = Float64Array.from(pt.qFlexMvar);
      if (reactive) q[j] += d;
      else p[j] += d;
      const inj = operatingPointInjections(solver, locBus, p, q);
      const sol = solver.solve(inj, { tol: 1e-13, maxIterations: 30 });
      expect(sol.status).toBe("converged");
      return computeResults(solver, sol, inj, 0);
    };
    for (let j = 0; j < nLoc; j += stride) {
      for (const reactive of [false, true]) {
        const vt = reactive ? pt.vtdfQ! : pt.vtdf;
        const lt = reactive ? pt.ltdfQ! : pt.ltdf;
        const scaleV = reactive ? scale.vtdfQ : scale.vtdf;
        const scaleL = reactive ? scale.ltdfQ : scale.ltdf;
        const a = solve(j, h, reactive);
        const b = solve(j, -h, reactive);
        const compare = (fd: number, exact: number, scale: number, what: string) => {
          checked++;
          const err = Math.abs(fd - exact);
          const ref = Math.max(Math.abs(exact), 1e-3 * scale);
          if (err > 1e-5 * ref) failures.push(`${what}: fd ${fd} exact ${exact}`);
          worstRel = Math.max(worstRel, err / ref);
        };
        busIdx.forEach((i, m) => compare((a.vm[i] - b.vm[i]) / (2 * h), vt[m * nLoc + j], scaleV, `${pt.id} V${m} loc${j} q=${reactive}`));
        brIdx.forEach((l, m) => {
          const kink =
            Math.sign(a.pFromMw[l]) !== Math.sign(b.pFromMw[l]) ||
            Math.hypot(a.pFromMw[l], a.qFromMvar[l]) >= Math.hypot(a.pToMw[l], a.qToMvar[l]) !== Math.hypot(b.pFromMw[l], b.qFromMvar[l]) >= Math.hypot(b.pToMw[l], b.qToMvar[l]);
          if (kink) {
            kinks++;
            return;
          }
          compare((a.loadingPct[l] - b.loadingPct[l]) / (2 * h), lt[m * nLoc + j], scaleL, `${pt.id} L${m} loc${j} q=${reactive}`);
        });
      }
    }
  });
  return { checked, kinks, worstRel, failures };
}

function case33bwRated(): Network {
  // case33bw has no ratings; give every branch 5 MVA so loadings (and LTDF) exist.
  const net = parseMatpowerCase(readSharedCase("case33bw"));
  net.branches.forEach((b) => (b.rateAMva = 5));
  return net;
}

describe("sensitivities (VTDF/LTDF) against finite differences of the AC power flow", () => {
  it("case33bw, all PQ buses as locations, three operating points, P and Q", () => {
    const net = case33bwRated();
    const locs = flexLocations(net);
    expect(locs.map((l) => l.bus)).toEqual(net.buses.filter((b) => b.type === "PQ").map((b) => b.id));
    const model = computeSensitivities(net, locs, presetOperatingPoints(locs, ["none", "half", "all"]), { reactive: true });
    expect(model.monitoredBuses).toHaveLength(32);
    expect(model.monitoredBranches).toHaveLength(32);
    const r = finiteDifferenceCheck(net, model);
    expect(r.failures.slice(0, 5)).toEqual([]);
    expect(r.checked).toBeGreaterThan(10_000);
    expect(r.worstRel).toBeLessThan(1e-5);
  });

  it("case30 (PV buses, transformers, charging): column and row strategies agree and match FD", () => {
    const net = parseMatpowerCase(readSharedCase("case30"));
    const locs = flexLocations(net);
    const ops = presetOperatingPoints(locs, ["none", "all"]);
    const cols = computeSensitivities(net, locs, ops, { reactive: true, strategy: "columns" });
    const rows = computeSensitivities(net, locs, ops, { reactive: true, strategy: "rows" });
    for (let k = 0; k < ops.length; k++) {
      for (const f of ["vtdf", "ltdf", "vtdfQ", "ltdfQ"] as const) {
        const a = cols.points[k][f]!;
        const b = rows.points[k][f]!;
        a.forEach((x, i) => expect(Math.abs(x - b[i])).toBeLessThan(1e-12 + 1e-9 * Math.abs(x)));
      }
    }
    const r = finiteDifferenceCheck(net, cols);
    expect(r.failures.slice(0, 5)).toEqual([]);
    expect(r.checked).toBeGreaterThan(2_000);
  });

  it("the linearization predicts the AC power flow better inside each Voronoi cell than outside", () => {
    const net = case33bwRated();
    const locs = flexLocations(net);
    const model = computeSensitivities(net, locs, presetOperatingPoints(locs, ["none", "half", "all"]));
    const acc = voronoiAccuracy(net, model, 30, 7);
    for (const cell of acc) {
      expect(cell.inside.samples).toBeGreaterThan(0);
      expect(cell.inside.vMaePu).toBeLessThan(cell.outside.vMaePu);
      expect(cell.inside.lMaePct).toBeLessThan(cell.outside.lMaePct);
    }
    console.log(
      "case33bw linearization error (MAE inside / outside the Voronoi cell):\n" +
        acc
          .map((c) => `  ${c.id}: V ${c.inside.vMaePu.toExponential(2)} / ${c.outside.vMaePu.toExponential(2)} p.u., L ${c.inside.lMaePct.toExponential(2)} / ${c.outside.lMaePct.toExponential(2)} %`)
          .join("\n"),
    );
  });

  it("restricting the monitored elements keeps only those near their limits", () => {
    const net = case33bwRated();
    const locs = flexLocations(net);
    const ops = presetOperatingPoints(locs, ["none", "half"]);
    const all = computeSensitivities(net, locs, ops);
    const some = computeSensitivities(net, locs, ops, {
      restrict: { voltageMarginPu: 0.01, loadingMarginPct: 50, vMinPu: 0.95, vMaxPu: 1.05 },
    });
    expect(some.monitoredBuses.length).toBeLessThan(all.monitoredBuses.length);
    expect(some.monitoredBuses.length).toBeGreaterThan(0);
    for (const id of some.monitoredBuses) {
      const i = net.buses.findIndex((b) => b.id === id);
      expect(all.points.some((p) => p.pf.vm[i] <= 0.96 || p.pf.vm[i] >= 1.04)).toBe(true);
    }
    // The kept rows are the same numbers as in the full model.
    const m = all.monitoredBuses.indexOf(some.monitoredBuses[0]);
    const n = locs.length;
    const full = all.points[0].vtdf.subarray(m * n, (m + 1) * n);
    some.points[0].vtdf.subarray(0, n).forEach((x, j) => expect(Math.abs(x - full[j])).toBeLessThan(1e-15 + 1e-12 * Math.abs(x)));
  });

  it("screening over the offered box keeps every element that can reach a limit and drops the rest", () => {
    const net = case33bwRated();
    net.branches.forEach((b) => (b.rateAMva = 2.5));
    const locs = flexLocations(net);
    const ops = presetOperatingPoints(locs, ["none", "half", "all"]);
    const screen = { vMinPu: 0.93, vMaxPu: 1.05, loadingMaxPct: 100, marginVPu: 0, marginLPct: 0 };
    const full = computeSensitivities(net, locs, ops);
    const kept = computeSensitivities(net, locs, ops, { screen });
    expect(kept.monitoredBuses.length).toBeLessThan(full.monitoredBuses.length);
    expect(kept.monitoredBranches.length).toBeLessThan(full.monitoredBranches.length);
    expect(kept.monitoredBuses.length + kept.monitoredBranches.length).toBeGreaterThan(0);
    const n = locs.length;
    // Every dropped element stays within limits over the whole box at every point (by its own linearization).
    full.points.forEach((p) => {
      full.monitoredBuses.forEach((id, m) => {
        if (kept.monitoredBuses.includes(id)) return;
        let lo = p.v[m];
        let hi = p.v[m];
        for (let j = 0; j < n; j++) {
          const a = p.vtdf[m * n + j];
          const d0 = locs[j].offeredDownMw - p.pFlexMw[j];
          const d1 = locs[j].offeredUpMw - p.pFlexMw[j];
          lo += Math.min(a * d0, a * d1);
          hi += Math.max(a * d0, a * d1);
        }
        expect(lo).toBeGreaterThan(screen.vMinPu - 1e-12);
        expect(hi).toBeLessThan(screen.vMaxPu + 1e-12);
      });
    });
  });

  it("custom operating points are checked against the offered range", () => {
    const net = case33bwRated();
    const locs = flexLocations(net);
    expect(() =>
      customOperatingPoint(
        locs,
        "x",
        "too much",
        locs.map((l) => l.offeredUpMw * 2),
      ),
    ).toThrow(/outside the offered range/);
    expect(() => customOperatingPoint(locs, "x", "short", [1, 2])).toThrow(/has 2 values, the grid has 32/);
    expect(() => presetOperatingPoints(locs, ["sometimes"])).toThrow(/unknown operating point 'sometimes'/);
  });
});

describe("light model", () => {
  const net = case33bwRated();
  const locs = flexLocations(net);
  const model = computeSensitivities(net, locs, presetOperatingPoints(locs, ["none", "half", "all"]), { reactive: true });

  it("round-trips exactly and maps opaque ids back to the grid only through the DSO's key", () => {
    const { lightModel, key } = buildLightModel(model, { salt: "test" });
    const parsed = parseLightModel(JSON.parse(JSON.stringify(lightModel)));
    const ops = decodeOperatingPoints(parsed);
    const n = locs.length;
    // Entry (bus m, location j) of the light model equals the model's entry for the mapped elements.
    key.buses.forEach((b, m) => {
      const mi = model.monitoredBuses.indexOf(b.bus);
      key.locations.forEach((l, j) => {
        const lj = model.locations.findIndex((x) => x.bus === l.bus);
        expect(ops[1].vtdf[m * n + j]).toBe(model.points[1].vtdf[mi * n + lj]);
        expect(ops[2].vtdfQ![m * n + j]).toBe(model.points[2].vtdfQ![mi * n + lj]);
      });
      expect(ops[0].v[m]).toBe(model.points[0].v[mi]);
    });
    expect(parsed.limits).toEqual({ vMinPu: 0.95, vMaxPu: 1.05, loadingMinPct: -100, loadingMaxPct: 100 });
  });

  it("contains no bus numbers, branch ids, impedances, coordinates or loads", () => {
    const { lightModel } = buildLightModel(model, { salt: "test2" });
    const text = JSON.stringify(lightModel);
    const keys = new Set<string>();
    JSON.parse(text, (k, v) => {
      keys.add(k);
      return v;
    });
    const allowed = new Set([
      "",
      "schema",
      "version",
      "modelId",
      "createdAt",
      "units",
      "injection",
      "voltage",
      "loading",
      "vtdf",
      "ltdf",
      "vtdfQ",
      "ltdfQ",
      "limits",
      "vMinPu",
      "vMaxPu",
      "loadingMinPct",
      "loadingMaxPct",
      "locations",
      "monitoredBuses",
      "monitoredBranches",
      "reactive",
      "operatingPoints",
      "id",
      "label",
      "pFlexMw",
      "qFlexMvar",
      "v",
      "l",
      "rows",
      "cols",
      "encoding",
      "data",
    ]);
    for (const k of keys) if (!/^\d+$/.test(k)) expect(allowed.has(k), `unexpected field '${k}'`).toBe(true);
    for (const id of [...lightModel.locations, ...lightModel.monitoredBuses, ...lightModel.monitoredBranches]) {
      expect(id).toMatch(/^[LVB]-[0-9a-f]{6}$/);
    }
    const withoutData = JSON.stringify(lightModel, (k, v) => (k === "data" ? "" : v));
    expect(withoutData).not.toMatch(/"(rPu|xPu|bPu|lon|lat|pdMw|qdMvar|geometry|from|to|bus)"|bus-\d/);
  });

  it("rejects malformed or padded light models", () => {
    const { lightModel } = buildLightModel(model, { salt: "t3" });
    const clone = () => JSON.parse(JSON.stringify(lightModel));
    const extra = clone();
    extra.operatingPoints[0].topology = [[1, 2]];
    expect(() => parseLightModel(extra)).toThrow(/operatingPoints\[0\].*Unrecognized key/i);
    const extraTop = clone();
    extraTop.buses = [];
    expect(() => parseLightModel(extraTop)).toThrow(/Unrecognized key/i);
    const short = clone();
    short.operatingPoints[1].v.pop();
    expect(() => parseLightModel(short)).toThrow(/operatingPoints\[1\]\.v: 31 entries, expected 32/);
    const wrongShape = clone();
    wrongShape.operatingPoints[0].vtdf.rows = 3;
    expect(() => parseLightModel(wrongShape)).toThrow(/vtdf: 3x32, expected 32x32/);
    const version = clone();
    version.version = 2;
    expect(() => parseLightModel(version)).toThrow(/version/);
  });
});
