import type { Fpu, GenCost, Generator, Network } from "../grid/types";
import { solvePowerFlow } from "../powerflow";

/**
 * The controllable units whose flexibility a PQ region aggregates at the PCC, and the
 * grid they sit in. Units are injections (MW, MVAr; generation positive) moving within a
 * box and, optionally, a convex PQ chart given as half-planes a·p + b·q ≤ c.
 */
export interface HalfPlane {
  a: number;
  b: number;
  c: number;
}

export interface FlexUnit {
  id: string;
  bus: number;
  kind: "der" | "generator" | Fpu["kind"];
  /** Scheduled injection (the participation dispatch moves around it). */
  p0Mw: number;
  q0Mvar: number;
  pMinMw: number;
  pMaxMw: number;
  qMinMvar: number;
  qMaxMvar: number;
  /** PQ chart beyond the box (inverter cone, circle approximations); empty for a box. */
  chart: HalfPlane[];
  /** The unit's own cost of P (a generator's gencost); otherwise UNIT_COST's deviation cost. */
  cost?: GenCost;
}

export type UnitSource = "der" | "generators" | "fpus" | "default-set" | "file";

export interface RegionProblem {
  name: string;
  /** The grid with the units' scheduled injections removed and only the PCC's generator left. */
  base: Network;
  pccBus: number;
  /** Exchange bounds from the PCC generator (MW, MVAr) and the PCC voltage it holds (p.u.). */
  pcc: { pMinMw: number; pMaxMw: number; qMinMvar: number; qMaxMvar: number; vmPu: number };
  units: FlexUnit[];
  unitSource: UnitSource;
  /** PQV regions: the range the PCC voltage may take (p.u.); PQ regions hold it at pcc.vmPu. */
  vRange?: [number, number];
}

/** Documented default of the paper's single DER (Remark 4): bounds as shares of the feeder's total demand. */
export const DEFAULT_DER = {
  /** P ∈ [0, pShare · ΣPd]. */
  pShare: 0.25,
  /** Q ∈ [−qShare · Σ|Qd|, qShare · Σ|Qd|]. */
  qShare: 0.15,
};

export class RegionInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RegionInputError";
  }
}

export interface RegionProblemOptions {
  /** Which units: the case's own (default: FPUs if any, else generators besides the PCC's, else the paper's DER). */
  units?: UnitSource;
  der?: { pShare: number; qShare: number };
  /** The DSO's own units (replace the grid's; the grid's other generators stay fixed). */
  unitList?: FlexUnit[];
}

/** Build the region problem of a radial or meshed distribution grid. */
export function buildRegionProblem(net: Network, opts: RegionProblemOptions = {}): RegionProblem {
  if (opts.unitList) {
    if (opts.unitList.length === 0) throw new RegionInputError("the unit list is empty");
    return { ...buildRegionProblem(net, { ...opts, unitList: undefined, units: "der" }), units: opts.unitList, unitSource: "file" };
  }
  const refs = net.buses.filter((b) => b.type === "REF");
  if (refs.length !== 1) throw new RegionInputError(`a PQ region needs exactly one reference bus (the PCC); the grid has ${refs.length}`);
  const pccBus = refs[0].id;
  const pccGenIndex = net.generators.findIndex((g) => g.inService && g.bus === pccBus);
  if (pccGenIndex < 0) throw new RegionInputError(`no in-service generator at the reference bus ${pccBus}: the PCC exchange has no bounds`);
  const pccGen = net.generators[pccGenIndex];
  const others = net.generators.filter((g, k) => g.inService && k !== pccGenIndex);
  const source: UnitSource = opts.units ?? (net.fpus.length > 0 ? "fpus" : others.length > 0 ? "generators" : "der");
  let units: FlexUnit[];
  if (source === "fpus") {
    if (net.fpus.length === 0) throw new RegionInputError("the grid has no flexibility-providing units");
    units = net.fpus.map(fpuUnit);
  } else if (source === "generators") {
    if (others.length === 0) throw new RegionInputError("the grid has no generator besides the PCC's");
    units = others.map(generatorUnit);
  } else units = [defaultDer(net, pccBus, opts.der ?? DEFAULT_DER)];
  const base: Network = {
    ...net,
    generators: [{ ...pccGen, cost: undefined, qCost: undefined }],
    // The units' scheduled injections leave the fixed demand: they become variables.
    fpus: source === "fpus" ? [] : net.fpus,
  };
  if (source !== "generators") base.generators.push(...others);
  return {
    name: net.name,
    base,
    pccBus,
    pcc: pccBounds(net, pccGen),
    units,
    unitSource: source,
  };
}

