import { fpuOfferMw, type Network } from "../grid/types";
import { flexLocations } from "../sensitivity/locations";
import type { BidDispatch } from "../clearing/result";
import type { BidGroup } from "../clearing/milp";
import type { LightModelKey } from "../sensitivity/light-model";
import type { AggregatedBid } from "./aggregated";
import { validateAggregatedBids } from "./aggregated";
import { BidFormatError, type Bid } from "./bids";
import { DEMO_AGGREGATORS, ownerOfFpu } from "./default-bids";
import { writeCsv } from "../util/csv";

/**
 * The bid congestion manager (BCM) of the DigIPlat workflow: aggregated bids are
 * split by the location of their assets into per-asset bids at the opaque
 * locations of each DSO's light model, cleared, and the results re-aggregated per
 * aggregated bid. The BCM is a platform service on the DSO side of the boundary:
 * it uses the DSOs' keys to place assets; the TSO only sees the per-asset bids by
 * opaque location.
 */

/** A unit of a DSO grid that may be offered: its connection, what it can deliver, and who may offer it. */
export interface GridUnit {
  bus: number;
  /** Offered flexibility, MW: up >= 0, down <= 0. */
  upMw: number;
  downMw: number;
  /** Reactive injection change per MW activated (constant power factor). */
  qPerP: number;
  /** The aggregator (user name) the DSO recorded for the unit; only it may offer the unit on the platform. */
  owner?: string;
}

/** What the BCM knows of one DSO grid to place assets (from the DSO's network and light-model key). */
export interface GridAssetRegistry {
  /** The grid's id: the only reference a stored bid uses. */
  gridId: string;
  /** The grid's name, for messages only (never used to find the grid). */
  gridName: string;
  /** Unit id -> unit. */
  units: Map<string, GridUnit>;
  /** Bus -> opaque location id of the published light model. */
  locationOfBus: Map<number, string>;
}

/** The id of the demand-response unit of a load bus on a grid without flexibility units (MATPOWER cases). */
function loadUnitId(bus: number): string {
  return `load-${bus}`;
}

/**
 * The units of a grid: its flexibility-providing units (FPUs) with their recorded
 * owner; on a grid without FPUs, the demand response of each load bus
 * (`load-<bus>`, up to its load in both directions, as lib/sensitivity/locations.ts
 * offers it), which no aggregator owns.
 */
function gridUnits(net: Network): Map<string, GridUnit> {
  const units = new Map<string, GridUnit>();
  if (net.fpus.length > 0) {
    for (const f of net.fpus) {
      const o = fpuOfferMw(f);
      units.set(f.id, { bus: f.bus, upMw: o.upMw, downMw: o.downMw, qPerP: f.pMw !== 0 ? f.qMvar / f.pMw : 0, ...(f.owner ? { owner: f.owner } : {}) });
    }
    return units;
  }
  for (const l of flexLocations(net)) {
    if (l.offeredUpMw > 0 || l.offeredDownMw < 0) units.set(loadUnitId(l.bus), { bus: l.bus, upMw: l.offeredUpMw, downMw: l.offeredDownMw, qPerP: 0 });
  }
  return units;
}

export function registryFromDso(gridId: string, gridName: string, net: Network, key: LightModelKey): GridAssetRegistry {
  return { gridId, gridName, units: gridUnits(net), locationOfBus: new Map(key.locations.map((l) => [l.bus, l.id])) };
}

export interface DisaggregatedAsset {
  /** Id of the per-asset bid the TSO clears. */
  bidId: string;
  gridId: string;
  assetId: string;
  /** Where the asset connects, DSO side ("bus:<n>"); the TSO sees `opaqueLocation`. */
  connection: string;
  opaqueLocation: string;
  volumeMw: number;
}

export interface Disaggregation {
  /** Per-asset bids grouped per DSO grid. */
  perGrid: Map<string, Bid[]>;
  /** One group per aggregated bid with several assets and a minimum or indivisibility. */
  groups: BidGroup[];
  assets: Map<string, DisaggregatedAsset[]>;
}

