"use client";

import dynamic from "next/dynamic";
import { useEffect, useMemo, useRef, useState } from "react";
import { DiagramLegend } from "@/components/diagram/diagram-legend";
import { diagramData } from "@/lib/map/diagram-data";
import { fetchTransmissionNetwork } from "@/lib/client/coordination-api";
import { createBrowserSolverClient, type SolverClient } from "@/lib/client/solver-client";
import { parseNetworkJson } from "@/lib/grid/json";
import type { CoordinateResult, LayoutResult } from "@/solver-worker/protocol";
import { coordinationOverlays } from "./coordination-overlays";

const NetworkDiagram = dynamic(() => import("@/components/diagram/network-diagram").then((m) => m.NetworkDiagram), {
  ssr: false,
  loading: () => (
    <div style={{ height: 420 }} className="muted small">
      Loading the drawing…
    </div>
  ),
});

/**
 * The TSO's transmission grid as the network diagram (schematic layout from the solver
 * worker), the PCC buses marked with their distribution systems and set-points, the
 * binding limits highlighted.
 */
export function CoordinationDiagram({ gridId, assigned, result }: { gridId: string; assigned: { tsBus: number; label: string }[]; result: CoordinateResult | null }) {
  const [drawn, setDrawn] = useState<{ gridId: string; text: string; layout: LayoutResult } | { gridId: string; error: string } | null>(null);
  const client = useRef<SolverClient | null>(null);
  useEffect(() => () => client.current?.dispose(), []);
  useEffect(() => {
    let live = true;
    client.current ??= createBrowserSolverClient();
    const c = client.current;
    fetchTransmissionNetwork(gridId)
      .then(async (text) => ({ text, layout: await c.run("layout", { network: text }) }))
      .then(
        ({ text, layout }) => live && setDrawn({ gridId, text, layout }),
        (e: Error) => live && setDrawn({ gridId, error: e.message }),
      );
    return () => {
      live = false;
    };
  }, [gridId]);
  const ready = drawn && drawn.gridId === gridId && "layout" in drawn ? drawn : null;
  const data = useMemo(() => (ready ? diagramData(parseNetworkJson(ready.text), ready.layout, { slackLabel: "slack" }) : null), [ready]);
  const overlays = useMemo(() => coordinationOverlays(assigned, result), [assigned, result]);
  if (drawn && drawn.gridId === gridId && "error" in drawn) return <p className="muted small">The diagram could not be drawn: {drawn.error}</p>;
  if (!data) return <p className="muted small">Laying out the transmission grid in the solver worker…</p>;
  return (
    <div className="stack" data-testid="coordination-diagram">
      <NetworkDiagram data={data} overlays={overlays} height={420} ariaLabel="The transmission grid with the PCCs" testId="coordination-network-diagram" />
      <DiagramLegend overlays={overlays} slackLabel="slack" />
    </div>
  );
}
