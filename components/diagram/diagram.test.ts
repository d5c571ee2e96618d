import { describe, expect, it } from "vitest";
import { parseGridFile } from "@/lib/grid";
import { computeLayout } from "@/lib/layout";
import { readSharedCase } from "@/lib/testing/shared";
import type { PowerFlowPayload } from "@/solver-worker/protocol";
import { describeDiagramElement } from "./describe";
import { diagramData, withBusMoved } from "@/lib/map/diagram-data";
import { buildDiagramLayers, DIAGRAM_LAYER_IDS, flowArrows } from "./diagram-layers";
import { buildHitIndex, hitTest } from "./hit-test";
import { dsoOverlays, VMIN_MARKER } from "./dso-overlays";
import { overlayRows, scaleColor, scaleDomain, type BusValueOverlay, type DiagramOverlays } from "./overlays";
import { cssTransformBetween, fitView, MAX_PX_PER_UNIT, panView, toScreen, toWorld, zoomViewAt } from "./view";

const pegase = parseGridFile("case1354pegase.m", readSharedCase("case1354pegase"));
const pegaseData = diagramData(pegase, computeLayout(pegase), { slackLabel: "slack" });
const feeder = parseGridFile("case33bw.m", readSharedCase("case33bw"));
const feederData = diagramData(feeder, computeLayout(feeder));

describe("diagram data", () => {
  it("draws every branch between its buses' layout positions, transformers flagged, the slack labelled", () => {
    expect(pegaseData.coordinates).toBe("schematic");
    expect(pegaseData.lines).toHaveLength(pegase.branches.length);
    expect(pegaseData.buses).toHaveLength(pegase.buses.length);
    expect(pegaseData.lines.filter((l) => l.transformer)).toHaveLength(pegase.branches.filter((b) => b.tap !== 0 || b.shiftDeg !== 0).length);
    expect(pegaseData.pcc?.label).toBe("slack");
    const l = pegaseData.lines[0];
    const from = pegaseData.buses.find((b) => b.id === l.from)!;
    expect(l.path[0]).toEqual(from.position);
    expect(pegaseData.bounds![0]).toBe(0);
    expect(pegaseData.substations).toEqual([]);
    // case33bw: 5 normally open tie lines, drawn, out of service.
    expect(feederData.lines.filter((x) => !x.inService)).toHaveLength(5);
    expect(feederData.pcc?.label).toBe("PCC");
  });

  it("refuses a layout of other buses", () => {
    const l = computeLayout(feeder);
    expect(() => diagramData(pegase, l)).toThrow("the layout is for other buses than case1354pegase's (33 positions for 1354 buses)");
  });

  it("moves one bus and the ends of its lines, nothing else", () => {
    const moved = withBusMoved(feederData, 18, [100, 50]);
    expect(moved.buses.find((b) => b.id === 18)!.position).toEqual([100, 50]);
    const touching = moved.lines.filter((l) => l.from === 18 || l.to === 18);
    expect(touching.length).toBeGreaterThan(0);
    for (const l of touching) expect(l.path).toContainEqual([100, 50]);
    const others = moved.lines.filter((l) => l.from !== 18 && l.to !== 18);
    expect(others.map((l) => l.path)).toEqual(feederData.lines.filter((l) => l.from !== 18 && l.to !== 18).map((l) => l.path));
    // The slack bus carries the PCC marker along.
    expect(withBusMoved(feederData, 1, [-3, 0]).pcc!.position).toEqual([-3, 0]);
  });
});

describe("flow arrows", () => {
  it("point the way active power flows, only on energised lines that carry some", () => {
    const p = new Float64Array(feeder.branches.length).fill(1);
    p[1] = -2;
    p[2] = 0;
    const arrows = flowArrows(feederData, p);
    const inService = feederData.lines.filter((l) => l.inService).length;
    expect(arrows).toHaveLength(inService - 1);
    for (const a of arrows) {
      const [from, to] = [a.line.path[0], a.line.path[1]];
      const tip = a.polygon[0];
      const d = (q: number[]) => Math.hypot(q[0] - tip[0], q[1] - tip[1]);
      if (p[a.line.index] > 0) expect(d(to)).toBeLessThan(d(from));
      else expect(d(from)).toBeLessThan(d(to));
    }
    expect(flowArrows(feederData, new Float64Array(3))).toEqual([]);
    expect(flowArrows(feederData, null)).toEqual([]);
  });
});

