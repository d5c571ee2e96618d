import type { Rng } from "./random";

/**
 * Building types, their demand and their flexibility-providing units (FPUs).
 *
 * Deliverable 5.2, section 3.1: the Bergwald district has 241 buildings — single
 * houses, duplexes, townhouses, apartment towers, a school, a community centre and
 * shops — and in the future scenario studied there every building can deliver
 * flexibility. [P004] section III.A: buildings carry FPUs (EVs,
 * batteries, PV, heat pumps) and the analysis uses a single time frame.
 *
 * Sizes are typical German values for a future (about 2035) residential scenario:
 * rooftop PV of 4–12 kWp per house (tens of kWp on apartment blocks and public
 * buildings), home batteries with 3.7–8 kW inverters, 11 kW wallboxes (VDE-AR-N 4100
 * notifiable class), heat pumps of 2.5–8 kW electrical input for houses.
 */
export type BuildingType = "single_house" | "duplex" | "townhouse" | "apartment" | "school" | "community_centre" | "shop";

export const BUILDING_TYPES: readonly BuildingType[] = ["single_house", "duplex", "townhouse", "apartment", "school", "community_centre", "shop"];

/**
 * The time frame of the default scenario: a sunny April weekday at noon. PV is
 * available at 78 % of its peak power but fed in at most at 60 % of it — the
 * feed-in limit for PV without a controllable smart-meter gateway in Germany
 * (§ 9 EEG 2023 as amended in 2025, the "Solarspitzengesetz") — so lifting the limit
 * is upward flexibility. Home batteries charge the PV surplus at 90 % of their
 * inverter rating and heat pumps run at 60 % (PV-led operation: hot water and the
 * buffer tank are heated with the midday surplus); plugged-in EVs either charge or
 * have finished. With these, [P004]'s 1.8 MW request is about half of the offered
 * upward flexibility, as in [P004].
 *
 * Inflexible demand is active power only (cos φ = 1): the BDEW standard load profiles
 * behind it give active power, and the units' inverters run at cos φ = 1 by default.
 */
export const SCENARIO = {
  label: "sunny April weekday, 12:00 (PV at 78 % of peak, fed in up to the 60 % limit)",
  pvAvailable: 0.78,
  pvFeedInLimit: 0.6,
  batteryCharge: 0.9,
  heatPumpDuty: 0.6,
} as const;

/**
 * Planning (design) demand of a group: the usual German coincidence rule
 * g(n) = g∞ + (1 − g∞) · n^(−3/4) applied to the sum of individual peaks of n
 * consumers. g∞ = 0.35 is chosen for a future mix in which heat pumps and wallboxes
 * dominate the peak (far above the 0.07–0.1 of households without electric heating).
 */
export const COINCIDENCE_INFINITE = 0.35;
/** Power factor used to turn design MW into MVA for equipment sizing. */
export const DESIGN_POWER_FACTOR = 0.95;

export function coincidenceFactor(units: number): number {
  if (units <= 1) return 1;
  return COINCIDENCE_INFINITE + (1 - COINCIDENCE_INFINITE) * units ** -0.75;
}

export interface FpuSizes {
  /** PV peak power, kWp (0 = none). Inverter apparent power = kWp. */
  pvKwp: number;
  /** Battery inverter rating, kW. */
  batteryKw: number;
  /** Installed charging power (all chargers), plugged-in part and charging part now, kW. */
  evKw: number;
  evPluggedKw: number;
  evChargingKw: number;
  /** Heat pump electrical input, kW. */
  heatPumpKw: number;
}

export interface BuildingProfile extends FpuSizes {
  type: BuildingType;
  households: number;
  /** Individual peak demand (appliances + heat pump + all chargers), kW. */
  peakKw: number;
  /** Inflexible demand in the scenario's time frame, kW / kVAr. */
  loadKw: number;
  loadKvar: number;
}

