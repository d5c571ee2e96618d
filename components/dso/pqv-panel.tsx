"use client";

import { useState } from "react";
import type { PqvJobOptions } from "@/solver-worker/protocol";
import type { GridPanelProps } from "./grid-panel-props";
import { JobProgress } from "@/components/progress/job-progress";
import styles from "./light-model.module.css";

import { defaultPoolWorkers } from "@/components/progress/use-solver-workers";
import { Card } from "@/components/ui/card";
import { JobEnd } from "@/components/progress/job-end";
import { usePqv } from "./use-pqv";
import { PqvResults } from "./pqv-results";

const DEFAULTS: PqvJobOptions = { vRange: [0.95, 1.05], closeTies: false, unitListJson: null, directions: 200 };

/**
 * The 3-D PQV feasible operating region at the PCC (paper 002): what (p, q, v) the grid can
 * realise, sampled by AC-OPF in solver workers, fitted by an implicit polynomial, priced by a
 * quadratic cost, and published to the TSO as coefficients only.
 */
export function PqvPanel({ grid }: GridPanelProps) {
  const [options, setOptions] = useState<PqvJobOptions>(DEFAULTS);
  const [unitFile, setUnitFile] = useState<string | null>(null);
  const [workers, setWorkers] = useState(defaultPoolWorkers);
  const { job, run, cancel } = usePqv(grid.id);
  const running = job.phase === "running";
  const set = (patch: Partial<PqvJobOptions>) => setOptions((o) => ({ ...o, ...patch }));
  const expected = 18 + options.directions * 1.4 + 150;
  return (
    <Card title="PQV region" note="the exchange (p, q) and PCC voltage v the grid can realise, as a polynomial and a cost for the TSO's AC-OPF" testId="pqv-panel">
      <div className={styles.form}>
        <fieldset className={styles.fieldset} disabled={running}>
          <legend>PCC voltage</legend>
          <label className={styles.inline}>
            v from{" "}
            <input type="number" step={0.01} min={0.5} max={1.5} value={options.vRange[0]} onChange={(e) => set({ vRange: [Number(e.target.value), options.vRange[1]] })} data-testid="pqv-vmin" />
            to <input type="number" step={0.01} min={0.5} max={1.5} value={options.vRange[1]} onChange={(e) => set({ vRange: [options.vRange[0], Number(e.target.value)] })} data-testid="pqv-vmax" />{" "}
            p.u.
          </label>
          <label className={styles.check}>
            <input type="checkbox" checked={options.closeTies} onChange={(e) => set({ closeTies: e.target.checked })} /> close tie branches (meshed)
          </label>
        </fieldset>
        <fieldset className={styles.fieldset} disabled={running}>
          <legend>Units</legend>
          <div className="small muted">The grid&apos;s flexible units, else its generators, else a default set of PV inverters and batteries; or your own list:</div>
          <label className={styles.inline}>
            <input
              type="file"
              accept=".json,application/json"
              data-testid="pqv-units-file"
              onChange={async (e) => {
                const f = e.target.files?.[0];
                setUnitFile(f ? f.name : null);
                set({ unitListJson: f ? await f.text() : null });
              }}
            />
          </label>
          {unitFile && <div className="small">using {unitFile}</div>}
        </fieldset>
        <fieldset className={styles.fieldset} disabled={running}>
          <legend>Sampling</legend>
          <label className={styles.inline}>
            Fibonacci directions <input type="number" min={20} max={2000} value={options.directions} onChange={(e) => set({ directions: Number(e.target.value) })} data-testid="pqv-directions" />
          </label>
          <label className={styles.inline}>
            workers <input type="number" min={1} max={16} value={workers} onChange={(e) => setWorkers(Math.max(1, Number(e.target.value)))} />
          </label>
        </fieldset>
      </div>
      <div className="run-bar">
        <button type="button" className="btn btn-primary" disabled={running} onClick={() => void run(options, workers)} data-testid="pqv-compute">
          {job.phase === "done" ? "Compute again" : "Compute the PQV region"}
        </button>
        {running && <JobProgress fraction={Math.min(0.97, 0.03 + job.solved / expected)} label={job.message} testId="pqv-progress" cancel={{ run: cancel, testId: "pqv-cancel" }} />}
        {!running && (
          <span className="muted small">
            Runs in {workers} solver worker{workers > 1 ? "s" : ""}.
          </span>
        )}
      </div>
      <JobEnd job={job} failed="The PQV region could not be computed" testIds={{ error: "pqv-error", cancelled: "pqv-cancelled" }} pool />
      {job.phase === "done" && <PqvResults gridId={grid.id} result={job.result} options={job.options} />}
    </Card>
  );
}
