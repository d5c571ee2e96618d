"use client";

import { useMemo, useState } from "react";
import { download } from "@/components/download";
import { formatMs } from "@/components/dso/format";
import { JobProgress } from "@/components/progress/job-progress";
import styles from "@/components/dso/light-model.module.css";
import { PlotlyChart } from "@/components/dso/plotly-chart";
import type { StudyJobResult } from "@/lib/client/study-job";
import { studyCsv, type StudyMethodReport } from "@/lib/coordination/report";
import type { CoordMethod } from "@/lib/coordination/representation";
import { deviationFigure, METHOD_NAME, violationFigure } from "./study-plots";
import { useStudy } from "./use-study";
import { defaultPoolWorkers } from "@/components/progress/use-solver-workers";
import { TableHead } from "@/components/ui/table-head";
import { Card } from "@/components/ui/card";
import { JobEnd } from "@/components/progress/job-end";

const ALL: CoordMethod[] = ["lds", "slc", "exact", "pqv"];

/**
 * The 29-feeder study of papers 000 and 002 in the browser: case30 with 9 case10ba,
 * 16 case33mg and 4 case118zh feeders; the centralized AC-OPF, then the TSO's OPF over each
 * kind of region and every DSO's post-coordination — Fig. 3 and the totals.
 */
export function StudyPanel() {
  const [methods, setMethods] = useState<CoordMethod[]>(["lds", "slc", "exact"]);
  const [workers, setWorkers] = useState(defaultPoolWorkers);
  const { job, run, cancel } = useStudy();
  const running = job.phase === "running";
  const toggle = (m: CoordMethod) => setMethods((ms) => (ms.includes(m) ? ms.filter((x) => x !== m) : ALL.filter((x) => x === m || ms.includes(x))));
  return (
    <Card title="The 29-feeder study" note="case30 with 29 distribution systems attached by demand (paper 000 section IV-B)" testId="study-panel">
      <div className={styles.form}>
        <fieldset className={styles.fieldset} disabled={running}>
          <legend>Regions the DSOs publish</legend>
          {ALL.map((m) => (
            <label key={m} className={styles.check}>
              <input type="checkbox" checked={methods.includes(m)} onChange={() => toggle(m)} data-testid={`study-method-${m}`} /> {METHOD_NAME[m]}
            </label>
          ))}
        </fieldset>
        <fieldset className={styles.fieldset} disabled={running}>
          <legend>Computation</legend>
          <label className={styles.inline}>
            workers <input type="number" min={1} max={8} value={workers} onChange={(e) => setWorkers(Math.max(1, Number(e.target.value)))} />
          </label>
        </fieldset>
      </div>
      <div className="run-bar">
        <button type="button" className="btn btn-primary" disabled={running || methods.length === 0} onClick={() => void run(methods, workers)} data-testid="study-run">
          {job.phase === "done" ? "Run again" : "Run the study"}
        </button>
        {running && <JobProgress fraction={job.total ? job.done / job.total : 0} label={job.message} testId="study-progress" cancel={{ run: cancel, testId: "study-cancel" }} />}
        {!running && (
          <span className="muted small">
            Regions are built in {workers} solver worker{workers > 1 ? "s" : ""} (the DSOs&apos; offline step); the PQV regions take about a minute.
          </span>
        )}
      </div>
      <JobEnd job={job} failed="The study could not run" testIds={{ error: "study-error", cancelled: "study-cancelled" }} pool />
      {job.phase === "done" && <StudyResults result={job.result} />}
    </Card>
  );
}

const pct = (x: number) => (Number.isFinite(x) ? `${x >= 0 ? "+" : ""}${x.toFixed(4)} %` : "—");
const total = (m: StudyMethodReport) => m.violations.voltage + m.violations.p + m.violations.q + m.violations.branch;

