import type { Network } from "../grid/types";
import type { LonLat } from "./geo";
import type { BuildingType } from "./profiles";

/** A building as uploaded or generated: where it is, optionally its footprint, type and demand. */
export interface BuildingInput {
  id?: string;
  /** Connection point (the footprint's centroid for polygons), WGS84 degrees. */
  lon: number;
  lat: number;
  /** Closed outer ring, [lon, lat] pairs. */
  footprint?: LonLat[];
  type?: BuildingType;
  /** Peak demand of the building's appliances (heat pump and chargers come with its FPUs), kW. */
  demandKw?: number;
  households?: number;
  name?: string;
}

export interface StreetInput {
  id?: string;
  name?: string;
  kind?: string;
  coordinates: LonLat[];
}

/** What a district grid is built from: buildings, optionally streets and the point where the 20 kV feed enters. */
export interface BuildOptions {
  buildings: BuildingInput[];
  streets?: StreetInput[];
  seed?: number;
  /** Where the 20 kV feeder enters the district; defaults to the street node farthest from the load centre. */
  pcc?: { lon: number; lat: number };
  name?: string;
}

export interface Building {
  id: string;
  name?: string;
  type: BuildingType;
  lon: number;
  lat: number;
  footprint: LonLat[] | null;
  households: number;
  /** Individual peak demand incl. heat pump and chargers, kW. */
  peakKw: number;
  /** Inflexible demand in the scenario's time frame, kW / kVAr. */
  loadKw: number;
  loadKvar: number;
  pvKwp: number;
  batteryKw: number;
  evKw: number;
  heatPumpKw: number;
  /** Bus the building's load and FPUs are connected to. */
  bus: number;
  substation: string;
  feeder: string;
  fpuIds: string[];
}

export interface Street {
  id: string;
  name: string;
  kind: string;
  coordinates: LonLat[];
}

export interface Substation {
  id: string;
  lon: number;
  lat: number;
  mvBus: number;
  lvBus: number;
  /** Branch id of the 20/0.4 kV transformer. */
  transformer: string;
  typeName: string;
  parallel: number;
  ratingMva: number;
  buildings: number;
  feeders: number;
  /** Planning (design) apparent power of the buildings it supplies, MVA. */
  designMva: number;
}

export interface Feeder {
  id: string;
  substation: string;
  typeName: string;
  parallel: number;
  buildings: number;
  designMva: number;
  ratingMva: number;
  /** Total cable length of the feeder (without service cables), km. */
  lengthKm: number;
  /** Branch leaving the substation. */
  headBranch: string;
}

export interface MvRing {
  id: string;
  /** Substation ids in tour order from the PCC. */
  stations: string[];
  /** Branch id of the normally open point. */
  openBranch: string;
  lengthKm: number;
}

export interface District {
  seed: number;
  name: string;
  network: Network;
  buildings: Building[];
  streets: Street[];
  substations: Substation[];
  feeders: Feeder[];
  rings: MvRing[];
  pcc: { bus: number; lon: number; lat: number };
  /** [west, south, east, north], degrees. */
  bounds: [number, number, number, number];
  scenario: string;
  /** Things a user should know about an upload (e.g. buildings far from any street). */
  warnings: string[];
}

/** Geography kept in `network.meta.geography`, so a stored Network can be drawn on its own. */
export interface DistrictGeography {
  streets: Street[];
  buildings: { id: string; type: BuildingType; lon: number; lat: number; footprint: LonLat[] | null; bus: number }[];
  substations: { id: string; lon: number; lat: number; mvBus: number; lvBus: number }[];
  pcc: { bus: number; lon: number; lat: number };
}

/** An upload (or generator input) that cannot become a grid; the message says which element and why. */
export class DistrictInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DistrictInputError";
  }
}
