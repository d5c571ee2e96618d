import { describe, expect, it } from "vitest";
import { runSchema } from "@/app/api/tso/runs/schema";
import type { BidDispatch } from "@/lib/clearing/result";
import type { ClearingOutcome } from "@/lib/client/tso-clearing";
import { dispatchRows, dispatchTotals, summarizeBids } from "./dispatch-rows";
import { runRecord } from "./run-record";
import { criticalLoadingFigure, criticalVoltageFigure } from "./validation-plots";
import type { TsoValidation } from "@/lib/wire/tso";

const d = (bidId: string, owner: string, volumeMw: number, activatedMw: number, price = 50): BidDispatch => ({
  bidId,
  owner,
  location: "L-000001",
  gridId: "g1",
  volumeMw,
  priceEurPerMwh: price,
  activatedMw,
  fraction: activatedMw / volumeMw,
  state: activatedMw === volumeMw ? "full" : activatedMw === 0 ? "none" : "partial",
  costEur: price * activatedMw,
});

const DISPATCH = [d("a", "agg-1", 0.2, 0.1), d("b", "agg-2", 0.1, 0.1, 30), d("c", "agg-1", 0.3, 0), d("d", "agg-1", 0.05, 0.05, 90)];

const validation: TsoValidation = {
  lightModelId: "lm1",
  gridId: "g1",
  gridName: "Grid",
  verdict: "no violation",
  converged: true,
  vMaePu: 2e-5,
  vRmsePu: 3e-5,
  vMaxErrPu: 1e-4,
  lMaePct: 5e-3,
  lRmsePct: 8e-3,
  lMaxErrPct: 0.05,
  violations: 0,
  worstExcess: { voltagePu: 0, loadingPct: 0 },
  criticalBuses: [
    { id: "V-00000a", linear: 1.0412, ac: 1.0411 },
    { id: "V-00000b", linear: 1.0301, ac: 1.0302 },
  ],
  criticalBranches: [
    { id: "B-00000a", linear: -98.5, ac: -98.4 },
    { id: "B-00000b", linear: 80.1, ac: 80.2 },
  ],
  pcc: { pMw: 0.2, qMvar: 0.05, basePMw: 0.45, baseQMvar: 0.06 },
  limits: { vMinPu: 0.95, vMaxPu: 1.05, loadingMinPct: -100, loadingMaxPct: 100 },
};

describe("TSO view builders", () => {
  it("lists activated bids (full first, then partial, by cost) and totals per owner", () => {
    expect(dispatchRows(DISPATCH, "activated").map((r) => r.bidId)).toEqual(["d", "b", "a"]);
    expect(dispatchRows(DISPATCH, "all")).toBe(DISPATCH);
    const t = dispatchTotals(DISPATCH);
    expect(t.states).toEqual({ full: 2, partial: 1, none: 1 });
    expect(t.owners).toEqual([
      { owner: "agg-1", mw: 0.15000000000000002, costEur: 9.5, bids: 2 },
      { owner: "agg-2", mw: 0.1, costEur: 3, bids: 1 },
    ]);
  });

  it("summarizes the market per grid and owner", () => {
    const s = summarizeBids({
      grids: [
        {
          gridId: "g1",
          lightModelId: "lm1",
          bids: [
            { id: "x", owner: "o", gridId: "g1", location: "L-1", volumeMw: 0.2, priceEurPerMwh: 40 },
            { id: "y", owner: "o", gridId: "g1", location: "L-2", volumeMw: -0.1, priceEurPerMwh: 10 },
          ],
        },
      ],
      groups: [],
    });
    expect(s).toEqual([{ gridId: "g1", owner: "o", bids: 2, upMw: 0.2, downMw: -0.1, minPrice: 10, maxPrice: 40 }]);
  });

  it("plots critical voltages and loadings (magnitudes) linear against AC with the limits", () => {
    const v = criticalVoltageFigure(validation).data as { name: string; x: string[]; y: number[] }[];
    expect(v.map((t) => t.name)).toEqual(["AC power flow (DSO)", "linear (light model)", "limit", "limit"]);
    expect(v[0].x).toEqual(["V-00000a", "V-00000b"]);
    expect(v[0].y).toEqual([1.0411, 1.0302]);
    expect(v[2].y).toEqual([0.95, 0.95]);
    const l = criticalLoadingFigure(validation).data as { y: number[] }[];
    expect(l[0].y).toEqual([98.4, 80.2]);
    expect(l[1].y).toEqual([98.5, 80.1]);
    expect(l).toHaveLength(3);
  });

  it("records a clearing in the shape the runs route accepts", () => {
    const outcome = {
      result: {
        clearing: {
          status: "optimal",
          message: "optimal: 0.25 MW",
          requestMw: 0.25,
          objectiveEur: 9.5,
          dispatch: DISPATCH,
          totalMw: 0.25,
          grids: [{ gridId: "g1", selectedOperatingPoint: "op-1", selectedIndex: 1, locationMw: Float64Array.from([0.25, 0]), locationMvar: new Float64Array(2), totalMw: 0.25 }],
          offeredUpMw: 0.65,
          offeredDownMw: 0,
          stats: { variables: 1, binaries: 1, constraints: 1, limitRowsInLp: 0, limitRowsCandidates: 0, limitRowsScreened: 0, bidLocations: 1, reactive: true, lazyRounds: 1 },
          solveMs: 12,
        },
        grids: [{ gridId: "g1", modelId: "lm-1", operatingPoints: [], selectedLabel: "half", atOperatingPoint: false }],
        parseMs: 1,
        solveMs: 12,
        workerMs: 14,
      },
      validations: [validation],
      iterations: [
        {
          iteration: 1,
          status: "optimal",
          totalMw: 0.25,
          objectiveEur: 9.5,
          violations: 0,
          vMaxErrPu: 1e-4,
          lMaxErrPct: 0.05,
          vMaePu: 2e-5,
          lMaePct: 5e-3,
          relinearized: [],
          tightened: [],
          action: "validated",
        },
      ],
      verified: false,
    } satisfies ClearingOutcome;
    const rec = runRecord(outcome, { requestMw: 0.25, verified: false, reactive: true }, ["lm1"], "clearing-1");
    expect(runSchema.parse(rec)).toEqual(rec);
    expect(rec.grids[0]).toEqual({ gridId: "g1", lightModelId: "lm1", selectedOperatingPoint: "op-1", selectedLabel: "half", locationMw: [0.25, 0], locationMvar: [0, 0], totalMw: 0.25 });
    expect(rec.validation[0]).toEqual({ gridId: "g1", verdict: "no violation", violations: 0, vMaePu: 2e-5, vRmsePu: 3e-5, lMaePct: 5e-3, lRmsePct: 8e-3 });
  });
});
