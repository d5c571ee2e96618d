import type { Bid } from "./bid";
import { sensitivity, type ClearingProblem, type LimitRow } from "./problem";

/**
 * The balancing-energy MILP of [P004] (eq. 11-14), written in CPLEX
 * LP format for HiGHS.
 *
 * Variables: bid activations y_j in [min(0,P_M,j), max(0,P_M,j)] (eq. 12-13, 14b-c),
 * the activated flexibility per location x = A y (A: bid-to-location incidence; [P004]'s
 * P_Flex,i + ΔP_i when point i is selected, so ΔP_i = x − P_Flex,i), and
 * binaries b_i choosing the operating point.
 *
 * Linear reformulation of the products with b_i:
 *  - (14a) Σ_i cᵀ(P_Flex,i + ΔP_i) b_i: with Σ b_i = 1 (14i) this is cᵀ x = Σ_j c_j y_j,
 *    linear, priced per bid.
 *  - (14d)-(14g) G_L,i(ΔP_i) <= L_UB b_i + L_i(1 − b_i): for b_i = 1 the limit must hold,
 *    for b_i = 0 nothing is asked. Written as L_i + LTDF_i(x − P_Flex,i) − L_UB <=
 *    M (1 − b_i) with M the largest value the left side takes over the box of bid
 *    volumes, computed by interval arithmetic, so the big-M is exact (the tightest
 *    valid constant) and the row is void at b_i = 0. Likewise the lower and the
 *    voltage limits. Rows whose prediction cannot reach the limit anywhere in the box
 *    are dropped (screening), the rest are added lazily (see solve.ts).
 *  - (14h) H_ij(ΔP_i)·b_i >= 0 with H_ij = (P_i − P_j)ᵀ(x − (P_i + P_j)/2): written as
 *    H_ij(x) >= H_min (1 − b_i), H_min the least value of H_ij over the box (big-M from
 *    the known bounds). P_Fix is the same at every point and cancels, so only the
 *    flexibility parts of P_i, P_j enter.
 *  - (14j) Σ_i (P_Flex,i + ΔP_i) = P_E for the selected point is Σ_j y_j = P_E.
 * Beyond [P004]: minimum activation / indivisible bids with a binary u_j
 * (m·u <= |y| <= |P_M|·u, or y = P_M·u); and, when the light model has reactive
 * sensitivities and bids a reactive ratio q = tan φ, the reactive injection
 * w = A diag(q) y adds VTDF_Q,i (w − Q_Flex,i) to the predictions.
 */

export interface MilpModel {
  lp: string;
  bName: string[];
  yName: string[];
  stats: {
    variables: number;
    binaries: number;
    constraints: number;
    limitRowsInLp: number;
    limitRowsCandidates: number;
    limitRowsScreened: number;
    bidLocations: number;
    reactive: boolean;
  };
}

/** 13 significant digits: far below HiGHS's tolerances, a third shorter than round-trip text. */
function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(13)));
}

/** A sum of coefficient × variable terms in LP-file syntax; zero and non-finite coefficients are left out. */
class LinearExpr {
  private parts: string[] = [];
  add(coef: number, name: string): this {
    if (coef === 0 || !Number.isFinite(coef)) return this;
    this.parts.push(`${coef < 0 ? "-" : "+"} ${fmt(Math.abs(coef))} ${name}`);
    return this;
  }
  get empty(): boolean {
    return this.parts.length === 0;
  }
  toString(): string {
    const s = this.parts.join(" ");
    return s.startsWith("+ ") ? s.slice(2) : s;
  }
}

/**
 * A group of bids that activates together: the disaggregated assets of one
 * aggregated bid. Its minimum activation applies to the sum over its bids
 * (m·u <= Σ|y| and |y_b| <= |P_M,b|·u with one binary u), indivisible means every
 * bid fully or none (y_b = P_M,b·u).
 */
export interface BidGroup {
  id: string;
  minActivationMw?: number;
  indivisible?: boolean;
}

