import { postCoordinate, type PostCoordination, type ViolationCounts } from "./post";
import { pqProblem, pqvProblem, type Represented } from "./represent";
import type { CoordMethod } from "./representation";
import type { Study } from "./study";
import { solveTsoOpf, type TsoOpfResult } from "./tso-opf";

/**
 * One coordination round (paper 000 section II-C and IV-B; paper 002's single round): the
 * TSO's AC-OPF over the published regions, then every DSO's post-coordination at its
 * set-point. The cost f is the transmission generators' cost at the TSO's solution plus
 * every DER's cost at its post-coordination dispatch.
 */
export interface SystemOutcome {
  name: string;
  tsBus: number;
  pccPMw: number;
  pccQMvar: number;
  pccVPu: number;
  post: PostCoordination;
}

export interface CoordinationOutcome {
  method: CoordMethod;
  tso: TsoOpfResult;
  systems: SystemOutcome[];
  /** f ($/h). */
  objective: number;
  violations: ViolationCounts;
  tsoSolveMs: number;
  /** The DSOs' post-coordination solves, summed and the longest (they run at the DSOs in parallel). */
  dsoSolveMs: number;
  dsoMaxMs: number;
}

/** Post-coordination of one system (a DSO's own job: a worker thread in the study). */
export type PostRunner = (systemIndex: number, method: CoordMethod, setPoint: { pMw: number; qMvar: number; vPu?: number }) => Promise<PostCoordination>;

function localPostRunner(study: Study): PostRunner {
  return async (k, method, sp) => {
    const s = study.systems[k];
    const problem = method === "pqv" ? pqvProblem(s.net, [s.der]) : pqProblem(s.net, [s.der]);
    return postCoordinate(problem, sp);
  };
}

export async function coordinate(study: Study, method: CoordMethod, reps: Represented[], post: PostRunner = localPostRunner(study)): Promise<CoordinationOutcome> {
  const tso = solveTsoOpf(
    study.ts,
    study.systems.map((s, k) => ({ tsBus: s.tsBus, label: s.name, rep: reps[k].rep, replaceDemand: false })),
  );
  if (tso.status !== "optimal") {
    throw new Error(`the TSO's ${method} OPF ended ${tso.status}: ${tso.message}`);
  }
  const posts = await Promise.all(tso.setPoints.map((sp, k) => post(k, method, { pMw: sp.pMw, qMvar: sp.qMvar, ...(method === "pqv" ? { vPu: sp.vPu } : {}) })));
  const violations: ViolationCounts = { voltage: 0, p: 0, q: 0, branch: 0 };
  let dsCost = 0;
  posts.forEach((p) => {
    dsCost += p.costPerH;
    for (const k of Object.keys(violations) as (keyof ViolationCounts)[]) violations[k] += p.violations[k];
  });
  return {
    method,
    tso,
    systems: study.systems.map((s, k) => ({ name: s.name, tsBus: s.tsBus, pccPMw: tso.setPoints[k].pMw, pccQMvar: tso.setPoints[k].qMvar, pccVPu: tso.setPoints[k].vPu, post: posts[k] })),
    objective: tso.tsCostPerH + dsCost,
    violations,
    tsoSolveMs: tso.solveMs,
    dsoSolveMs: posts.reduce((s, p) => s + p.solveMs, 0),
    dsoMaxMs: Math.max(...posts.map((p) => p.solveMs)),
  };
}
