import "server-only";
import { addOperatingPoint, applyDispatch, restoreDso, validateDispatch, type DispatchToValidate } from "@/lib/clearing";
import { worstExcess } from "@/lib/clearing/verify-step";
import type { Network } from "@/lib/grid";
import { computeLayout } from "@/lib/layout";
import { storedLayoutOf, type StoredLayout } from "@/lib/layout/json";
import { connectionPositions, demoMapOf, type DemoMap, type DemoMapAsset } from "@/lib/map/bcm-demo-map";
import { DEMO_LABEL, demoFlowJson, type DemoMapResponse } from "@/lib/map/demo-map";
import { diagramData } from "@/lib/map/diagram-data";
import { gridMapData } from "@/lib/map/map-data";
import { solvePowerFlow, type PowerFlowResult } from "@/lib/powerflow";
import { decodeOperatingPoints, LightModelError, parseLightModel, type LightModel, type LightOperatingPoint } from "@/lib/sensitivity/light-model";
import type { StoredRunGrid, TsoValidation } from "@/lib/wire/tso";
import { ApiError } from "./api-error";
import { rowsFromShared, sidesFromRows, type DsoSide, type SharedSideRow } from "./market";
import { buildMarket, type StoredPortfolioRow } from "./market-bids";

/**
 * The DSO side's computations for the TSO, without the database: they run on the worker
 * pool (tasks tsoValidate, tsoRelinearize, tsoDemoMap, aggregatorDemoMap), each given the
 * published sides as shared bytes (lib/server/market.ts publishedSharedSideRows), which a
 * pool thread parses once per light model and keeps. The request thread reads the rows,
 * checks roles and demo mode, and stores what comes back; it never parses a grid, solves
 * a power flow or computes sensitivities or a layout.
 */

/** The published sides (parsed once per thread) and the one of a light model; 404 when it is not published. */
function publishedSide(rows: SharedSideRow[], lightModelId: string): DsoSide {
  const side = sidesFromRows(rowsFromShared(rows)).find((s) => s.lightModelId === lightModelId);
  if (!side) throw new ApiError("not_found", `light model ${lightModelId} is not published (its DSO may have replaced it); reload the published light models`);
  return side;
}

/** The base-case power flow of a grid (no dispatch), by its parsed network (kept per thread with it): the same for every validation. */
const baseFlows = new WeakMap<Network, PowerFlowResult>();
function baseFlow(side: DsoSide): PowerFlowResult {
  let pf = baseFlows.get(side.network);
  if (!pf) {
    pf = solvePowerFlow(side.network);
    baseFlows.set(side.network, pf);
  }
  return pf;
}

/**
 * The published light model with the operating points the TSO added by
 * re-linearization (ids op-<n> in order), checked together with the strict schema.
 */
function withAddedPoints(side: DsoSide, added: unknown[]): LightModel {
  if (added.length === 0) return side.model;
  const n = side.model.operatingPoints.length;
  const ops = added as LightOperatingPoint[];
  ops.forEach((op, k) => {
    if (op?.id !== `op-${n + k}`) throw new ApiError("bad_request", `addedOperatingPoints[${k}]: expected id 'op-${n + k}'`);
  });
  try {
    return parseLightModel({ ...side.model, operatingPoints: [...side.model.operatingPoints, ...ops] });
  } catch (e) {
    if (e instanceof LightModelError) throw new ApiError("bad_request", `addedOperatingPoints: ${e.message}`);
    throw e;
  }
}

function dispatchVectors(lm: LightModel, g: { locationMw: number[]; locationMvar: number[] }) {
  const n = lm.locations.length;
  if (g.locationMw.length !== n || g.locationMvar.length !== n) {
    throw new ApiError("bad_request", `the dispatch has ${g.locationMw.length} active and ${g.locationMvar.length} reactive values; light model ${lm.modelId} has ${n} locations`);
  }
  return { mw: Float64Array.from(g.locationMw), mvar: Float64Array.from(g.locationMvar) };
}

export interface ValidationInput {
  lightModelId: string;
  selectedIndex: number;
  locationMw: number[];
  locationMvar: number[];
  reactive: boolean;
  addedOperatingPoints: unknown[];
}

