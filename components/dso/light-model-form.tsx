"use client";

import { useState } from "react";
import { OPERATING_POINT_PRESETS } from "@/lib/sensitivity/locations";
import type { LightModelOptions } from "@/solver-worker/protocol";
import styles from "./light-model.module.css";

/** Short names of lib/sensitivity's preset operating points, in its order. */
const PRESET_LABELS: Record<string, string> = {
  none: "none activated",
  half: "half of the upward offer",
  all: "all of the upward offer",
  "half-down": "half of the downward offer",
  "all-down": "all of the downward offer",
};

const MONITOR: { value: LightModelOptions["monitor"]; label: string; hint: string }[] = [
  { value: "all", label: "All buses and branches", hint: "every energized bus and rated branch" },
  { value: "near-limits", label: "Only near limits", hint: "within the margins of a limit at an operating point" },
  { value: "screen", label: "Exact box screening", hint: "can reach the margins anywhere in the offered flexibility" },
];

function NumberField({ label, value, step, onChange, disabled, testId }: { label: string; value: number; step: number; onChange: (v: number) => void; disabled: boolean; testId?: string }) {
  return (
    <label className={styles.inline}>
      {label}
      <input type="number" step={step} value={Number.isFinite(value) ? value : ""} disabled={disabled} onChange={(e) => onChange(e.target.valueAsNumber)} data-testid={testId} />
    </label>
  );
}

/** The DSO's choices for its light model: operating points, reactive sensitivities, monitored elements, limits. */
export function LightModelForm({ options, onChange, disabled }: { options: LightModelOptions; onChange: (o: LightModelOptions) => void; disabled: boolean }) {
  const [customPct, setCustomPct] = useState(75);
  const set = (patch: Partial<LightModelOptions>) => onChange({ ...options, ...patch });
  const togglePreset = (name: string, on: boolean) => set({ presets: OPERATING_POINT_PRESETS.filter((p) => (p === name ? on : options.presets.includes(p))) });
  return (
    <div className={styles.form} data-testid="lm-form">
      <fieldset className={styles.fieldset} disabled={disabled}>
        <legend>Operating points (linearization)</legend>
        {OPERATING_POINT_PRESETS.map((p) => (
          <label key={p} className={styles.check}>
            <input type="checkbox" checked={options.presets.includes(p)} onChange={(e) => togglePreset(p, e.target.checked)} data-testid={`lm-op-${p}`} />
            {PRESET_LABELS[p] ?? p}
          </label>
        ))}
        <div className={styles.inline}>
          Custom: every location at
          <input
            type="number"
            step={5}
            min={-100}
            max={100}
            value={Number.isFinite(customPct) ? customPct : ""}
            onChange={(e) => setCustomPct(e.target.valueAsNumber)}
            aria-label="Custom point, % of each location's offer"
            data-testid="lm-custom-pct"
          />
          % of its offer
          <button type="button" className="btn btn-small" onClick={() => set({ custom: [...options.custom, { fraction: customPct / 100 }] })} data-testid="lm-custom-add">
            Add point
          </button>
        </div>
        <div className="muted small">Positive: upward offer; negative: downward offer.</div>
        {options.custom.length > 0 && (
          <div className={styles.chips}>
            {options.custom.map((c, k) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the chips show the list in its order and hold no state; two offers may be the same fraction, so the position is the identity
              <span key={k} className={styles.chip} data-testid="lm-custom-chip">
                {(c.fraction * 100).toFixed(0)} %
                <button type="button" aria-label={`Remove custom point ${k + 1}`} onClick={() => set({ custom: options.custom.filter((_, j) => j !== k) })}>
                  ×
                </button>
              </span>
            ))}
          </div>
        )}
      </fieldset>
      <fieldset className={styles.fieldset} disabled={disabled}>
        <legend>Monitored elements</legend>
        {MONITOR.map((m) => (
          <label key={m.value} className={styles.check} title={m.hint}>
            <input type="radio" name="lm-monitor" checked={options.monitor === m.value} onChange={() => set({ monitor: m.value })} data-testid={`lm-monitor-${m.value}`} />
            {m.label}
          </label>
        ))}
        {options.monitor !== "all" && (
          <>
            <NumberField label="Voltage margin (p.u.)" step={0.005} value={options.margins.voltagePu} disabled={disabled} onChange={(v) => set({ margins: { ...options.margins, voltagePu: v } })} />
            <NumberField label="Loading margin (%)" step={5} value={options.margins.loadingPct} disabled={disabled} onChange={(v) => set({ margins: { ...options.margins, loadingPct: v } })} />
          </>
        )}
      </fieldset>
      <fieldset className={styles.fieldset} disabled={disabled}>
        <legend>Sensitivities and limits</legend>
        <label className={styles.check}>
          <input type="checkbox" checked={options.reactive} onChange={(e) => set({ reactive: e.target.checked })} data-testid="lm-reactive" />
          Reactive sensitivities (ΔQ) as well
        </label>
        <NumberField label="V min (p.u.)" step={0.01} value={options.limits.vMinPu} disabled={disabled} onChange={(v) => set({ limits: { ...options.limits, vMinPu: v } })} />
        <NumberField label="V max (p.u.)" step={0.01} value={options.limits.vMaxPu} disabled={disabled} onChange={(v) => set({ limits: { ...options.limits, vMaxPu: v } })} />
        <NumberField label="Loading limit (± %)" step={5} value={options.limits.loadingMaxPct} disabled={disabled} onChange={(v) => set({ limits: { ...options.limits, loadingMaxPct: v } })} />
      </fieldset>
    </div>
  );
}