describe("overlays", () => {
  const lmp: BusValueOverlay = {
    label: "LMP ($/MWh)",
    values: new Map([
      [1, 30],
      [2, 40],
      [3, 50],
      [4, NaN],
    ]),
  };

  it("colour a value on the scale, clamped to its ends, and skip missing values", () => {
    expect(scaleDomain(lmp)).toEqual([30, 50]);
    expect(scaleColor(lmp, 30)).toEqual([49, 54, 149, 255]);
    expect(scaleColor(lmp, 50)).toEqual([165, 0, 38, 255]);
    expect(scaleColor(lmp, 40)).toEqual([255, 255, 191, 255]);
    expect(scaleColor(lmp, 99)).toEqual(scaleColor(lmp, 50));
    expect(scaleColor(lmp, NaN)).toBeNull();
    expect(scaleColor(lmp, undefined)).toBeNull();
    expect(
      scaleColor(
        {
          ...lmp,
          domain: [0, 100],
          colors: [
            [0, 0, 0, 255],
            [200, 100, 0, 255],
          ],
        },
        50,
      ),
    ).toEqual([100, 50, 0, 255]);
  });

  it("add their rows to the tooltip: the bus's value, its highlights, its markers", () => {
    const overlays: DiagramOverlays = {
      busValues: lmp,
      highlights: [{ label: "binding limits", branches: ["7"], buses: [2], notes: new Map([["branch:7", "flow limit, μ = 4.2 $/MWh"]]) }],
      markers: [{ busId: 2, label: "PCC: Bergwald", detail: ["set-point 12.3 MW", "DSO: Stadtwerke Bergwald"] }],
    };
    expect(overlayRows(overlays, "bus:2")).toEqual([
      ["LMP ($/MWh)", "40"],
      ["binding limits", "yes"],
      ["PCC: Bergwald", "set-point 12.3 MW · DSO: Stadtwerke Bergwald"],
    ]);
    expect(overlayRows(overlays, "branch:7")).toEqual([["binding limits", "flow limit, μ = 4.2 $/MWh"]]);
    expect(overlayRows(undefined, "bus:2")).toEqual([]);
    const d = describeDiagramElement(feederData, {}, overlays, "bus:2")!;
    expect(d.rows[0]).toEqual(["LMP ($/MWh)", "40"]);
    expect(d.rows.some(([k]) => k === "voltage")).toBe(true);
  });

  it("are drawn as layers of their own, above and below the grid's", () => {
    const overlays: DiagramOverlays = {
      busValues: lmp,
      highlights: [{ label: "binding", branches: ["1", "2", "nope"], buses: [5] }],
      markers: [
        { busId: 3, label: "m" },
        { busId: 999, label: "gone" },
      ],
    };
    const layers = buildDiagramLayers(feederData, {}, { overlays, flowMw: new Float64Array(feeder.branches.length).fill(1) });
    const byId = new Map(layers.map((l) => [l.id, l.props.data as unknown[]]));
    expect(layers[0].id).toBe(DIAGRAM_LAYER_IDS.highlightHalo);
    expect(byId.get(DIAGRAM_LAYER_IDS.highlightHalo)).toHaveLength(2);
    expect(byId.get(DIAGRAM_LAYER_IDS.highlightRing)).toHaveLength(1);
    expect(byId.get(DIAGRAM_LAYER_IDS.busValues)).toHaveLength(3);
    expect(byId.get(DIAGRAM_LAYER_IDS.markers)).toHaveLength(1);
    expect(byId.get(DIAGRAM_LAYER_IDS.arrows)).toHaveLength(32);
    expect(new Set(layers.map((l) => l.id)).size).toBe(layers.length);
  });

  it("the DSO view rings the lowest-voltage bus of a power flow", () => {
    const pf = { summary: { vmMinBusId: 18, vmMin: 0.91309 } } as PowerFlowPayload;
    expect(dsoOverlays(pf)).toEqual({ markers: [{ busId: 18, label: "V min 0.913 p.u.", detail: ["lowest voltage of the grid, bus 18"], color: VMIN_MARKER }] });
    expect(dsoOverlays(null)).toEqual({});
  });
});

describe("hit testing", () => {
  const idx = buildHitIndex(pegaseData);

  it("finds the bus under the pointer, else the line, else nothing", () => {
    const b = pegaseData.buses[100];
    const hit = hitTest(idx, [b.position[0] + 0.05, b.position[1] - 0.05], 0.2);
    expect(hit).toEqual({ kind: "bus", bus: b });
    const midOf = (x: (typeof pegaseData.lines)[number]): [number, number] => [(x.path[0][0] + x.path[1][0]) / 2, (x.path[0][1] + x.path[1][1]) / 2];
    const clear = (q: [number, number]) => pegaseData.buses.every((b) => Math.hypot(b.position[0] - q[0], b.position[1] - q[1]) > 0.2);
    const l = pegaseData.lines.find((x) => clear(midOf(x)))!;
    const mid = midOf(l);
    const onLine = hitTest(idx, mid, 0.1);
    expect(onLine?.kind).toBe("line");
    if (onLine?.kind === "line") {
      const [a, c] = onLine.line.path;
      const t = ((mid[0] - a[0]) * (c[0] - a[0]) + (mid[1] - a[1]) * (c[1] - a[1])) / ((c[0] - a[0]) ** 2 + (c[1] - a[1]) ** 2);
      const d = Math.hypot(mid[0] - (a[0] + t * (c[0] - a[0])), mid[1] - (a[1] + t * (c[1] - a[1])));
      expect(d).toBeLessThanOrEqual(0.1);
    }
    expect(hitTest(idx, [-50, -50], 0.5)).toBeNull();
  });

  it("agrees with a search over every bus", () => {
    for (let k = 0; k < 200; k++) {
      const p: [number, number] = [(k * 7.31) % 50, (k * 3.17) % 40];
      const near = pegaseData.buses.filter((b) => Math.hypot(b.position[0] - p[0], b.position[1] - p[1]) <= 0.3);
      const hit = hitTest(idx, p, 0.3);
      if (near.length === 0) expect(hit?.kind).not.toBe("bus");
      else expect(hit?.kind === "bus" && near.includes(hit.bus)).toBe(true);
    }
  });
});

