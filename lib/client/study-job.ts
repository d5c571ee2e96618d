import type { StudyReport } from "@/lib/coordination/report";
import type { Represented } from "@/lib/coordination/represent";
import type { CoordMethod } from "@/lib/coordination/representation";
import type { StudyCases } from "@/solver-worker/protocol";
import type { SolverClient } from "./solver-client";

export interface StudyJobResult {
  systems: number;
  report: StudyReport;
  workers: number;
  /** Wall-clock time of each method's regions over the workers, ms. */
  regionWallMs: Partial<Record<CoordMethod, number>>;
  wallMs: number;
}

/**
 * The 29-feeder study over the page's solver workers: for each method the distribution
 * systems' regions go one system at a time to whichever worker is free (they differ in
 * size by two orders), then one worker solves the centralized reference, the TSO's OPF
 * over the regions and the DSOs' post-coordination.
 */
export async function runStudyJob(clients: SolverClient[], cases: StudyCases, methods: CoordMethod[], onProgress: (message: string, done: number, total: number) => void): Promise<StudyJobResult> {
  const t0 = performance.now();
  const { systems } = await clients[0].run("study-represent", { cases, method: methods[0], systems: [] });
  const represented: Partial<Record<CoordMethod, Represented[]>> = {};
  const regionWallMs: Partial<Record<CoordMethod, number>> = {};
  const total = methods.length * systems;
  let done = 0;
  for (const method of methods) {
    const t1 = performance.now();
    const out: Represented[] = new Array(systems);
    let next = 0;
    await Promise.all(
      clients.map(async (c) => {
        while (next < systems) {
          const k = next++;
          const r = await c.run("study-represent", { cases, method, systems: [k] });
          out[k] = r.represented[0];
          onProgress(`${method} regions: ${k + 1 === systems ? "last" : `system ${k + 1}`} built on ${clients.length} worker${clients.length > 1 ? "s" : ""}`, ++done, total);
        }
      }),
    );
    represented[method] = out;
    regionWallMs[method] = performance.now() - t1;
  }
  onProgress("Centralized AC-OPF, the TSO's OPF over the regions and every DSO's post-coordination", total, total);
  const report = await clients[0].run("study-coordinate", { cases, methods, represented });
  return { systems, report, workers: clients.length, regionWallMs, wallMs: performance.now() - t0 };
}