export interface MarketLpPart {
  problem: ClearingProblem;
  rows: LimitRow[];
}

/** Tie-break step, €/MWh: above HiGHS' dual feasibility tolerance (1e-7), far below any price step. */
const TIE_BREAK_EUR_PER_MWH = 1e-6;

/**
 * Bids at the same price are taken in the order they were submitted (grid by grid, then
 * file order): the n-th bid in a direction at a price costs n·1e-6 €/MWh more in the objective (never in
 * the reported cost). Without it the MILP's optimum is a face, not a point, and HiGHS may
 * return a different equally cheap dispatch for a slightly changed model, which kept the
 * AC-verified loop re-linearizing at ever new dispatches of the same cost.
 */
function tieBreaks(bidsPerGrid: Bid[][]): Float64Array[] {
  const seen = new Map<string, number>();
  return bidsPerGrid.map((bids) =>
    Float64Array.from(bids, (b) => {
      const key = `${Math.sign(b.volumeMw)}|${b.priceEurPerMwh}`;
      const n = seen.get(key) ?? 0;
      seen.set(key, n + 1);
      return n * TIE_BREAK_EUR_PER_MWH;
    }),
  );
}

type Sense = "<=" | ">=" | "=";

/** The sections of the LP file as they are written: constraint rows, bounds and binaries. */
class LpSections {
  readonly rows: string[] = [];
  readonly bounds: string[] = [];
  readonly binaries: string[] = [];

  /** Adds a row; a row without variables is left out if it holds and is an error if not. */
  row(name: string, expr: LinearExpr, sense: Sense, rhs: number): void {
    if (expr.empty) {
      const ok = sense === "<=" ? 0 <= rhs + 1e-12 : sense === ">=" ? 0 >= rhs - 1e-12 : Math.abs(rhs) <= 1e-12;
      if (ok) return;
      throw new Error(`clearing model: row ${name} has no variables and cannot hold`);
    }
    this.rows.push(` ${name}: ${expr.toString()} ${sense} ${fmt(rhs)}`);
  }
}

/** The variable names of grid g (prefix `g<g>_`): point binaries b, bid activations y, per bid slot x (P) and w (Q). */
interface GridNames {
  pre: string;
  bName: string[];
  yName: string[];
  xName: (s: number) => string;
  wName: (s: number) => string;
  /** Whether slot s has a reactive variable w. */
  hasW: (s: number) => boolean;
}

function gridNames(p: ClearingProblem, g: number): GridNames {
  const pre = `g${g}_`;
  return {
    pre,
    bName: p.ops.map((_, i) => `${pre}b${i}`),
    yName: p.bids.map((_, j) => `${pre}y${j}`),
    xName: (s) => `${pre}x${s}`,
    wName: (s) => `${pre}w${s}`,
    hasW: (s) => p.reactive && (p.qlo[s] !== 0 || p.qhi[s] !== 0),
  };
}

/** (14i) Σ b_i = 1, and the coupling x = A y, w = A diag(q) y. */
function writeCoupling(lp: LpSections, p: ClearingProblem, n: GridNames): void {
  const sumB = new LinearExpr();
  n.bName.forEach((b) => sumB.add(1, b));
  lp.row(`${n.pre}pick`, sumB, "=", 1);
  for (let s = 0; s < p.bidLoc.length; s++) {
    const e = new LinearExpr().add(1, n.xName(s));
    for (const j of p.bidsAt[s]) e.add(-1, n.yName[j]);
    lp.row(`${n.pre}cpl${s}`, e, "=", 0);
    if (n.hasW(s)) {
      const q = new LinearExpr().add(1, n.wName(s));
      for (const j of p.bidsAt[s]) q.add(-(p.bids[j].qPerP ?? 0), n.yName[j]);
      lp.row(`${n.pre}cplq${s}`, q, "=", 0);
    }
  }
}