/** [P004] Table I and Fig. 4-5, for one grid: the AC power flow with the dispatch against the linear prediction. */
export function validateOnSide(sideRows: SharedSideRow[], input: ValidationInput): TsoValidation {
  const side = publishedSide(sideRows, input.lightModelId);
  const lm = withAddedPoints(side, input.addedOperatingPoints);
  const { mw, mvar } = dispatchVectors(lm, input);
  if (input.selectedIndex >= lm.operatingPoints.length) {
    throw new ApiError("bad_request", `selectedIndex ${input.selectedIndex}: the light model has ${lm.operatingPoints.length} operating points`);
  }
  const clearing: DispatchToValidate = { selectedIndex: input.selectedIndex, locationMw: mw, locationMvar: mvar, stats: { reactive: input.reactive } };
  const v = validateDispatch(side.network, side.key, lm, decodeOperatingPoints(lm), clearing);
  const base = baseFlow(side);
  return {
    lightModelId: side.lightModelId,
    gridId: side.gridId,
    gridName: side.gridName,
    verdict: !v.converged ? "not converged" : v.violations.length ? "violations" : "no violation",
    converged: v.converged,
    vMaePu: v.vMaePu,
    vRmsePu: v.vRmsePu,
    vMaxErrPu: v.vMaxErrPu,
    lMaePct: v.lMaePct,
    lRmsePct: v.lRmsePct,
    lMaxErrPct: v.lMaxErrPct,
    violations: v.violations.length,
    worstExcess: worstExcess(v.violations),
    criticalBuses: v.criticalBuses.map((b) => ({ id: b.opaqueId, linear: b.linear, ac: b.ac })),
    criticalBranches: v.criticalBranches.map((b) => ({ id: b.opaqueId, linear: b.linear, ac: b.ac })),
    pcc: { pMw: v.pf.slackPMw, qMvar: v.pf.slackQMvar, basePMw: base.slackPMw, baseQMvar: base.slackQMvar },
    limits: lm.limits,
  };
}

export interface RelinearizeInput {
  lightModelId: string;
  locationMw: number[];
  locationMvar: number[];
  /** Index the new point gets (op-<index>): the published points plus those added before. */
  pointIndex: number;
  iteration: number;
}

/**
 * The DSO side re-linearizes at the dispatched point (AC-verified clearing): a new
 * operating point under the published model's opaque ids. It is not stored: the
 * DSO's published model stays as it is, and the point lives in this clearing only.
 */
export function relinearizeOnSide(sideRows: SharedSideRow[], input: RelinearizeInput): LightOperatingPoint {
  const side = publishedSide(sideRows, input.lightModelId);
  const n = side.model.operatingPoints.length;
  if (input.pointIndex < n) throw new ApiError("bad_request", `pointIndex ${input.pointIndex}: the published model already has ${n} points (op-0 … op-${n - 1})`);
  const { mw, mvar } = dispatchVectors(side.model, input);
  let extended: LightModel;
  try {
    extended = addOperatingPoint(restoreDso(side.network, side.key, side.model), side.model, {
      label: `re-linearized at the dispatch of iteration ${input.iteration}`,
      locationMw: mw,
      locationMvar: mvar,
    });
  } catch (e) {
    // The core's message may name buses; the TSO hears only that it failed.
    if (/did not converge/.test((e as Error).message)) throw new ApiError("bad_request", "the AC power flow at the dispatched point did not converge; no linearization there");
    throw e;
  }
  return { ...extended.operatingPoints[n], id: `op-${input.pointIndex}` };
}

// ---------------------------------------------------------------------------------
// Demo-mode drawings

/** A grid's drawing: its geography, else its schematic layout (the stored one when it still fits, else computed here and returned for storing). */
function drawing(net: Network, stored: StoredLayout | null) {
  const geographic = gridMapData(net);
  if (geographic.bounds) return { map: geographic, layout: null, computed: null };
  const ids = net.buses.map((b) => b.id);
  const fits = stored && stored.busIds.length === ids.length && stored.busIds.every((id, i) => id === ids[i]);
  const layout = fits ? stored : storedLayoutOf(computeLayout(net));
  return { map: diagramData(net, layout), layout, computed: fits ? null : layout };
}

