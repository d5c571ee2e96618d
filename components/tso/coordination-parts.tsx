"use client";

import type { Dispatch, SetStateAction } from "react";
import { FileUploadForm } from "@/components/forms/file-upload-form";
import { sendSetPoints, uploadTransmissionGrid } from "@/lib/client/coordination-api";
import { PQV_REGION_SCHEMA, type PublishedRegionEntry } from "@/lib/regions/published";
import type { CoordinationRunView, TransmissionGridSummary } from "@/lib/wire/coordination";
import { GRID_FILE } from "@/components/forms/grid-file";
import { useSubmit } from "@/components/progress/use-submit";
import { TableHead } from "@/components/ui/table-head";
import type { CoordinationJob } from "./use-coordination";

/** Whether the TSO can put a published region into its OPF (a PQ region needs the DSO's cost). */
export function regionCost(e: PublishedRegionEntry): string | null {
  if (e.region.schema === PQV_REGION_SCHEMA) return "PQV quadratic cost (AC-OPF fit)";
  return e.region.costModel ? `${e.region.costModel.basis}, ${e.region.costModel.exponents.length} terms` : null;
}

/** Upload of the TSO's own transmission grid (stored under the TSO; no DSO sees it). */
export function TransmissionGridUpload({ onUploaded }: { onUploaded: (g: TransmissionGridSummary) => void }) {
  return (
    <FileUploadForm
      {...GRID_FILE}
      title="Transmission grid"
      id="ts-grid"
      fileLabel="Your transmission grid"
      hint="MATPOWER case (.m) or project network (.json) with a cost for every generator (mpc.gencost). Stored under the TSO; no DSO sees it."
      testIds={{ file: "ts-grid-file", error: "ts-grid-error", ok: "ts-grid-ok" }}
      upload={async (file, name) => {
        const g = await uploadTransmissionGrid(file, name);
        onUploaded(g);
        return `${g.name}: ${g.busCount} buses, ${g.branchCount} branches, ${g.generatorCount} generators with costs`;
      }}
    />
  );
}

/** The transmission grid the coordination runs on; another grid clears the regions' PCC buses. */
export function TransmissionGridSelect({ grids, gridId, onSelect, running }: { grids: TransmissionGridSummary[]; gridId: string; onSelect: (id: string) => void; running: boolean }) {
  return (
    <label className="small">
      Transmission grid:{" "}
      <select value={gridId} onChange={(e) => onSelect(e.target.value)} data-testid="coordination-grid" disabled={running}>
        {grids.map((g) => (
          <option key={g.id} value={g.id}>
            {g.name} ({g.busCount} buses)
          </option>
        ))}
      </select>
    </label>
  );
}

/** Each published region with its cost and the PCC bus of the transmission grid it is assigned to. */
export function RegionAssignTable({
  regions,
  grid,
  buses,
  setBuses,
  running,
}: {
  regions: PublishedRegionEntry[];
  grid: TransmissionGridSummary | null;
  buses: Record<string, string>;
  setBuses: Dispatch<SetStateAction<Record<string, string>>>;
  running: boolean;
}) {
  return (
    <div className="table-wrap">
      <table className="data" data-testid="coordination-assign">
        <TableHead columns={["Grid", "DSO", "Region", "Cost", "PCC bus"]} />
        <tbody>
          {regions.map((e) => {
            const cost = regionCost(e);
            return (
              <tr key={e.id} data-grid={e.gridName} data-kind={e.kind}>
                <td>{e.gridName}</td>
                <td>{e.dso}</td>
                <td>
                  {e.kind === "pqv" ? "PQV" : "PQ"} ({e.method})
                </td>
                <td className="small">{cost ?? <span className="muted">no cost model: the DSO must publish it again</span>}</td>
                <td>
                  <select
                    value={buses[e.id] ?? ""}
                    disabled={!grid || !cost || running}
                    onChange={(ev) => setBuses((b) => ({ ...b, [e.id]: ev.target.value }))}
                    data-testid="coordination-bus"
                    aria-label={`PCC bus of ${e.gridName} (${e.method})`}
                  >
                    <option value="">not assigned</option>
                    {grid?.pccBuses.map((b) => (
                      <option key={b} value={String(b)}>
                        bus {b}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

type Done = Extract<CoordinationJob, { phase: "done" }>;

/** Sends the optimal set-points of a finished coordination to the DSOs (each sees only its own). */
export function SendSetPoints({ done, onSent }: { done: Done; onSent: () => void }) {
  const [send, submit] = useSubmit<CoordinationRunView>();

  const sendOut = async () => {
    const r = done.result;
    const sent = await submit({}, () =>
      sendSetPoints({
        transmissionGridId: done.gridId,
        replaceDemand: done.replaceDemand,
        result: { status: r.status, message: r.message, objective: r.objective, tsCostPerH: r.tsCostPerH, iterations: r.iterations, solveMs: r.solveMs, binding: r.binding },
        setPoints: r.setPoints.map(({ regionId, tsBus, label, pMw, qMvar, vPu, dsCostPerH, lmpP, lmpQ, onBoundary }) => ({
          regionId,
          tsBus,
          label,
          pMw,
          qMvar,
          vPu,
          dsCostPerH,
          lmpP,
          lmpQ,
          onBoundary,
        })),
      }),
    );
    if (sent) onSent();
  };

  return (
    <div className="run-bar">
      <button
        type="button"
        className="btn btn-primary"
        disabled={send.phase === "busy" || send.phase === "done" || done.result.status !== "optimal"}
        onClick={() => void sendOut()}
        data-testid="coordination-send"
      >
        Send set-points
      </button>
      {send.phase === "done" && (
        <span className="alert alert-ok" role="status" data-testid="coordination-sent">
          Sent {send.result.setPoints.length} set-point{send.result.setPoints.length === 1 ? "" : "s"}: each DSO sees only its own.
        </span>
      )}
      {send.phase === "failed" && (
        <span className="alert alert-error" role="alert" data-testid="coordination-send-error">
          {send.message}
        </span>
      )}
    </div>
  );
}