/**
 * The exchange bounds at the PCC: the PCC generator's limits, widened to the feeder's
 * total apparent demand |ΣS_d| where they are narrower (MATPOWER's distribution cases give
 * every feeder ±10 MW/MVAr: case118zh's 22.7 MW would otherwise need 12.7 MW from one DER
 * and have no region at all). The PCC voltage is the generator's set-point.
 */
function pccBounds(net: Network, g: Generator): RegionProblem["pcc"] {
  const pd = net.buses.reduce((s, b) => s + b.pdMw, 0) + net.loads.reduce((s, l) => s + l.pMw, 0);
  const qd = net.buses.reduce((s, b) => s + b.qdMvar, 0) + net.loads.reduce((s, l) => s + l.qMvar, 0);
  const sd = Math.hypot(pd, qd);
  return {
    pMinMw: Math.min(g.pminMw, -sd),
    pMaxMw: Math.max(g.pmaxMw, sd),
    qMinMvar: Math.min(g.qminMvar, -sd),
    qMaxMvar: Math.max(g.qmaxMvar, sd),
    vmPu: g.vgPu,
  };
}

function generatorUnit(g: Generator): FlexUnit {
  return {
    id: `gen-${g.id}`,
    bus: g.bus,
    kind: "generator",
    p0Mw: g.pgMw,
    q0Mvar: g.qgMvar,
    pMinMw: g.pminMw,
    pMaxMw: g.pmaxMw,
    qMinMvar: g.qminMvar,
    qMaxMvar: g.qmaxMvar,
    chart: [],
    cost: g.cost,
  };
}

/** A flexibility-providing unit: its P range and its PQ chart (box, or convex polygon as half-planes). */
function fpuUnit(f: Fpu): FlexUnit {
  let qMin: number;
  let qMax: number;
  let chart: HalfPlane[] = [];
  if (f.reactive.type === "box") {
    qMin = f.reactive.qMinMvar;
    qMax = f.reactive.qMaxMvar;
  } else {
    const pts = f.reactive.points;
    qMin = Math.min(...pts.map((p) => p.qMvar));
    qMax = Math.max(...pts.map((p) => p.qMvar));
    chart = convexHalfPlanes(pts.map((p) => [p.pMw, p.qMvar]));
  }
  return { id: f.id, bus: f.bus, kind: f.kind, p0Mw: f.pMw, q0Mvar: f.qMvar, pMinMw: f.pMinMw, pMaxMw: f.pMaxMw, qMinMvar: qMin, qMaxMvar: qMax, chart };
}

/** Half-planes of a convex polygon's edges (either orientation; degenerate edges skipped). */
export function convexHalfPlanes(pts: [number, number][]): HalfPlane[] {
  let s = 0;
  for (let i = 0; i < pts.length; i++) {
    const [x1, y1] = pts[i];
    const [x2, y2] = pts[(i + 1) % pts.length];
    s += x1 * y2 - x2 * y1;
  }
  const sign = s >= 0 ? 1 : -1;
  const out: HalfPlane[] = [];
  for (let i = 0; i < pts.length; i++) {
    const [x1, y1] = pts[i];
    const [x2, y2] = pts[(i + 1) % pts.length];
    const dx = x2 - x1;
    const dy = y2 - y1;
    if (dx === 0 && dy === 0) continue;
    // Outward normal of a counter-clockwise edge is (dy, −dx).
    const a = sign * dy;
    const b = -sign * dx;
    out.push({ a, b, c: a * x1 + b * y1 });
  }
  return out;
}