describe("fitted view", () => {
  it("shows the whole grid in the frame, centred", () => {
    const v = fitView([0, 0, 100, 50], 1036, 536, 18);
    expect(v.target).toEqual([50, 25, 0]);
    expect(2 ** v.zoom).toBeCloseTo(10, 9);
    expect(v.minZoom).toBe(v.zoom - 4);
    expect(v.maxZoom).toBeCloseTo(Math.log2(MAX_PX_PER_UNIT), 9);
    // A grid of a few buses is not blown up beyond a quarter of the largest zoom.
    expect(2 ** fitView([0, 0, 1, 1], 1000, 500).zoom).toBe(MAX_PX_PER_UNIT / 4);
  });

  it("pans with the pointer, zooms about it, and moves the last picture where the new view puts it", () => {
    const size = { width: 800, height: 600 };
    const v = fitView([0, 0, 100, 50], 800, 600);
    const p: [number, number] = [30, 20];
    expect(toWorld(v, size, toScreen(v, size, p))[0]).toBeCloseTo(30, 9);
    const moved = panView(v, 40, -10);
    const [x0, y0] = toScreen(v, size, p);
    const [x1, y1] = toScreen(moved, size, p);
    expect([x1 - x0, y1 - y0].map((d) => Math.round(d * 1e6) / 1e6)).toEqual([40, -10]);
    const at: [number, number] = [200, 150];
    const zoomed = zoomViewAt(v, size, 1.5, at);
    expect(toWorld(zoomed, size, at)[0]).toBeCloseTo(toWorld(v, size, at)[0], 9);
    expect(zoomed.zoom).toBeCloseTo(v.zoom + 1.5, 9);
    expect(zoomViewAt(v, size, 99, at).zoom).toBe(v.maxZoom);
    // The transform maps a point of the old picture onto its place in the new view.
    const t = cssTransformBetween(v, zoomed, size)
      .match(/translate\((.+)px, (.+)px\) scale\((.+)\)/)!
      .slice(1)
      .map(Number);
    const [sx, sy] = toScreen(v, size, p);
    const [ex, ey] = toScreen(zoomed, size, p);
    expect(t[2] * sx + t[0]).toBeCloseTo(ex, 1);
    expect(t[2] * sy + t[1]).toBeCloseTo(ey, 1);
  });
});

describe("the optimal power flow on the diagram", () => {
  it("fills each bus with its LMP and haloes the binding flow and voltage limits with their prices", async () => {
    const { opfOverlays, mergeOverlays, dsoOverlays } = await import("./dso-overlays");
    const opf = {
      buses: { ids: Int32Array.of(1, 2, 3), lamP: Float64Array.of(3.5, 3.7, NaN) },
      binding: [
        { kind: "flow", element: "7", side: "from", value: 32, limit: 32, multiplier: 4.2 },
        { kind: "vmax", element: "2", side: "", value: 1.05, limit: 1.05, multiplier: -120 },
        { kind: "pmax", element: "g1", side: "", value: 80, limit: 80, multiplier: 1 },
      ],
    } as unknown as Parameters<typeof opfOverlays>[0];
    const o = opfOverlays(opf);
    expect([...o.busValues!.values.entries()]).toEqual([
      [1, 3.5],
      [2, 3.7],
    ]);
    expect(o.highlights).toHaveLength(1);
    expect(o.highlights![0]).toMatchObject({ branches: ["7"], buses: [2] });
    expect(o.highlights![0].notes!.get("branch:7")).toBe("flow limit (from) 32.00 of 32.00, μ = 4.20 $/h per unit");
    expect(o.highlights![0].notes!.get("bus:2")).toBe("voltage max 1.050 p.u., μ = 120 $/h per p.u.");
    const merged = mergeOverlays(dsoOverlays(null), o);
    expect(merged.busValues!.label).toBe("LMP λP ($/MWh)");
    expect(merged.markers).toEqual([]);
  });
});