export interface DisaggregateOptions {
  /**
   * Every asset must be a unit whose recorded owner is the bid's owner (the platform).
   * Refusals then say only "not one of your units" — never whether such a unit exists,
   * where it connects or what it can deliver.
   */
  requireOwnedUnits?: boolean;
}

/** Key of a unit across grids. */
export function unitKey(gridId: string, unitId: string): string {
  return `${gridId}\u0000${unitId}`;
}

/** The per-asset bid id: the aggregated bid's id for a one-asset bid, "<bid>/<asset>" otherwise (bid ids contain no "/"). */
export function assetBidId(agg: AggregatedBid, assetId: string): string {
  return agg.assets.length === 1 ? agg.id : `${agg.id}/${assetId}`;
}

/**
 * Split aggregated bids into per-asset bids. Each asset is a unit of its grid (named
 * by the grid's id); the bids on one unit together stay within what it offers in
 * each direction. Each asset bid carries the aggregator's price. A minimum activation
 * or indivisibility of a bid with several assets is kept exact as a group (one binary
 * over its assets, see milp.ts): the minimum applies to the sum, not split into
 * per-asset minima that would forbid activating a few assets fully. A one-asset bid
 * passes through as a plain bid.
 */
export function disaggregate(aggregated: AggregatedBid[], registries: GridAssetRegistry[], opts: DisaggregateOptions = {}): Disaggregation {
  const volumes = validateAggregatedBids(aggregated);
  const byId = new Map(registries.map((r) => [r.gridId, r]));
  const perGrid = new Map<string, Bid[]>();
  const groups: BidGroup[] = [];
  const assets = new Map<string, DisaggregatedAsset[]>();
  const usedIds = new Set<string>();
  const offered = new Map<string, { reg: GridAssetRegistry; unitId: string; unit: GridUnit; upMw: number; downMw: number }>();
  aggregated.forEach((agg, i) => {
    const at = `aggregated bid ${agg.id}`;
    const single = agg.assets.length === 1;
    const grouped = !single && (agg.indivisible || (agg.minActivationMw ?? 0) > 0);
    if (grouped) groups.push({ id: agg.id, minActivationMw: agg.minActivationMw, indivisible: agg.indivisible });
    const list: DisaggregatedAsset[] = [];
    agg.assets.forEach((a, k) => {
      const where = `${at}, asset ${a.assetId}`;
      const reg = byId.get(a.grid);
      if (!reg) throw new BidFormatError(`${where}: no grid with id '${a.grid}' is on the market (its DSO has not published a light model)`);
      const unit = reg.units.get(a.assetId);
      if (opts.requireOwnedUnits && unit?.owner !== agg.owner) throw new BidFormatError(`${where}: not one of your units in ${reg.gridName}`);
      if (!unit) throw new BidFormatError(`${where}: ${reg.gridName} has no unit '${a.assetId}' (give an FPU id, or load-<bus> on a grid without FPUs)`);
      if (a.location !== undefined && a.location !== `bus:${unit.bus}`) {
        throw new BidFormatError(`${where}: location '${a.location}' is not where the unit connects (bus:${unit.bus}); leave location empty`);
      }
      const opaque = reg.locationOfBus.get(unit.bus);
      if (!opaque) throw new BidFormatError(`${where}: the unit's connection is not a flexibility location of ${reg.gridName}'s published light model`);
      const vol = volumes[i][k];
      const cap = vol > 0 ? unit.upMw : unit.downMw;
      if (Math.abs(vol) > Math.abs(cap) + 1e-9) {
        throw new BidFormatError(`${where}: ${Math.abs(vol)} MW ${vol > 0 ? "upward" : "downward"} exceeds what the unit offers (${Math.abs(cap).toFixed(6)} MW)`);
      }
      const key = unitKey(reg.gridId, a.assetId);
      const sum = offered.get(key) ?? { reg, unitId: a.assetId, unit, upMw: 0, downMw: 0 };
      if (vol > 0) sum.upMw += vol;
      else sum.downMw += vol;
      offered.set(key, sum);
      const bidId = assetBidId(agg, a.assetId);
      if (usedIds.has(`${reg.gridId}\u0000${bidId}`)) throw new BidFormatError(`${at}: bid id '${bidId}' is used twice`);
      usedIds.add(`${reg.gridId}\u0000${bidId}`);
      const bid: Bid = { id: bidId, owner: agg.owner, location: opaque, volumeMw: vol, priceEurPerMwh: agg.priceEurPerMwh, assetId: a.assetId };
      if (unit.qPerP !== 0) bid.qPerP = unit.qPerP;
      if (single) {
        if (agg.minActivationMw) bid.minActivationMw = agg.minActivationMw;
        if (agg.indivisible) bid.indivisible = true;
      } else if (grouped) bid.groupId = agg.id;
      const bids = perGrid.get(reg.gridId) ?? [];
      bids.push(bid);
      perGrid.set(reg.gridId, bids);
      list.push({ bidId, gridId: reg.gridId, assetId: a.assetId, connection: `bus:${unit.bus}`, opaqueLocation: opaque, volumeMw: vol });
    });
    assets.set(agg.id, list);
  });
  for (const o of offered.values()) checkUnitTotal(o.reg.gridName, o.unitId, o.unit, o.upMw, o.downMw, "over these bids");
  return { perGrid, groups, assets };
}

