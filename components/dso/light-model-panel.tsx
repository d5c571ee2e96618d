"use client";

import { useState } from "react";
import { uploadLightModel } from "@/lib/client/light-model-api";
import { DEFAULT_LIGHT_MODEL_OPTIONS, type LightModelOptions, type SensitivitiesStage } from "@/solver-worker/protocol";
import type { GridPanelProps } from "./grid-panel-props";
import { JobProgress, stageLabel } from "@/components/progress/job-progress";
import styles from "./light-model.module.css";
import { LightModelForm } from "./light-model-form";
import { BoundaryPanel, LightModelSummaryLine, OperatingPointProfiles, OperatingPointsTable, SensitivityHeatmaps } from "./light-model-results";
import { StoredLightModels } from "./stored-light-models";
import { useLightModel } from "./use-light-model";
import type { LightModelSummary } from "@/lib/wire/dso";
import { useSubmit } from "@/components/progress/use-submit";
import { Card } from "@/components/ui/card";
import { JobEnd } from "@/components/progress/job-end";

const STAGE_LABEL: Record<SensitivitiesStage, string> = {
  parse: "Reading the network",
  "power-flow": "AC power flows",
  screening: "Screening the monitored elements",
  sensitivities: "Sensitivities from the Jacobian",
  "light-model": "Encoding the light model",
};

/**
 * The DSO's light model of the selected grid (provisioning paper eq. 3-10): choose the
 * operating points and what to monitor, compute it in the solver worker, look at the
 * sensitivities and at exactly what would cross the boundary, then publish it to the
 * TSO or download it.
 */
export function LightModelPanel({ grid }: GridPanelProps) {
  const [options, setOptions] = useState<LightModelOptions>(DEFAULT_LIGHT_MODEL_OPTIONS);
  const { job, compute, cancel } = useLightModel(grid.id);
  const [save, submit, resetSave] = useSubmit<LightModelSummary, { publish: boolean }>();
  const [version, setVersion] = useState(0);
  const running = job.phase === "running";
  const done = job.phase === "done" ? job : null;
  const lm = done?.result.lightModel ?? null;

  const store = async (publish: boolean) => {
    if (!lm) return;
    if (await submit({ publish }, () => uploadLightModel(grid.id, lm.json, lm.keyJson, publish))) setVersion((v) => v + 1);
  };

  const download = () => {
    if (!lm) return;
    const url = URL.createObjectURL(new Blob([lm.json], { type: "application/json" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = `light-model-${lm.modelId}.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  return (
    <Card title="Light model for the TSO" note="sensitivity matrices at several operating points, opaque ids — the grid itself stays here" testId="light-model-panel">
      <LightModelForm options={options} onChange={setOptions} disabled={running} />
      <div className="run-bar">
        <button
          type="button"
          className="btn btn-primary"
          disabled={running}
          onClick={() => {
            resetSave();
            void compute(options);
          }}
          data-testid="lm-compute"
        >
          {done ? "Compute again" : "Compute light model"}
        </button>
        {running && <JobProgress fraction={job.progress?.fraction ?? 0} label={stageLabel(job.progress, STAGE_LABEL)} testId="lm-progress" cancel={{ run: cancel, testId: "lm-cancel" }} />}
        {!running && <span className="muted small">Runs in the solver worker; the page stays responsive.</span>}
      </div>
      <JobEnd job={job} failed="The light model could not be computed" testIds={{ error: "lm-error", cancelled: "lm-cancelled" }} />
      {done && (
        <div className="stack" data-testid="lm-result">
          <LightModelSummaryLine result={done.result} wallMs={done.wallMs} />
          <OperatingPointsTable result={done.result} />
          {done.result.failure && (
            <div className="alert alert-error" role="alert" data-testid="lm-failure">
              No light model: {done.result.failure}.
            </div>
          )}
          <h3>Sensitivities</h3>
          <SensitivityHeatmaps result={done.result} />
          <h3>Voltage profiles at the operating points</h3>
          <OperatingPointProfiles result={done.result} options={done.options} />
          {lm && (
            <>
              <h3>What crosses the boundary</h3>
              <BoundaryPanel result={done.result} />
              <div className={styles.actions}>
                <button type="button" className="btn btn-primary" disabled={save.phase === "busy"} onClick={() => void store(true)} data-testid="lm-publish">
                  Publish to the TSO
                </button>
                <button type="button" className="btn" disabled={save.phase === "busy"} onClick={() => void store(false)} data-testid="lm-save">
                  Save without publishing
                </button>
                <button type="button" className="btn" onClick={download} data-testid="lm-download">
                  Download light model (JSON)
                </button>
                {save.phase === "busy" && <span className="muted small">{save.publish ? "Publishing…" : "Saving…"}</span>}
                {save.phase === "done" && (
                  <span className="alert alert-ok" role="status" data-testid="lm-saved">
                    {save.result.published ? "Published: the TSO now clears against this light model." : "Saved (not published)."}
                  </span>
                )}
                {save.phase === "failed" && (
                  <span className="alert alert-error" role="alert" data-testid="lm-save-error">
                    {save.message}
                  </span>
                )}
              </div>
            </>
          )}
        </div>
      )}
      <StoredLightModels gridId={grid.id} version={version} />
    </Card>
  );
}
