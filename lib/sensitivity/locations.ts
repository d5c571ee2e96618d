import { fpuOfferMw, type Network } from "../grid/types";

/**
 * A flexibility location: a bus where flexibility is connected, with the flexibility
 * offered there. For a network with FPUs (a generated district), the locations are
 * the buses hosting FPUs and the offer is the sum over their units. For a plain
 * MATPOWER case (no FPUs), every PQ bus with load is a location whose load is the
 * flexibility: upward = shedding it (+Pd), downward = doubling it (-Pd).
 */
export interface FlexLocation {
  /** Internal id (DSO side): "bus-<id>". */
  id: string;
  bus: number;
  offeredUpMw: number;
  offeredDownMw: number;
  /** FPU ids at this location (empty for MATPOWER load buses). */
  fpuIds: string[];
}

export function flexLocations(net: Network): FlexLocation[] {
  if (net.fpus.length > 0) {
    const byBus = new Map<number, FlexLocation>();
    for (const f of net.fpus) {
      const loc = byBus.get(f.bus) ?? { id: `bus-${f.bus}`, bus: f.bus, offeredUpMw: 0, offeredDownMw: 0, fpuIds: [] };
      const o = fpuOfferMw(f);
      loc.offeredUpMw += o.upMw;
      loc.offeredDownMw += o.downMw;
      loc.fpuIds.push(f.id);
      byBus.set(f.bus, loc);
    }
    return [...byBus.values()].sort((a, b) => a.bus - b.bus);
  }
  // MATPOWER-style: all PQ buses, in file order; their demand is the flexibility.
  const demand = new Map<number, number>();
  for (const l of net.loads) demand.set(l.bus, (demand.get(l.bus) ?? 0) + l.pMw);
  return net.buses
    .filter((b) => b.type === "PQ")
    .map((b) => {
      const pd = b.pdMw + (demand.get(b.id) ?? 0);
      return {
        id: `bus-${b.id}`,
        bus: b.id,
        offeredUpMw: Math.max(0, pd),
        offeredDownMw: -Math.max(0, pd),
        fpuIds: [],
      };
    });
}

/** A named operating point: flexibility injections per location (MW, on top of P_fix). */
export interface OperatingPointSpec {
  id: string;
  label: string;
  pFlexMw: Float64Array;
  /** Reactive flexibility injections (MVAr); zero if absent. */
  qFlexMvar?: Float64Array;
}

const PRESETS: Record<string, { label: string; up: number; down: number }> = {
  none: { label: "no flexibility activated", up: 0, down: 0 },
  half: { label: "half of the offered upward flexibility", up: 0.5, down: 0 },
  all: { label: "all offered upward flexibility", up: 1, down: 0 },
  "half-down": { label: "half of the offered downward flexibility", up: 0, down: 0.5 },
  "all-down": { label: "all offered downward flexibility", up: 0, down: 1 },
};

export const OPERATING_POINT_PRESETS = Object.keys(PRESETS);

/** Operating points from preset names (none, half, all, half-down, all-down). */
export function presetOperatingPoints(locs: FlexLocation[], names: readonly string[]): OperatingPointSpec[] {
  return names.map((name) => {
    const p = PRESETS[name];
    if (!p) throw new Error(`unknown operating point '${name}'; expected one of ${OPERATING_POINT_PRESETS.join(", ")}`);
    return {
      id: name,
      label: p.label,
      pFlexMw: Float64Array.from(locs, (l) => p.up * l.offeredUpMw + p.down * l.offeredDownMw),
    };
  });
}

/** A custom operating point, validated against the offered range of each location. */
export function customOperatingPoint(locs: FlexLocation[], id: string, label: string, pFlexMw: ArrayLike<number>, tolMw = 1e-9): OperatingPointSpec {
  if (pFlexMw.length !== locs.length) {
    throw new Error(`operating point '${id}' has ${pFlexMw.length} values, the grid has ${locs.length} flexibility locations`);
  }
  const v = Float64Array.from(pFlexMw);
  v.forEach((x, k) => {
    const l = locs[k];
    if (!Number.isFinite(x)) throw new Error(`operating point '${id}': value ${k + 1} is not a number`);
    if (x > l.offeredUpMw + tolMw || x < l.offeredDownMw - tolMw) {
      throw new Error(`operating point '${id}': ${x} MW at location ${k + 1} lies outside the offered range [${l.offeredDownMw}, ${l.offeredUpMw}] MW`);
    }
  });
  return { id, label, pFlexMw: v };
}