/** Bids on one unit together stay within its offer per direction (1e-9 MW tolerance). */
export function checkUnitTotal(gridName: string, unitId: string, unit: GridUnit, upMw: number, downMw: number, over: string): void {
  for (const [mw, cap, dir] of [
    [upMw, unit.upMw, "upward"],
    [downMw, unit.downMw, "downward"],
  ] as const) {
    if (Math.abs(mw) > Math.abs(cap) + 1e-9) {
      throw new BidFormatError(`unit ${unitId} in ${gridName}: ${Math.abs(mw).toFixed(6)} MW ${dir} ${over} exceeds what the unit offers (${Math.abs(cap).toFixed(6)} MW)`);
    }
  }
}

export interface AggregatedResult {
  bidId: string;
  owner: string;
  direction: "up" | "down";
  priceEurPerMwh: number;
  offeredMw: number;
  activatedMw: number;
  fraction: number;
  costEur: number;
  assets: { assetId: string; grid: string; location: string; offeredMw: number; activatedMw: number }[];
}

/**
 * Re-aggregate the per-asset dispatch: for each aggregated bid, the activated total
 * is the exact sum over its assets, the fraction is of the offered total, the cost
 * is the aggregator's price times the activated total.
 */
export function reaggregate(aggregated: AggregatedBid[], dis: Disaggregation, dispatch: BidDispatch[]): AggregatedResult[] {
  const byId = new Map(dispatch.map((d) => [`${d.gridId}\u0000${d.bidId}`, d]));
  return aggregated.map((agg) => {
    const parts = dis.assets.get(agg.id) ?? [];
    const assets = parts.map((p) => {
      const d = byId.get(`${p.gridId}\u0000${p.bidId}`);
      if (!d) throw new Error(`no dispatch for ${p.bidId} in grid ${p.gridId}`);
      return { assetId: p.assetId, grid: p.gridId, location: p.connection, offeredMw: p.volumeMw, activatedMw: d.activatedMw };
    });
    let activated = 0;
    for (const a of assets) activated += a.activatedMw;
    return {
      bidId: agg.id,
      owner: agg.owner,
      direction: agg.direction,
      priceEurPerMwh: agg.priceEurPerMwh,
      offeredMw: agg.volumeMw,
      activatedMw: activated,
      fraction: activated / agg.volumeMw,
      costEur: agg.priceEurPerMwh * activated,
      assets,
    };
  });
}

/** Deterministic value in [0, 1) from a string. */
function unit(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return ((h >>> 0) % 100000) / 100000;
}

/**
 * Demo portfolios over a grid's flexibility: each aggregator bundles its units per
 * neighbourhood (the substation the unit's bus belongs to, from the bus name
 * "S<k>-..." of generated districts, else blocks of 25 units) into one upward and
 * one downward portfolio bid per kind. Heat-pump pools need 30 % of their volume at
 * least (compressor minimum runs). For a grid without FPUs (MATPOWER), load buses
 * are pooled instead.
 */
