import { buildGridFromBuildings } from "./build";
import { createProjection, type LonLat, type XY } from "./geo";
import { generateLayout } from "./layout";
import { createRng } from "./random";
import { DistrictInputError, type BuildingInput, type District, type StreetInput } from "./types";

/** Seed of the platform's default district (what a new DSO sees first). */
export const DEFAULT_DISTRICT_SEED = 241;
/** Buildings of the default district, as in the Bergwald grid ([P001] section 3.1). */
export const DEFAULT_DISTRICT_BUILDINGS = 241;
/** Centre of the generated district: Karlsruhe-Bergwald, about 49.0° N, 8.48° E. */
const DISTRICT_CENTRE: LonLat = [8.48, 49.0];
export const MAX_GENERATED_BUILDINGS = 5000;

/**
 * A generated Bergwald-like district and its grid, deterministic for a seed. The
 * layout (streets and footprints) is converted to WGS84 and handed to
 * `buildGridFromBuildings` exactly as an upload would be.
 */
export function generateDistrict(opts: { seed?: number; buildings?: number } = {}): District {
  const seed = opts.seed ?? DEFAULT_DISTRICT_SEED;
  const n = opts.buildings ?? DEFAULT_DISTRICT_BUILDINGS;
  if (!Number.isInteger(seed)) throw new DistrictInputError(`seed must be an integer, got ${seed}`);
  if (!Number.isInteger(n) || n < 1 || n > MAX_GENERATED_BUILDINGS) {
    throw new DistrictInputError(`buildings must be an integer from 1 to ${MAX_GENERATED_BUILDINGS}, got ${n}`);
  }
  const layout = generateLayout(n, createRng(seed).fork("layout"));
  const proj = createProjection(DISTRICT_CENTRE[0], DISTRICT_CENTRE[1]);
  const ll = (p: XY) => proj.toLonLat(p);
  const buildings: BuildingInput[] = layout.buildings.map((b) => {
    const [lon, lat] = ll(b.centroid);
    return { lon, lat, type: b.type, footprint: b.footprint.map(ll) };
  });
  const streets: StreetInput[] = layout.streets.map((s) => ({ id: s.id, name: s.name, kind: s.kind, coordinates: s.points.map(ll) }));
  const [lon, lat] = ll(layout.pcc);
  return buildGridFromBuildings({ buildings, streets, seed, pcc: { lon, lat }, name: `bergwald-like-${seed}-${n}` });
}
