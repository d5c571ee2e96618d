import type { GridMapData } from "@/lib/map/map-data";
import { elementId, usableResults, type GridMapState } from "./state";
import { CONGESTION_PCT, VOLTAGE_BAND } from "./colors";

/** What the tooltip and the details panel say about one element. */
export interface ElementDescription {
  id: string;
  title: string;
  subtitle: string;
  rows: [label: string, value: string][];
  /** A limit is violated (loading > 100 % or voltage outside the band). */
  alarm: boolean;
}

const pct = (v: number) => `${Math.abs(v).toFixed(1)} %`;
/** A base voltage as written on a single-line diagram: "20 kV", "0.4 kV", "77.9 kV". */
const formatKv = (kv: number) => `${Number(kv.toPrecision(3))} kV`;
const pu = (v: number) => `${v.toFixed(4)} p.u.`;

function voltageRow(label: string, vm: ArrayLike<number> | null, index: number): { row: [string, string] | null; alarm: boolean } {
  if (!vm || index < 0) return { row: null, alarm: false };
  const v = vm[index];
  if (!(v > 0)) return { row: [label, "de-energised"], alarm: false };
  const alarm = v < VOLTAGE_BAND[0] || v > VOLTAGE_BAND[1];
  return { row: [label, pu(v) + (alarm ? " (outside 0.95–1.05)" : "")], alarm };
}

/** Description of a selection id ("branch:…", "bus:…", "substation:…"), or null when it is not on the map. */
export function describeElement(data: GridMapData, state: GridMapState, id: string | null): ElementDescription | null {
  if (!id) return null;
  const { loading, vm } = usableResults(data, state);
  const busIdx = new Map(data.buses.map((b) => [b.id, b]));
  if (id.startsWith("branch:")) {
    const line = data.lines.find((l) => elementId.branch(l.id) === id);
    if (!line) return null;
    const rows: [string, string][] = [];
    let alarm = false;
    if (!line.inService) rows.push(["status", "out of service (normally open point)"]);
    else if (loading && Number.isFinite(loading[line.index])) {
      const l = loading[line.index];
      alarm = Math.abs(l) > CONGESTION_PCT;
      rows.push(["loading", pct(l) + (alarm ? " — congested" : "")]);
    } else rows.push(["loading", loading ? "no rating" : "run a power flow"]);
    const from = busIdx.get(line.from);
    const to = busIdx.get(line.to);
    for (const [label, b] of [
      ["voltage from", from],
      ["voltage to", to],
    ] as const) {
      const r = voltageRow(`${label} (${b?.name ?? "?"})`, vm, b?.index ?? -1);
      if (r.row) rows.push(r.row);
      alarm ||= r.alarm;
    }
    if (line.typeName) rows.push(["cable", line.typeName]);
    if (line.lengthKm !== undefined) rows.push(["length", `${(line.lengthKm * 1000).toFixed(0)} m`]);
    if (line.ratingMva > 0) rows.push(["rating", `${(line.ratingMva * 1000).toFixed(0)} kVA`]);
    const kv = line.kv ?? 0;
    const level = line.transformer ? "transformer" : line.kind === "mv" ? `${kv > 0 ? formatKv(kv) : "MV"} line` : line.kind === "service" ? "service cable" : "LV feeder cable";
    return { id, title: line.id, subtitle: `${level}, ${from?.name ?? line.from} → ${to?.name ?? line.to}`, rows, alarm };
  }
  if (id.startsWith("substation:")) {
    const s = data.substations.find((x) => elementId.substation(x.id) === id);
    if (!s) return null;
    const rows: [string, string][] = [];
    let alarm = false;
    if (loading && s.transformerIndex >= 0 && Number.isFinite(loading[s.transformerIndex])) {
      const l = loading[s.transformerIndex];
      alarm = Math.abs(l) > CONGESTION_PCT;
      rows.push(["transformer loading", pct(l) + (alarm ? " — congested" : "")]);
    }
    for (const [label, i] of [
      ["MV voltage", s.mvBusIndex],
      ["LV voltage", s.lvBusIndex],
    ] as const) {
      const r = voltageRow(label, vm, i);
      if (r.row) rows.push(r.row);
      alarm ||= r.alarm;
    }
    if (s.typeName) rows.push(["transformer", s.typeName]);
    if (s.ratingMva > 0) rows.push(["rating", `${(s.ratingMva * 1000).toFixed(0)} kVA`]);
    return { id, title: s.id, subtitle: "20/0.4 kV substation", rows, alarm };
  }
  if (id.startsWith("bus:")) {
    const busId = Number(id.slice(4));
    const b = busIdx.get(busId);
    if (!b) return null;
    const rows: [string, string][] = [];
    const r = voltageRow("voltage", vm, b.index);
    if (r.row) rows.push(r.row);
    else rows.push(["voltage", "run a power flow"]);
    rows.push(["bus", `${b.id}, ${formatKv(b.baseKv)}`]);
    const role = {
      pcc: data.pcc?.label && data.pcc.label !== "PCC" ? "slack bus" : "point of common coupling (slack)",
      mv: `${formatKv(b.baseKv)} bus`,
      busbar: "LV busbar",
      junction: data.coordinates === "schematic" ? `${formatKv(b.baseKv)} bus` : "LV cable junction",
      building: "building connection",
    }[b.role];
    return { id, title: b.name, subtitle: role, rows, alarm: r.alarm };
  }
  return null;
}