export function demoPortfolios(gridId: string, net: Network): AggregatedBid[] {
  const out: AggregatedBid[] = [];
  const busName = new Map(net.buses.map((b) => [b.id, b.name ?? ""]));
  const round = (x: number) => Math.round(x * 100) / 100;
  if (net.fpus.length === 0) {
    const loads = net.buses.filter((b) => b.type === "PQ" && b.pdMw > 1e-9);
    DEMO_AGGREGATORS.forEach((owner, k) => {
      const mine = loads.filter((_, i) => i % DEMO_AGGREGATORS.length === k);
      if (!mine.length) return;
      const total = mine.reduce((s, b) => s + b.pdMw, 0);
      out.push({
        id: `${owner}-dr`,
        owner,
        direction: "up",
        volumeMw: total,
        priceEurPerMwh: round(55 + 60 * unit(owner)),
        assets: mine.map((b) => ({ assetId: loadUnitId(b.id), grid: gridId, location: `bus:${b.id}`, volumeMw: b.pdMw })),
      });
    });
    return out;
  }
  const pvBuildings = new Set(net.fpus.filter((f) => f.kind === "pv").map((f) => f.buildingId ?? `bus${f.bus}`));
  const pools = new Map<string, { owner: string; dir: "up" | "down"; kind: string; area: string; assets: { id: string; mw: number }[] }>();
  net.fpus.forEach((f, i) => {
    const owner = ownerOfFpu(f, pvBuildings.has(f.buildingId ?? `bus${f.bus}`));
    const m = /^S(\d+)/.exec(busName.get(f.bus) ?? "");
    const area = m ? `S${m[1]}` : `B${Math.floor(i / 25) + 1}`;
    const o = fpuOfferMw(f);
    for (const [dir, mw] of [
      ["up", o.upMw],
      ["down", o.downMw],
    ] as const) {
      if (Math.abs(mw) < 1e-6) continue;
      const key = `${owner}|${dir}|${f.kind}|${area}`;
      const pool = pools.get(key) ?? { owner, dir, kind: f.kind, area, assets: [] };
      pool.assets.push({ id: f.id, mw });
      pools.set(key, pool);
    }
  });
  const base: Record<string, { up: number; down: number }> = {
    ev: { up: 66, down: 10 },
    heat_pump: { up: 90, down: 17 },
    battery: { up: 122, down: 28 },
    pv: { up: 160, down: 2 },
    other: { up: 110, down: 20 },
  };
  for (const pool of [...pools.values()].sort((a, b) => (a.owner + a.area + a.kind + a.dir).localeCompare(b.owner + b.area + b.kind + b.dir))) {
    const total = pool.assets.reduce((s, a) => s + a.mw, 0);
    const id = `${pool.owner}-${pool.kind.replace("_", "")}-${pool.area}-${pool.dir}`;
    const price = round(base[pool.kind][pool.dir] * (0.92 + 0.16 * unit(id)));
    const bid: AggregatedBid = {
      id,
      owner: pool.owner,
      direction: pool.dir,
      volumeMw: total,
      priceEurPerMwh: price,
      assets: pool.assets.map((a) => ({ assetId: a.id, grid: gridId, volumeMw: a.mw })),
    };
    if (pool.kind === "heat_pump" && pool.dir === "up" && pool.assets.length > 1) bid.minActivationMw = Number((Math.abs(total) * 0.3).toFixed(6));
    out.push(bid);
  }
  return out;
}

/** The re-aggregated results as CSV: one row per asset of each aggregated bid (the CLI's --export-csv and the web download). */
export function aggregatedResultsCsv(results: AggregatedResult[]): string {
  return writeCsv(
    ["bidId", "owner", "direction", "priceEURperMWh", "offeredMW", "activatedMW", "fraction", "costEUR", "assetId", "grid", "location", "assetOfferedMW", "assetActivatedMW"],
    results.flatMap((r) =>
      r.assets.map((a) => [r.bidId, r.owner, r.direction, r.priceEurPerMwh, r.offeredMw, r.activatedMw, r.fraction, r.costEur, a.assetId, a.grid, a.location, a.offeredMw, a.activatedMw]),
    ),
  );
}
