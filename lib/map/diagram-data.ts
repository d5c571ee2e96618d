import type { GridMapData, MapBus, MapLine } from "@/lib/map/map-data";
import type { Network } from "@/lib/grid/types";

/** Bus positions of a schematic layout, in the network's bus order (lib/layout, the worker's `layout` result or a stored layout). */
export interface LayoutPositions {
  busIds: ArrayLike<number>;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

export interface DiagramDataOptions {
  /** Label of the slack bus: "PCC" on a DSO's grid (its connection to the TSO), "slack" elsewhere. */
  slackLabel?: string;
}

/**
 * What the network diagram draws, reshaped once from a Network and its schematic layout
 * into the district map's own data (GridMapData, positions in layout units): every
 * branch as a straight line between its buses — transformers included, flagged —,
 * every bus, the slack bus marked. The map's layers, tooltips and details then work
 * unchanged on a plain canvas. Layout and network must name the same buses in order.
 */
export function diagramData(net: Network, layout: LayoutPositions, opts: DiagramDataOptions = {}): GridMapData {
  if (layout.busIds.length !== net.buses.length || net.buses.some((b, i) => b.id !== layout.busIds[i])) {
    throw new Error(`the layout is for other buses than ${net.name}'s (${layout.busIds.length} positions for ${net.buses.length} buses)`);
  }
  const busIndex = new Map<number, number>();
  net.buses.forEach((b, i) => busIndex.set(b.id, i));
  const pos = (i: number): [number, number] => [layout.x[i], layout.y[i]];

  const lines: MapLine[] = [];
  let undrawnBranches = 0;
  net.branches.forEach((br, l) => {
    const fi = busIndex.get(br.from);
    const ti = busIndex.get(br.to);
    if (fi === undefined || ti === undefined) {
      undrawnBranches++;
      return;
    }
    const kvFrom = net.buses[fi].baseKv;
    const kvTo = net.buses[ti].baseKv;
    const kv = Math.max(kvFrom, kvTo);
    const transformer = br.kind === "transformer" || (br.kind === undefined && (kvFrom !== kvTo || br.tap !== 0 || br.shiftDeg !== 0));
    lines.push({
      index: l,
      id: br.id,
      kind: kv >= 1 ? "mv" : "lv",
      kv,
      transformer,
      path: [pos(fi), pos(ti)],
      from: br.from,
      to: br.to,
      inService: br.inService,
      ratingMva: br.rateAMva,
      typeName: br.typeName,
      lengthKm: br.lengthKm,
    });
  });

  const buses: MapBus[] = net.buses.map((b, i) => ({
    index: i,
    id: b.id,
    name: b.name ?? String(b.id),
    position: pos(i),
    baseKv: b.baseKv,
    role: b.type === "REF" ? "pcc" : b.baseKv >= 1 ? "mv" : "junction",
  }));

  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  for (let i = 0; i < buses.length; i++) {
    w = Math.min(w, layout.x[i]);
    e = Math.max(e, layout.x[i]);
    s = Math.min(s, layout.y[i]);
    n = Math.max(n, layout.y[i]);
  }
  const ref = net.buses.findIndex((b) => b.type === "REF");
  return {
    name: net.name,
    coordinates: "schematic",
    lines,
    buses,
    substations: [],
    pcc: ref >= 0 ? { position: pos(ref), busIndex: ref, label: opts.slackLabel ?? "PCC" } : null,
    streets: { type: "FeatureCollection", features: [] },
    buildings: { type: "FeatureCollection", features: [] },
    bounds: Number.isFinite(w) ? [w, s, e, n] : null,
    undrawnBranches,
    undrawnBuses: 0,
    busCount: net.buses.length,
    branchCount: net.branches.length,
  };
}

/** A copy of the data with one bus moved (its lines follow): cheap enough per drop, even for 10,000 buses. */
export function withBusMoved(data: GridMapData, busId: number, position: [number, number]): GridMapData {
  const buses = data.buses.map((b) => (b.id === busId ? { ...b, position } : b));
  const lines = data.lines.map((l) =>
    l.from === busId || l.to === busId ? { ...l, path: [l.from === busId ? position : l.path[0], l.to === busId ? position : l.path[l.path.length - 1]] as [number, number][] } : l,
  );
  const moved = buses.find((b) => b.id === busId);
  const pcc = data.pcc && moved && data.pcc.busIndex === moved.index ? { ...data.pcc, position } : data.pcc;
  return { ...data, buses, lines, pcc };
}
