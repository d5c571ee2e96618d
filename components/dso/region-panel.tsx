"use client";

import { useState } from "react";
import type { RegionMethod } from "@/lib/regions";
import { DEFAULT_DER } from "@/lib/regions/units";
import type { RegionJobOptions } from "@/solver-worker/protocol";
import type { GridPanelProps } from "./grid-panel-props";
import { JobProgress } from "@/components/progress/job-progress";
import styles from "./light-model.module.css";
import { RegionResults } from "./region-results";
import { useRegion } from "./use-region";
import { defaultPoolWorkers } from "@/components/progress/use-solver-workers";
import { Card } from "@/components/ui/card";
import { JobEnd } from "@/components/progress/job-end";

const DEFAULTS: RegionJobOptions = {
  units: "auto",
  der: { pShare: DEFAULT_DER.pShare, qShare: DEFAULT_DER.qShare },
  closeTies: false,
  methods: ["lds", "slc", "exact"],
  directions: 24,
  epsilonSteps: 8,
};

const METHOD_LABEL: Record<RegionMethod, string> = {
  lds: "LinDistFlow (U_LDS)",
  slc: "loss-compensated (U_SLC)",
  exact: "exact (AC-OPF)",
};

/**
 * The PQ flexibility region at the grid's PCC (paper 000, section III, Fig. 2): which
 * exchange (p, q) the grid can realise with its units inside every limit, by LinDistFlow,
 * with loss compensation and exactly by AC-OPF, computed in solver workers, compared, and
 * published to the TSO as coefficients only.
 */
export function RegionPanel({ grid }: GridPanelProps) {
  const [options, setOptions] = useState<RegionJobOptions>(DEFAULTS);
  const [workers, setWorkers] = useState(defaultPoolWorkers);
  const { job, run, cancel } = useRegion(grid.id);
  const running = job.phase === "running";
  const set = (patch: Partial<RegionJobOptions>) => setOptions((o) => ({ ...o, ...patch }));
  const toggle = (m: RegionMethod, on: boolean) => set({ methods: on ? [...options.methods, m].sort() : options.methods.filter((x) => x !== m) });
  return (
    <Card title="Flexibility region" note="which exchange with the transmission grid (p, q at the PCC) your units can deliver inside every limit" testId="region-panel">
      <div className={styles.form}>
        <fieldset className={styles.fieldset} disabled={running}>
          <legend>Units</legend>
          <label className={styles.inline}>
            <select value={options.units} onChange={(e) => set({ units: e.target.value as RegionJobOptions["units"] })} data-testid="region-units">
              <option value="auto">the grid&apos;s own (flexible units, else generators, else one DER)</option>
              <option value="der">one DER at the weakest leaf (paper 000)</option>
              <option value="generators">the generators besides the PCC&apos;s</option>
              <option value="fpus">the flexibility-providing units</option>
            </select>
          </label>
          <div className="small muted">DER bounds as shares of the feeder&apos;s demand:</div>
          <label className={styles.inline}>
            P ≤ <input type="number" min={0.01} max={2} step={0.05} value={options.der.pShare} onChange={(e) => set({ der: { ...options.der, pShare: Number(e.target.value) } })} /> · ΣPd
          </label>
          <label className={styles.inline}>
            |Q| ≤ <input type="number" min={0.01} max={2} step={0.05} value={options.der.qShare} onChange={(e) => set({ der: { ...options.der, qShare: Number(e.target.value) } })} /> · Σ|Qd|
          </label>
        </fieldset>
        <fieldset className={styles.fieldset} disabled={running}>
          <legend>Methods</legend>
          {(["lds", "slc", "exact"] as RegionMethod[]).map((m) => (
            <label key={m} className={styles.check}>
              <input type="checkbox" checked={options.methods.includes(m)} onChange={(e) => toggle(m, e.target.checked)} data-testid={`region-method-${m}`} /> {METHOD_LABEL[m]}
            </label>
          ))}
          <label className={styles.check}>
            <input type="checkbox" checked={options.closeTies} onChange={(e) => set({ closeTies: e.target.checked })} data-testid="region-close-ties" /> close tie branches (meshed: exact only)
          </label>
        </fieldset>
        <fieldset className={styles.fieldset} disabled={running}>
          <legend>Exact region</legend>
          <label className={styles.inline}>
            directions <input type="number" min={4} max={360} value={options.directions} onChange={(e) => set({ directions: Number(e.target.value) })} />
          </label>
          <label className={styles.inline}>
            ε-steps <input type="number" min={0} max={200} value={options.epsilonSteps} onChange={(e) => set({ epsilonSteps: Number(e.target.value) })} />
          </label>
          <label className={styles.inline}>
            workers <input type="number" min={1} max={16} value={workers} onChange={(e) => setWorkers(Math.max(1, Number(e.target.value)))} data-testid="region-workers" />
          </label>
        </fieldset>
      </div>
      <div className="run-bar">
        <button type="button" className="btn btn-primary" disabled={running || options.methods.length === 0} onClick={() => void run(options, workers)} data-testid="region-compute">
          {job.phase === "done" ? "Compute again" : "Compute the regions"}
        </button>
        {running && (
          <JobProgress
            fraction={progressFraction(job.progress?.solved ?? 0, options)}
            label={job.progress?.message ?? "Starting the solver workers"}
            testId="region-progress"
            cancel={{ run: cancel, testId: "region-cancel" }}
          />
        )}
        {!running && (
          <span className="muted small">
            Runs in {workers} solver worker{workers > 1 ? "s" : ""}; the page stays responsive.
          </span>
        )}
      </div>
      <JobEnd job={job} failed="The region could not be computed" testIds={{ error: "region-error", cancelled: "region-cancelled" }} pool />
      {job.phase === "done" && <RegionResults gridId={grid.id} result={job.result} options={job.options} />}
    </Card>
  );
}

/** About 4 + directions + 2·ε-steps solves and as many again refining: a progress estimate. */
function progressFraction(solved: number, o: RegionJobOptions): number {
  const expected = 4 + o.directions + 2 * o.epsilonSteps;
  return Math.min(0.95, 0.05 + (0.9 * solved) / (1.8 * expected));
}