const tanPhi = (pf: number) => Math.tan(Math.acos(pf));
const r1 = (v: number) => Math.round(v * 10) / 10;

interface TypeSpec {
  households: (rng: Rng) => number;
  /** Appliance peak per household (or per building when households = 1 for non-residential), kW. */
  appliancePeakKw: (hh: number) => number;
  middayKw: (rng: Rng, hh: number) => number;
  powerFactor: number;
  pv: [probability: number, kwp: (rng: Rng, hh: number) => number];
  battery: [number, (rng: Rng, hh: number) => number];
  ev: [number, (rng: Rng, hh: number) => { chargers: number; kw: number }];
  heatPump: [number, (rng: Rng, hh: number) => number];
  /** Probability that a charger is plugged in at noon / that a plugged car is still charging. */
  evPlugged: number;
  evCharging: number;
}

const HOUSEHOLD_PEAK_KW = 5;

const SPECS: Record<BuildingType, TypeSpec> = {
  single_house: {
    households: () => 1,
    appliancePeakKw: () => HOUSEHOLD_PEAK_KW,
    middayKw: (rng) => rng.range(0.35, 0.7),
    powerFactor: 1,
    pv: [0.85, (rng) => r1(rng.range(7, 12))],
    battery: [0.55, (rng) => (rng.chance(0.3) ? 8 : 5)],
    ev: [0.65, () => ({ chargers: 1, kw: 11 })],
    heatPump: [0.7, (rng) => r1(rng.range(3, 5))],
    evPlugged: 0.5,
    evCharging: 0.75,
  },
  duplex: {
    households: () => 2,
    appliancePeakKw: (hh) => HOUSEHOLD_PEAK_KW * hh,
    middayKw: (rng) => rng.range(0.7, 1.3),
    powerFactor: 1,
    pv: [0.85, (rng) => r1(rng.range(10, 15))],
    battery: [0.5, () => 10],
    ev: [0.7, (rng) => ({ chargers: rng.chance(0.5) ? 2 : 1, kw: 11 })],
    heatPump: [0.7, (rng) => r1(rng.range(5, 8))],
    evPlugged: 0.5,
    evCharging: 0.6,
  },
  townhouse: {
    households: () => 1,
    appliancePeakKw: () => HOUSEHOLD_PEAK_KW,
    middayKw: (rng) => rng.range(0.3, 0.6),
    powerFactor: 1,
    pv: [0.8, (rng) => r1(rng.range(4, 6.5))],
    battery: [0.4, () => 3.7],
    ev: [0.5, () => ({ chargers: 1, kw: 11 })],
    heatPump: [0.65, (rng) => r1(rng.range(2.5, 3.5))],
    evPlugged: 0.5,
    evCharging: 0.6,
  },
  apartment: {
    households: (rng) => rng.int(8, 24),
    appliancePeakKw: (hh) => HOUSEHOLD_PEAK_KW * hh,
    middayKw: (rng, hh) => hh * rng.range(0.3, 0.5),
    powerFactor: 1,
    pv: [0.9, (rng, hh) => r1(Math.min(60, hh * rng.range(1.2, 2)))],
    battery: [0.5, (_rng, hh) => r1(Math.max(10, hh * 1.5))],
    ev: [0.85, (_rng, hh) => ({ chargers: Math.max(2, Math.ceil(hh * 0.3)), kw: 11 })],
    heatPump: [0.6, (rng, hh) => r1(hh * rng.range(1, 1.4))],
    evPlugged: 0.55,
    evCharging: 0.6,
  },
  school: {
    households: () => 1,
    appliancePeakKw: () => 110,
    middayKw: (rng) => rng.range(25, 40),
    powerFactor: 1,
    pv: [1, (rng) => r1(rng.range(90, 140))],
    battery: [0.7, () => 40],
    ev: [1, () => ({ chargers: 4, kw: 11 })],
    heatPump: [1, (rng) => r1(rng.range(30, 45))],
    evPlugged: 0.9,
    evCharging: 0.7,
  },
  community_centre: {
    households: () => 1,
    appliancePeakKw: () => 35,
    middayKw: (rng) => rng.range(4, 8),
    powerFactor: 1,
    pv: [1, (rng) => r1(rng.range(25, 40))],
    battery: [0.6, () => 15],
    ev: [1, () => ({ chargers: 2, kw: 11 })],
    heatPump: [1, (rng) => r1(rng.range(10, 14))],
    evPlugged: 0.6,
    evCharging: 0.6,
  },
  shop: {
    households: () => 1,
    appliancePeakKw: () => 30,
    middayKw: (rng) => rng.range(8, 16),
    powerFactor: 1,
    pv: [0.8, (rng) => r1(rng.range(15, 30))],
    battery: [0.4, () => 10],
    ev: [0.6, () => ({ chargers: 1, kw: 22 })],
    heatPump: [0.7, (rng) => r1(rng.range(6, 10))],
    evPlugged: 0.7,
    evCharging: 0.6,
  },
};

