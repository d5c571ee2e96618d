import { ExactRegionSolver, type RegionProblem } from "../lib/regions";
import type { AcExchangeCheck } from "../lib/regions/ac-check";

/**
 * The region problem a worker holds between messages (PQ and PQV jobs alike): set by the
 * prepare message, or sent once with the first batch of tasks; its warm solver and AC
 * check are built on first use.
 */
export interface CachedProblem {
  key: string;
  problem: RegionProblem;
  solver: ExactRegionSolver | null;
  check: AcExchangeCheck | null;
}

let cached: CachedProblem | null = null;

export function setProblem(key: string, problem: RegionProblem): CachedProblem {
  cached = { key, problem, solver: null, check: null };
  return cached;
}

export function problemFor(key: string, json: string | undefined): CachedProblem {
  if (cached?.key === key) return cached;
  if (!json) throw new Error("region worker: the problem was not sent to this worker");
  return setProblem(key, JSON.parse(json) as RegionProblem);
}

export function solverFor(c: CachedProblem): ExactRegionSolver {
  c.solver ??= new ExactRegionSolver(c.problem);
  return c.solver;
}

/** A short key of a problem's JSON (FNV-1a). */
export function problemKey(name: string, json: string): string {
  let h = 2166136261;
  for (let i = 0; i < json.length; i++) h = Math.imul(h ^ json.charCodeAt(i), 16777619);
  return `${name}|${json.length}|${(h >>> 0).toString(36)}`;
}