/** (14d)-(14g): prediction − bound <= (extreme − bound)(1 − b_i), and >= for lower limits. */
function writeLimitRows(lp: LpSections, p: ClearingProblem, limitRows: LimitRow[], n: GridNames): void {
  const nLoc = p.lm.locations.length;
  for (const r of limitRows) {
    const { S, SQ } = sensitivity(p, r);
    const off = r.element * nLoc;
    const ex = new LinearExpr();
    for (let s = 0; s < p.bidLoc.length; s++) {
      ex.add(S[off + p.bidLoc[s]], n.xName(s));
      if (n.hasW(s) && SQ) ex.add(SQ[off + p.bidLoc[s]], n.wName(s));
    }
    ex.add(r.extreme - r.bound, n.bName[r.op]);
    lp.row(`${n.pre}${r.kind}${r.side}${r.op}_${r.element}`, ex, r.side === "u" ? "<=" : ">=", r.extreme - r.constant);
  }
}

/** (14h): H_ij(x) >= H_min (1 − b_i). */
function writeVoronoiRows(lp: LpSections, p: ClearingProblem, n: GridNames): void {
  for (const v of p.voronoi) {
    if (v.hMin >= 0) continue;
    const e = new LinearExpr();
    for (let s = 0; s < p.bidLoc.length; s++) e.add(v.d[p.bidLoc[s]], n.xName(s));
    e.add(v.hMin, n.bName[v.i]);
    lp.row(`${n.pre}h${v.i}_${v.j}`, e, ">=", v.k + v.hMin);
  }
}

/** Activations of the bids in each group, collected over the grids. */
type GroupMembers = Map<string, { name: string; volumeMw: number }[]>;

/** Bids: bounds, their own minimum activation (binary u_j), group membership. */
function writeBids(lp: LpSections, p: ClearingProblem, n: GridNames, groupBids: GroupMembers): void {
  p.bids.forEach((b, j) => {
    const vol = b.volumeMw;
    const y = n.yName[j];
    lp.bounds.push(` ${fmt(Math.min(0, vol))} <= ${y} <= ${fmt(Math.max(0, vol))}`);
    if (b.groupId) {
      const list = groupBids.get(b.groupId) ?? [];
      list.push({ name: y, volumeMw: vol });
      groupBids.set(b.groupId, list);
      return;
    }
    if (!(b.indivisible || (b.minActivationMw ?? 0) > 0)) return;
    const u = `${n.pre}u${j}`;
    lp.binaries.push(u);
    if (b.indivisible) {
      lp.row(`${n.pre}ind${j}`, new LinearExpr().add(1, y).add(-vol, u), "=", 0);
      return;
    }
    const min = b.minActivationMw!;
    lp.row(`${n.pre}mxa${j}`, new LinearExpr().add(1, y).add(-vol, u), vol > 0 ? "<=" : ">=", 0);
    lp.row(`${n.pre}mna${j}`, new LinearExpr().add(1, y).add(vol > 0 ? -min : min, u), vol > 0 ? ">=" : "<=", 0);
  });
}

/** One grid's rows, bounds and binaries; returns how many continuous and point-binary variables it adds. */
function writeGrid(lp: LpSections, p: ClearingProblem, limitRows: LimitRow[], n: GridNames, groupBids: GroupMembers): number {
  writeCoupling(lp, p, n);
  writeLimitRows(lp, p, limitRows, n);
  writeVoronoiRows(lp, p, n);
  lp.binaries.push(...n.bName);
  writeBids(lp, p, n, groupBids);
  let wCount = 0;
  for (let s = 0; s < p.bidLoc.length; s++) {
    lp.bounds.push(` ${n.xName(s)} free`);
    if (n.hasW(s)) {
      lp.bounds.push(` ${n.wName(s)} free`);
      wCount++;
    }
  }
  return p.ops.length + p.bids.length + p.bidLoc.length + wCount;
}

