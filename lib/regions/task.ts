import type { OpfSolution } from "../opf/solution";

/**
 * Where the exchange is normalized: ũ = (u − centre) / scale, componentwise — (p, q) in
 * MW and MVAr for a PQ region, (p, q, v) with the PCC voltage in p.u. for a PQV region.
 */
export interface Frame {
  centre: number[];
  scale: number[];
}

/**
 * One AC-OPF of a region: a direction to push the PQ exchange, an ε-constraint on p, a
 * direction on the (p, q, v) sphere, or the least unit cost of a fixed (p, q, v).
 */
export type RegionTask =
  | { kind: "direction"; theta: number; frame: Frame }
  | { kind: "epsilon"; pMw: number; sense: "max" | "min"; frame: Frame }
  | { kind: "sphere"; dir: [number, number, number]; frame: Frame }
  | { kind: "cost"; pMw: number; qMvar: number; vPu: number };

/** What limits a boundary point (for the constraint curves of the chart). */
export type LimitKind = "voltage" | "unit-p" | "unit-q" | "unit-chart" | "pcc-p" | "pcc-q" | "pcc-v" | "branch" | "other";

export interface BoundaryPoint {
  pMw: number;
  qMvar: number;
  /** The PCC voltage magnitude (p.u.). */
  vPu: number;
  /** Injection of every unit that realises the point (MW, MVAr; generation positive), in the problem's unit order. */
  unitP: Float64Array;
  unitQ: Float64Array;
  task: RegionTask;
  /** Binding limits at the point, by kind (most expensive first). */
  limits: LimitKind[];
  /** The units' cost at the point ($/h; cost tasks only, else NaN). */
  costPerH: number;
}

export interface TaskOutcome {
  task: RegionTask;
  point: BoundaryPoint | null;
  status: OpfSolution["status"];
  message: string;
  iterations: number;
  /** AC-OPF solves spent (retries included). */
  solves: number;
}

/** A task as the CLI and the reports list it (no frames). */
export function describeTask(t: RegionTask) {
  switch (t.kind) {
    case "direction":
      return { kind: t.kind, thetaRad: t.theta };
    case "epsilon":
      return { kind: t.kind, pMW: t.pMw, sense: t.sense };
    case "sphere":
      return { kind: t.kind, direction: t.dir };
    case "cost":
      return { kind: t.kind, pMW: t.pMw, qMVAr: t.qMvar, vPu: t.vPu };
  }
}

/** Stable text key of a task (to avoid solving one twice). */
export function taskKey(t: RegionTask): string {
  switch (t.kind) {
    case "direction":
      return `d${t.theta.toFixed(9)}`;
    case "epsilon":
      return `e${t.sense}${t.pMw.toPrecision(12)}`;
    case "sphere":
      return `s${t.dir.map((x) => x.toFixed(9)).join(",")}`;
    case "cost":
      return `c${t.pMw.toPrecision(12)},${t.qMvar.toPrecision(12)},${t.vPu.toPrecision(12)}`;
  }
}