/**
 * The paper's single DER at a leaf node (Remark 4, Fig. 2), where it matters most: the
 * leaf with the lowest voltage in the base-case power flow (the end of the weakest
 * feeder; if the power flow fails, the leaf farthest from the PCC in branches), with
 * P ∈ [0, pShare·ΣPd] and Q ∈ ±qShare·Σ|Qd| (demand: the loads' consumption).
 */
export function defaultDer(net: Network, pccBus: number, share: { pShare: number; qShare: number }): FlexUnit {
  const adj = new Map<number, number[]>();
  for (const b of net.buses) adj.set(b.id, []);
  for (const br of net.branches) {
    if (!br.inService) continue;
    adj.get(br.from)!.push(br.to);
    adj.get(br.to)!.push(br.from);
  }
  const depth = new Map<number, number>([[pccBus, 0]]);
  const queue = [pccBus];
  while (queue.length) {
    const i = queue.shift()!;
    for (const j of adj.get(i)!) {
      if (!depth.has(j)) {
        depth.set(j, depth.get(i)! + 1);
        queue.push(j);
      }
    }
  }
  const pf = solvePowerFlow(net);
  const vm = new Map(net.buses.map((b, i) => [b.id, pf.vm[i]]));
  let leaf = pccBus;
  for (const [bus, d] of depth) {
    if (adj.get(bus)!.length !== 1 || bus === pccBus) continue;
    if (leaf === pccBus) {
      leaf = bus;
      continue;
    }
    const better = pf.converged
      ? vm.get(bus)! < vm.get(leaf)! - 1e-12 || (Math.abs(vm.get(bus)! - vm.get(leaf)!) <= 1e-12 && bus > leaf)
      : d > depth.get(leaf)! || (d === depth.get(leaf)! && bus > leaf);
    if (better) leaf = bus;
  }
  // Total demand: the consumption of the loads (net generation at a bus does not count).
  const pd = net.buses.reduce((s, b) => s + Math.max(0, b.pdMw), 0) + net.loads.reduce((s, l) => s + Math.max(0, l.pMw), 0);
  const qd = net.buses.reduce((s, b) => s + Math.abs(b.qdMvar), 0) + net.loads.reduce((s, l) => s + Math.abs(l.qMvar), 0);
  const qr = share.qShare * qd;
  return { id: `der-${leaf}`, bus: leaf, kind: "der", p0Mw: 0, q0Mvar: 0, pMinMw: 0, pMaxMw: share.pShare * pd, qMinMvar: -qr, qMaxMvar: qr, chart: [] };
}

/**
 * Participation factors (paper 000, Remark 4): the units share a total injection in
 * proportion to their ranges, each at the same fraction of its range,
 * p_k = p_min,k + α_k (P − Σ p_min), α_k = range_k / Σ range (likewise for q). All units
 * then reach their limits together, so none blocks the others (with shares about the
 * schedule instead, one unit already at its limit would pin the whole aggregate).
 */
export interface Participation {
  alphaP: Float64Array;
  alphaQ: Float64Array;
  pMinSum: number;
  qMinSum: number;
}

export function participation(units: FlexUnit[]): Participation {
  const share = (r: number[]) => {
    const s = r.reduce((a, b) => a + b, 0);
    return Float64Array.from(r, (x) => (s > 0 ? x / s : 1 / r.length));
  };
  return {
    alphaP: share(units.map((u) => u.pMaxMw - u.pMinMw)),
    alphaQ: share(units.map((u) => u.qMaxMvar - u.qMinMvar)),
    pMinSum: units.reduce((s, u) => s + u.pMinMw, 0),
    qMinSum: units.reduce((s, u) => s + u.qMinMvar, 0),
  };
}