/** Groups (aggregated bids): one binary each. */
function writeGroups(lp: LpSections, groups: BidGroup[], groupBids: GroupMembers): void {
  for (const grp of groups) {
    const members = groupBids.get(grp.id);
    if (!members?.length) continue;
    const u = `grp_${lp.binaries.length}`;
    lp.binaries.push(u);
    const sign = Math.sign(members[0].volumeMw);
    if (grp.indivisible) {
      members.forEach((m, k) => lp.row(`${u}_i${k}`, new LinearExpr().add(1, m.name).add(-m.volumeMw, u), "=", 0));
      continue;
    }
    members.forEach((m, k) => lp.row(`${u}_x${k}`, new LinearExpr().add(1, m.name).add(-m.volumeMw, u), sign > 0 ? "<=" : ">=", 0));
    if ((grp.minActivationMw ?? 0) > 0) {
      const sum = new LinearExpr();
      members.forEach((m) => sum.add(sign, m.name));
      sum.add(-grp.minActivationMw!, u);
      lp.row(`${u}_min`, sum, ">=", 0);
    }
  }
}

/** The model's size, summed over the grids. */
function modelStats(parts: MarketLpPart[], lp: LpSections, gridVariables: number): MilpModel["stats"] {
  const sum = (f: (pt: MarketLpPart) => number) => parts.reduce((acc, pt) => acc + f(pt), 0);
  const nOps = sum((pt) => pt.problem.ops.length);
  return {
    variables: gridVariables + (lp.binaries.length - nOps),
    binaries: lp.binaries.length,
    constraints: lp.rows.length,
    limitRowsInLp: sum((pt) => pt.rows.length),
    limitRowsCandidates: sum((pt) => pt.problem.candidates.length),
    limitRowsScreened: sum((pt) => pt.problem.screenedOut),
    bidLocations: sum((pt) => pt.problem.bidLoc.length),
    reactive: parts.some((pt) => pt.problem.reactive),
  };
}

/**
 * The LP text for one or more grids cleared together: each grid with its own
 * operating-point binaries and limit rows, one shared balance Σ y = P_E (14j), one
 * objective (14a), and the bid groups across grids.
 */
export function writeMarketLp(parts: MarketLpPart[], market: { requestMw: number; maximizeDelivery?: 1 | -1; groups?: BidGroup[] }): MilpModel & { gridB: string[][]; gridY: string[][] } {
  const lp = new LpSections();
  const obj = new LinearExpr();
  const bal = new LinearExpr();
  const names = parts.map(({ problem }, g) => gridNames(problem, g));
  const groupBids: GroupMembers = new Map();
  const tie = tieBreaks(parts.map((pt) => pt.problem.bids));
  let variables = 0;
  parts.forEach(({ problem: p, rows: limitRows }, g) => {
    // (14a) / delivered total, and (14j)
    p.bids.forEach((b, j) => {
      obj.add(market.maximizeDelivery ? 1 : b.priceEurPerMwh + Math.sign(b.volumeMw) * tie[g][j], names[g].yName[j]);
      bal.add(1, names[g].yName[j]);
    });
    variables += writeGrid(lp, p, limitRows, names[g], groupBids);
  });
  if (!market.maximizeDelivery) lp.row("balance", bal, "=", market.requestMw);
  writeGroups(lp, market.groups ?? [], groupBids);
  if (obj.empty) obj.add(1e-9, lp.binaries[0]);
  const text = [
    market.maximizeDelivery === 1 ? "Maximize" : "Minimize",
    ` obj: ${obj.toString()}`,
    "Subject To",
    ...lp.rows,
    "Bounds",
    ...lp.bounds,
    "Binary",
    ` ${lp.binaries.join(" ")}`,
    "End",
    "",
  ].join("\n");
  const gridB = names.map((n) => n.bName);
  const gridY = names.map((n) => n.yName);
  return { lp: text, bName: gridB.flat(), yName: gridY.flat(), gridB, gridY, stats: modelStats(parts, lp, variables) };
}
