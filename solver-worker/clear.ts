import { clearMarket, type GridBids, type HighsLike } from "../lib/clearing/clear";
import { decodeOperatingPoints, parseLightModel, type LightModel, type LightOperatingPoint } from "../lib/sensitivity/light-model";
import { isHighsLoaded, loadHighs } from "./highs";
import type { ClearGridInput, ClearRequest, ClearResult, ClearStage, StageProgress } from "./protocol";

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${what} is not valid JSON`);
  }
}

/**
 * A grid's light model as the TSO clears with it: the published model, the points
 * added by re-linearization appended (checked together with the strict schema), and
 * the limits tightened where the AC-verified loop asked for it.
 */
export function clearingModel(g: ClearGridInput): LightModel {
  const published = parseLightModel(parseJson(g.lightModelJson, `the light model of grid ${g.gridId}`));
  const added = (g.addedOperatingPointsJson ?? []).map((t, k) => parseJson(t, `added operating point ${k + 1} of grid ${g.gridId}`) as LightOperatingPoint);
  const lm = added.length ? parseLightModel({ ...published, operatingPoints: [...published.operatingPoints, ...added] }) : published;
  const t = g.tighten;
  if (!t || (t.vPu === 0 && t.lPct === 0)) return lm;
  if (!(t.vPu >= 0) || !(t.lPct >= 0)) throw new Error(`grid ${g.gridId}: limits can only be tightened by non-negative amounts`);
  const { vMinPu, vMaxPu, loadingMinPct, loadingMaxPct } = lm.limits;
  return { ...lm, limits: { vMinPu: vMinPu + t.vPu, vMaxPu: vMaxPu - t.vPu, loadingMinPct: loadingMinPct + t.lPct, loadingMaxPct: loadingMaxPct - t.lPct } };
}

/** The TSO's clearing in the worker: eq. (11)-(14) over every grid's light model, one shared balance (lib/clearing). */
export async function runClear(req: ClearRequest, progress: (p: StageProgress<ClearStage>) => void): Promise<ClearResult> {
  const t0 = performance.now();
  if (!isHighsLoaded()) progress({ stage: "load", fraction: 0, message: "Loading the HiGHS solver" });
  const highs = (await loadHighs()) as HighsLike;
  if (req.grids.length === 0) throw new Error("no published light model to clear against");

  progress({ stage: "parse", fraction: 0.1, message: `Checking and decoding ${req.grids.length} light model${req.grids.length === 1 ? "" : "s"}` });
  const tParse = performance.now();
  const grids: GridBids[] = req.grids.map((g) => {
    const lightModel = clearingModel(g);
    return { gridId: g.gridId, lightModel, bids: g.bids, decoded: decodeOperatingPoints(lightModel) };
  });
  const parseMs = performance.now() - tParse;

  const nBids = grids.reduce((s, g) => s + g.bids.length, 0);
  progress({ stage: "solve", fraction: 0.3, message: `Solving the MILP with HiGHS (${nBids} bids, ${req.requestMw} MW)` });
  const tSolve = performance.now();
  const clearing = clearMarket(highs, grids, req.requestMw, { groups: req.groups, reactive: req.options?.reactive, timeLimitS: req.options?.timeLimitS });
  const solveMs = performance.now() - tSolve;

  return {
    clearing,
    grids: grids.map((g, k) => {
      const ops = g.decoded!;
      const r = clearing.grids[k];
      const atOperatingPoint = r.selectedIndex >= 0 && ops.some((op) => op.pFlexMw.every((x, j) => Math.abs(x - r.locationMw[j]) < 1e-9));
      return {
        gridId: g.gridId,
        modelId: g.lightModel.modelId,
        operatingPoints: ops.map((op) => ({ id: op.id, label: op.label })),
        selectedLabel: ops[r.selectedIndex]?.label ?? null,
        atOperatingPoint,
      };
    }),
    parseMs,
    solveMs,
    workerMs: performance.now() - t0,
  };
}