/**
 * Midday demand as a share of the appliance peak, per type (the midpoints of the
 * draws above), to scale an uploaded building's given peak demand.
 */
const MIDDAY_SHARE: Record<BuildingType, number> = {
  single_house: 0.105,
  duplex: 0.1,
  townhouse: 0.09,
  apartment: 0.08,
  school: 0.3,
  community_centre: 0.17,
  shop: 0.4,
};

/**
 * Demand and FPU sizes of one building, drawn from its type's distributions.
 * `applianceKw` (optional, from an upload) replaces the appliance peak and scales the
 * midday demand with it; `households` likewise overrides the type's household count.
 */
export function drawProfile(type: BuildingType, rng: Rng, opts: { applianceKw?: number; households?: number } = {}): BuildingProfile {
  const s = SPECS[type];
  const drawnHh = s.households(rng);
  const hh = opts.households !== undefined ? Math.max(1, Math.round(opts.households)) : drawnHh;
  const appliance = opts.applianceKw ?? s.appliancePeakKw(hh);
  const midday = opts.applianceKw !== undefined ? appliance * MIDDAY_SHARE[type] : s.middayKw(rng, hh);
  const pvKwp = rng.chance(s.pv[0]) ? s.pv[1](rng, hh) : 0;
  const batteryKw = rng.chance(s.battery[0]) ? s.battery[1](rng, hh) : 0;
  let evKw = 0;
  let evPluggedKw = 0;
  let evChargingKw = 0;
  if (rng.chance(s.ev[0])) {
    const { chargers, kw } = s.ev[1](rng, hh);
    evKw = chargers * kw;
    for (let c = 0; c < chargers; c++) {
      if (!rng.chance(s.evPlugged)) continue;
      evPluggedKw += kw;
      if (rng.chance(s.evCharging)) evChargingKw += kw;
    }
  }
  const heatPumpKw = rng.chance(s.heatPump[0]) ? s.heatPump[1](rng, hh) : 0;
  const loadKw = Math.round(midday * 1000) / 1000;
  return {
    type,
    households: hh,
    peakKw: r1(appliance + heatPumpKw + evKw),
    loadKw,
    loadKvar: Math.round(loadKw * tanPhi(s.powerFactor) * 1000) / 1000,
    pvKwp,
    batteryKw,
    evKw,
    evPluggedKw,
    evChargingKw,
    heatPumpKw,
  };
}

/** Design power of a group of buildings, MW: the larger of coincident demand and PV feed-in at the limit. */
export function groupDesignMw(sumPeakKw: number, units: number, sumPvKwp: number): number {
  const demand = coincidenceFactor(units) * sumPeakKw;
  const feedIn = SCENARIO.pvFeedInLimit * sumPvKwp;
  return Math.max(demand, feedIn) / 1000;
}
