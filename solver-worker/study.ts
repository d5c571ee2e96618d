import { parseMatpowerCase } from "../lib/grid/matpower";
import { runStudy, type StudyReport } from "../lib/coordination/report";
import { represent, type Represented } from "../lib/coordination/represent";
import type { CoordMethod } from "../lib/coordination/representation";
import { buildStudy, type Study } from "../lib/coordination/study";
import type { StageProgress, StudyCases, StudyCoordinateRequest, StudyRepresentRequest, StudyRepresentResult, StudyStage } from "./protocol";

/**
 * The 29-feeder study (papers 000/002) in the worker: each worker builds the study from the
 * four MATPOWER cases once and keeps it; `study-represent` builds the regions of the systems
 * it is given (the page spreads them over its workers), `study-coordinate` runs the
 * centralized reference, the TSO's OPF over those regions and every post-coordination.
 */
let cached: { key: string; study: Study } | null = null;

function studyFor(cases: StudyCases): Study {
  const key = [cases.transmission, cases.case10ba, cases.case33mg, cases.case118zh].map((t) => `${t.length}:${hash(t)}`).join("|");
  if (cached?.key === key) return cached.study;
  const study = buildStudy(parseMatpowerCase(cases.transmission), {
    case10ba: parseMatpowerCase(cases.case10ba),
    case33mg: parseMatpowerCase(cases.case33mg),
    case118zh: parseMatpowerCase(cases.case118zh),
  });
  cached = { key, study };
  return study;
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

export async function runStudyRepresent(req: StudyRepresentRequest, progress: (p: StageProgress<StudyStage>) => void): Promise<StudyRepresentResult> {
  const study = studyFor(req.cases);
  const out: Represented[] = [];
  for (const [k, i] of req.systems.entries()) {
    const s = study.systems[i];
    if (!s) throw new Error(`the study has no distribution system ${i}`);
    progress({ stage: "regions", fraction: k / req.systems.length, message: `${req.method} region of ${s.name} (${s.feeder})` });
    out.push(await represent(s.net, req.method, { units: [s.der] }));
  }
  return { represented: out, systems: study.systems.length };
}

export async function runStudyCoordinate(req: StudyCoordinateRequest, progress: (p: StageProgress<StudyStage>) => void): Promise<StudyReport> {
  const study = studyFor(req.cases);
  for (const m of req.methods) {
    if ((req.represented[m]?.length ?? 0) !== study.systems.length) throw new Error(`${m}: ${req.represented[m]?.length ?? 0} regions for ${study.systems.length} distribution systems`);
  }
  const stages = 1 + req.methods.length;
  let done = 0;
  return runStudy(study, {
    methods: req.methods as CoordMethod[],
    represented: req.represented,
    onProgress: (stage, d) => {
      if (d !== 0) return;
      progress({ stage: stage.startsWith("centralized") ? "centralized" : "coordination", fraction: done++ / stages, message: stage });
    },
  });
}
