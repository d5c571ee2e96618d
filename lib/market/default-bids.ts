import { fpuOfferMw, type Fpu, type FpuKind, type Network } from "../grid/types";
import type { Bid } from "./bids";

/** The seeded demo aggregators (usernames of the demo accounts). */
export const DEMO_AGGREGATORS = ["agg-solarpool", "agg-evfleet", "agg-heatflex", "agg-storage"] as const;

/** Deterministic value in [0, 1) from a string (FNV-1a). */
function unit(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return ((h >>> 0) % 100000) / 100000;
}

/**
 * Price levels (€/MWh) by unit kind and direction: upward = reduce consumption or
 * inject more, downward = consume more or curtail. Loosely after German mFRR
 * energy bids: demand response from EV charging is cheapest upward, batteries the
 * most expensive (cycling cost); curtailing PV is nearly free downward.
 */
const PRICE: Record<FpuKind, { up: [number, number]; down: [number, number] }> = {
  ev: { up: [62, 78], down: [8, 14] },
  heat_pump: { up: [84, 104], down: [14, 22] },
  battery: { up: [112, 138], down: [24, 34] },
  pv: { up: [22, 34], down: [0, 4] },
  other: { up: [95, 125], down: [10, 30] },
};

/** Owner of a unit: one aggregator per kind; batteries in PV buildings go to the solar pool half the time. */
export function ownerOfFpu(f: Fpu, buildingHasPv: boolean): string {
  switch (f.kind) {
    case "pv":
      return "agg-solarpool";
    case "ev":
      return "agg-evfleet";
    case "heat_pump":
      return "agg-heatflex";
    case "battery":
      return buildingHasPv && unit(`${f.id}owner`) < 0.5 ? "agg-solarpool" : "agg-storage";
    default:
      return "agg-storage";
  }
}

/**
 * The network with each unit recorded with its demo aggregator (Fpu.owner), as a DSO
 * records which aggregator manages each unit: only that aggregator may offer it.
 */
export function assignDemoOwners(net: Network): Network {
  const pvBuildings = new Set(net.fpus.filter((f) => f.kind === "pv").map((f) => f.buildingId ?? `bus${f.bus}`));
  return { ...net, fpus: net.fpus.map((f) => ({ ...f, owner: ownerOfFpu(f, pvBuildings.has(f.buildingId ?? `bus${f.bus}`)) })) };
}

/** Owner-specific markup: each aggregator prices its portfolio a little differently. */
const MARKUP: Record<string, number> = { "agg-solarpool": 1.06, "agg-evfleet": 1.0, "agg-heatflex": 0.97, "agg-storage": 1.0 };

/**
 * The default bid set of a grid: for a grid with FPUs, an upward and a downward bid
 * per unit where it offers flexibility, at its connection point's (opaque) location.
 * Units of non-residential buildings (school, community centre, shops) bid with
 * technical minima: heat pumps and batteries at least half their volume, fleet EV
 * charging all or nothing (indivisible). For a plain
 * MATPOWER case, one upward demand-response bid per load bus for its whole load.
 * Prices differ by kind and owner; everything is deterministic.
 */
export function defaultBids(net: Network, locationOfBus: (bus: number) => string | undefined): Bid[] {
  const bids: Bid[] = [];
  const round = (x: number) => Math.round(x * 100) / 100;
  if (net.fpus.length > 0) {
    const pvBuildings = new Set(net.fpus.filter((f) => f.kind === "pv").map((f) => f.buildingId ?? `bus${f.bus}`));
    const buildingKind = new Map(net.loads.filter((l) => l.buildingId).map((l) => [l.buildingId!, l.kind ?? ""]));
    const NON_RESIDENTIAL = new Set(["school", "community_centre", "shop"]);
    for (const f of net.fpus) {
      const location = locationOfBus(f.bus);
      if (!location) continue;
      const owner = ownerOfFpu(f, pvBuildings.has(f.buildingId ?? `bus${f.bus}`));
      const { upMw, downMw } = fpuOfferMw(f);
      const qPerP = f.pMw !== 0 ? f.qMvar / f.pMw : 0;
      const price = PRICE[f.kind];
      for (const [dir, vol, range] of [
        ["up", upMw, price.up],
        ["down", downMw, price.down],
      ] as const) {
        if (Math.abs(vol) < 1e-6) continue;
        const p = round((range[0] + (range[1] - range[0]) * unit(f.id + dir)) * (MARKUP[owner] ?? 1));
        const bid: Bid = { id: `${f.id}-${dir}`, owner, location, volumeMw: vol, priceEurPerMwh: p, assetId: f.id };
        if (qPerP !== 0) bid.qPerP = qPerP;
        if (f.buildingId && NON_RESIDENTIAL.has(buildingKind.get(f.buildingId) ?? "")) {
          if (f.kind === "heat_pump" || f.kind === "battery") bid.minActivationMw = Math.abs(vol) / 2;
          if (f.kind === "ev") bid.indivisible = true;
        }
        bids.push(bid);
      }
    }
    return bids;
  }
  const demand = new Map<number, number>();
  for (const l of net.loads) demand.set(l.bus, (demand.get(l.bus) ?? 0) + l.pMw);
  net.buses.forEach((b, k) => {
    if (b.type !== "PQ") return;
    const pd = b.pdMw + (demand.get(b.id) ?? 0);
    const location = locationOfBus(b.id);
    if (!location || pd <= 1e-9) return;
    const owner = DEMO_AGGREGATORS[k % DEMO_AGGREGATORS.length];
    const qd = b.qdMvar;
    bids.push({
      id: `dr-${b.id}`,
      owner,
      location,
      volumeMw: pd,
      priceEurPerMwh: round(50 + 100 * unit(`bus${b.id}`)),
      qPerP: pd > 0 ? qd / pd : 0,
    });
  });
  return bids;
}