function StudyResults({ result }: { result: StudyJobResult }) {
  const r = result.report;
  const deviation = useMemo(() => deviationFigure(r), [r]);
  const violations = useMemo(() => violationFigure(r), [r]);
  const counts: Record<string, number> = {};
  for (const s of r.systems) counts[s.case] = (counts[s.case] ?? 0) + 1;
  const c = r.centralized;
  const cv = r.centralizedVoltage;
  return (
    <div className="stack" data-testid="study-result">
      <div className="alert alert-ok" role="status" data-testid="study-summary">
        {r.transmission} with {r.systems.length} distribution systems (
        {Object.entries(counts)
          .map(([k, n]) => `${n} ${k}`)
          .join(", ")}
        ). Centralized AC-OPF of the integrated system: {c.status}, f* = {c.objective.toFixed(4)} $/h over {c.buses} buses in {formatMs(c.solveMs)} ms
        {cv ? `; voltage-coupled (PQV's reference) ${cv.objective.toFixed(4)} $/h over ${cv.buses} buses in ${formatMs(cv.solveMs)} ms` : ""}. {result.workers} worker{result.workers > 1 ? "s" : ""},{" "}
        {formatMs(result.wallMs)} ms in all.
      </div>
      <div className="table-wrap">
        <table className="data" data-testid="study-methods">
          <TableHead
            columns={[
              "Regions",
              { num: "f ($/h)" },
              { num: "vs f*" },
              { num: "violations V / P / Q / branch" },
              { num: "worst unit (MW, MVAr) / voltage (p.u.)" },
              { num: "TSO OPF (ms)" },
              { num: "DSO solves (ms, sum / longest)" },
              { num: "regions (ms, summed)" },
            ]}
          />
          <tbody>
            {r.methods.map((m) => (
              <tr key={m.method} data-method={m.method} data-violations={total(m)}>
                <td>
                  {METHOD_NAME[m.method]}
                  {m.reference === "voltage" ? <span className="muted small"> (vs voltage-coupled f*)</span> : null}
                </td>
                <td className="num">{m.status === "optimal" ? m.objective.toFixed(4) : m.message}</td>
                <td className="num">{pct(m.costDeviationPct)}</td>
                <td className="num">
                  {m.violations.voltage} / {m.violations.p} / {m.violations.q} / {m.violations.branch}
                </td>
                <td className="num">
                  {m.worst.unitMW.toFixed(4)} / {m.worst.voltagePu.toFixed(4)}
                </td>
                <td className="num">{formatMs(m.tsoSolveMs)}</td>
                <td className="num">
                  {formatMs(m.dsoSolveMs)} / {formatMs(m.dsoMaxMs)}
                </td>
                <td className="num">{formatMs(m.regionMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3>Cost deviation per distribution system</h3>
      <PlotlyChart figure={deviation} testId="study-deviation-plot" height={360} />
      <h3>Limits violated after post-coordination</h3>
      <PlotlyChart figure={violations} testId="study-violation-plot" height={400} />
      <div className="run-bar">
        <button type="button" className="btn" onClick={() => download("coordination-study.csv", studyCsv(r), "text/csv")} data-testid="study-download-csv">
          Download CSV
        </button>
        <button type="button" className="btn" onClick={() => download("coordination-study.json", JSON.stringify(r, null, 1), "application/json")} data-testid="study-download-json">
          Download JSON
        </button>
      </div>
      <p className="muted small">
        f is the transmission generators&apos; cost at the TSO&apos;s solution plus every DER&apos;s cost at its post-coordination dispatch. A system&apos;s deviation is its DER cost against the
        reference, in % of f*; the TSO&apos;s share makes up the rest of the total. Violations count unit P/Q limits over 1 kW/kVAr, voltages over 1e-4 p.u. and branch flows over 1e-4 of their rating,
        after each DSO&apos;s least-cost dispatch at its set-point (or the closest dispatch when none meets it).
      </p>
    </div>
  );
}
