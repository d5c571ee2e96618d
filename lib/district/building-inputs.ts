import { createProjection, polygonAreaCentroid, round7, type LocalProjection, type LonLat, type XY } from "./geo";
import { BUILDING_TYPES, drawProfile, type BuildingProfile, type BuildingType } from "./profiles";
import { createRng, hashString } from "./random";
import { DistrictInputError, type BuildOptions, type BuildingInput, type StreetInput } from "./types";

/**
 * The first stage of building a district grid: the buildings and streets of an
 * upload (or of the generator) checked, placed in a local metric frame, and each
 * building given an id, a type and a demand profile.
 */

/** Largest extent of a district the builder accepts, km. */
const MAX_EXTENT_KM = 25;

export interface BuildingSet {
  seed: number;
  /** Streets with at least two vertices. */
  streets: StreetInput[];
  /** Local frame about the buildings' mean position. */
  proj: LocalProjection;
  /** Buildings' positions in the local frame, m. */
  pos: XY[];
  ids: string[];
  profiles: BuildingProfile[];
}

/** The checked buildings and streets of `input`, in a local frame, with ids and profiles. */
export function readBuildingSet(input: BuildOptions): BuildingSet {
  const seed = input.seed ?? 1;
  if (!Number.isInteger(seed)) throw new DistrictInputError(`seed must be an integer, got ${seed}`);
  const inputs = input.buildings;
  if (!Array.isArray(inputs) || inputs.length === 0) throw new DistrictInputError("no buildings: at least one building is needed to build a grid");
  inputs.forEach((b, i) => checkLonLat(b.lon, b.lat, `building ${i}${b.id ? ` (${b.id})` : ""}`));
  const streets = (input.streets ?? []).filter((s) => s.coordinates.length >= 2);
  streets.forEach((s, i) => s.coordinates.forEach((c, k) => checkLonLat(c[0], c[1], `street ${i}${s.id ? ` (${s.id})` : ""}, vertex ${k}`)));

  // Local metric frame about the buildings' mean position.
  let lon0 = 0;
  let lat0 = 0;
  for (const b of inputs) {
    lon0 += b.lon;
    lat0 += b.lat;
  }
  const proj = createProjection(round7(lon0 / inputs.length), round7(lat0 / inputs.length));
  const pos: XY[] = inputs.map((b) => proj.toLocal([b.lon, b.lat]));
  checkExtent(pos);

  // Ids, types and profiles (each building's draw depends only on the seed and its id).
  const ids = uniqueIds(inputs);
  const types: BuildingType[] = inputs.map((b, i) => {
    if (b.type !== undefined) {
      if (!BUILDING_TYPES.includes(b.type)) throw new DistrictInputError(`building ${i} (${ids[i]}): unknown type '${b.type}' (expected one of ${BUILDING_TYPES.join(", ")})`);
      return b.type;
    }
    return inferType(b, proj.toLocal);
  });
  const profiles: BuildingProfile[] = inputs.map((b, i) => {
    if (b.demandKw !== undefined && !(Number.isFinite(b.demandKw) && b.demandKw >= 0)) {
      throw new DistrictInputError(`building ${i} (${ids[i]}): demand must be a non-negative number of kW, got ${b.demandKw}`);
    }
    return drawProfile(types[i], createRng(hashString(`${seed}:${ids[i]}`)), { applianceKw: b.demandKw, households: b.households });
  });
  return { seed, streets, proj, pos, ids, profiles };
}

function checkLonLat(lon: number, lat: number, what: string): void {
  if (typeof lon !== "number" || typeof lat !== "number" || !Number.isFinite(lon) || !Number.isFinite(lat)) {
    throw new DistrictInputError(`${what}: coordinates must be finite numbers, got [${lon}, ${lat}]`);
  }
  if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
    throw new DistrictInputError(`${what}: [${lon}, ${lat}] is not a WGS84 longitude/latitude pair (lon in [-180, 180], lat in [-90, 90])`);
  }
}

/** Refuses buildings spread over more than MAX_EXTENT_KM. */
function checkExtent(pos: XY[]): void {
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (const [x, y] of pos) {
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  const extentKm = Math.max(maxX - minX, maxY - minY) / 1000;
  if (extentKm > MAX_EXTENT_KM) {
    throw new DistrictInputError(`the buildings span ${extentKm.toFixed(1)} km; a district grid is built for areas up to ${MAX_EXTENT_KM} km across (split the upload into districts)`);
  }
}

/** The buildings' ids, trimmed; missing ones numbered (b0001), repeated ones suffixed (-2). */
function uniqueIds(inputs: BuildingInput[]): string[] {
  const width = Math.max(4, String(inputs.length).length);
  const seen = new Set<string>();
  return inputs.map((b, i) => {
    let id = b.id !== undefined && String(b.id).trim() !== "" ? String(b.id).trim() : `b${String(i + 1).padStart(width, "0")}`;
    if (seen.has(id)) {
      let n = 2;
      while (seen.has(`${id}-${n}`)) n++;
      id = `${id}-${n}`;
    }
    seen.add(id);
    return id;
  });
}

/** Type from the footprint area when an upload gives none (a point building counts as a single house). */
function inferType(b: BuildingInput, toLocal: (p: LonLat) => XY): BuildingType {
  if (!b.footprint || b.footprint.length < 3) return "single_house";
  const area = polygonAreaCentroid(b.footprint.map(toLocal)).area;
  if (area < 90) return "townhouse";
  if (area < 200) return "single_house";
  if (area < 320) return "duplex";
  return "apartment";
}