export interface TsoDemoMapInput {
  sideRows: SharedSideRow[];
  portfolios: StoredPortfolioRow[];
  gridId: string;
  /** The stored clearing's dispatch of this grid, with its run id and direction (+1 up, −1 down); null for the "before" map only. */
  run: { runId: string; grid: StoredRunGrid; direction: 1 | -1 } | null;
  /** The grid's stored layout (parsed), if any. */
  layout: StoredLayout | null;
}

/**
 * The TSO's demonstrator map of a grid in demo mode: its drawing, the AC power flow with all
 * bids in the request's direction activated ("before") and with a stored clearing's dispatch
 * ("after"). `computedLayout` is set when the layout was computed here, for the caller to store.
 */
export function tsoDemoMap(input: TsoDemoMapInput): { body: DemoMapResponse; computedLayout: StoredLayout | null } {
  const sides = sidesFromRows(rowsFromShared(input.sideRows));
  const side = sides.find((s) => s.gridId === input.gridId);
  if (!side) throw new ApiError("not_found", "this grid has no published light model");
  const { run } = input;
  if (run && run.grid.lightModelId !== side.lightModelId) {
    throw new ApiError("not_found", `clearing run ${run.runId} used an earlier light model of this grid; the DSO has published a new one since`);
  }
  const direction = run?.direction ?? 1;
  const bids = buildMarket(input.portfolios, sides).grids.find((g) => g.gridId === input.gridId)?.bids ?? [];
  const index = new Map(side.model.locations.map((id, k) => [id, k]));
  const mw = new Float64Array(index.size);
  const mvar = new Float64Array(index.size);
  for (const b of bids) {
    if (Math.sign(b.volumeMw) !== direction) continue;
    const k = index.get(b.location)!;
    mw[k] += b.volumeMw;
    mvar[k] += (b.qPerP ?? 0) * b.volumeMw;
  }
  const flowWith = (p: ArrayLike<number>, q: ArrayLike<number>): PowerFlowResult => solvePowerFlow(applyDispatch(side.network, side.key, p, q));
  const total = (v: ArrayLike<number>) => {
    let s = 0;
    for (let k = 0; k < v.length; k++) s += v[k];
    return s;
  };
  const { map, computed } = drawing(side.network, input.layout);
  const body: DemoMapResponse = {
    label: DEMO_LABEL,
    gridId: side.gridId,
    gridName: side.gridName,
    map,
    before: demoFlowJson(flowWith(mw, mvar), total(mw)),
    after: run ? demoFlowJson(flowWith(run.grid.locationMw, run.grid.locationMvar), total(run.grid.locationMw)) : null,
    runId: run?.runId ?? null,
  };
  return { body, computedLayout: computed };
}

export interface AggregatorDemoMapInput {
  sideRows: SharedSideRow[];
  /** The caller's own portfolios only: the connections drawn are its own assets'. */
  portfolios: StoredPortfolioRow[];
  gridId: string;
  layout: StoredLayout | null;
}

/** An aggregator's drawing of a grid in demo mode (no electrical data) and where its own assets connect; 403 unless demo mode is on. */
export function aggregatorDemoMap(input: AggregatorDemoMapInput): {
  body: { grid: { id: string; name: string; demoMode: true }; map: DemoMap; assets: DemoMapAsset[] };
  computedLayout: StoredLayout | null;
} {
  const sides = sidesFromRows(rowsFromShared(input.sideRows));
  const side = sides.find((s) => s.gridId === input.gridId);
  if (!side) throw new ApiError("not_found", `no grid on the market has id ${input.gridId}`);
  if (!side.demoMode) throw new ApiError("forbidden", `the DSO of ${side.gridName} has not enabled demo mode; its grid is not drawn outside the DSO`);
  const own = buildMarket(input.portfolios, sides);
  const connections = new Set<string>();
  for (const p of own.placed) for (const list of p.dis.assets.values()) for (const a of list) if (a.gridId === input.gridId) connections.add(a.connection);
  const net = side.network;
  const { map, layout, computed } = drawing(net, input.layout);
  return {
    body: { grid: { id: side.gridId, name: side.gridName, demoMode: true }, map: demoMapOf(net, map), assets: connectionPositions(net, connections, layout) },
    computedLayout: computed,
  };
}
