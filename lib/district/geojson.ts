import { formatCount, GEOJSON_LIMITS } from "../limits";
import { scanJsonText } from "../limits/json-scan";
import { polygonAreaCentroid, round7, type LonLat, type XY } from "./geo";
import { BUILDING_TYPES, type BuildingType } from "./profiles";
import { DistrictInputError, type BuildingInput, type StreetInput } from "./types";

/**
 * GeoJSON (RFC 7946) import of buildings and streets for grid generation. Every
 * error names the feature index and the field, e.g.
 * `features[12].geometry.coordinates[0][3]: longitude 190 is outside [-180, 180]`.
 */
export class GeoJsonError extends DistrictInputError {
  constructor(message: string) {
    super(message);
    this.name = "GeoJsonError";
  }
}

const MAX_UPLOAD_FEATURES = GEOJSON_LIMITS.features;

/** Positions read so far from one file, against GEOJSON_LIMITS.positions. */
class PositionCount {
  private n = 0;
  add(k: number, path: string): void {
    this.n += k;
    if (this.n > GEOJSON_LIMITS.positions)
      throw new GeoJsonError(`${path}: more than ${formatCount(GEOJSON_LIMITS.positions)} positions in the file; the limit is ${formatCount(GEOJSON_LIMITS.positions)}`);
  }
}

/**
 * Building type from a feature's `type`, `building_type` or OSM `building` property:
 * the platform's own names or the usual OpenStreetMap building values; "yes" (or no
 * value) lets the builder infer the type from the footprint area.
 */
const OSM_BUILDING: Record<string, BuildingType> = {
  house: "single_house",
  detached: "single_house",
  bungalow: "single_house",
  farm: "single_house",
  semidetached_house: "duplex",
  semi: "duplex",
  terrace: "townhouse",
  row_house: "townhouse",
  apartments: "apartment",
  residential: "apartment",
  dormitory: "apartment",
  school: "school",
  kindergarten: "school",
  university: "school",
  college: "school",
  civic: "community_centre",
  public: "community_centre",
  community_center: "community_centre",
  church: "community_centre",
  retail: "shop",
  commercial: "shop",
  supermarket: "shop",
  kiosk: "shop",
  office: "shop",
};

type Json = unknown;

/** A value of the file as a message shows it: JSON, at most 80 characters. */
function shown(v: Json): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
}

function isObject(v: Json): v is Record<string, Json> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function parseJson(text: string, what: string): Json {
  if (typeof text !== "string" || text.trim() === "") throw new GeoJsonError(`${what}: the file is empty`);
  const over = scanJsonText(text, GEOJSON_LIMITS);
  if (over) throw new GeoJsonError(`${what}: line ${over.line}: ${over.message}`);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new GeoJsonError(`${what}: not valid JSON (${(e as Error).message})`);
  }
}

/** The features of a FeatureCollection, a single Feature, or a bare geometry. */
function features(doc: Json, what: string): { feature: Record<string, Json>; path: string }[] {
  if (!isObject(doc)) throw new GeoJsonError(`${what}: expected a GeoJSON object (FeatureCollection or Feature), got ${Array.isArray(doc) ? "an array" : typeof doc}`);
  if (doc.type === "FeatureCollection") {
    if (!Array.isArray(doc.features)) throw new GeoJsonError(`${what}: features must be an array`);
    if (doc.features.length === 0) throw new GeoJsonError(`${what}: the FeatureCollection has no features`);
    if (doc.features.length > MAX_UPLOAD_FEATURES) throw new GeoJsonError(`${what}: ${doc.features.length} features; at most ${MAX_UPLOAD_FEATURES} are accepted`);
    return doc.features.map((f, i) => {
      const path = `features[${i}]`;
      if (!isObject(f) || f.type !== "Feature") throw new GeoJsonError(`${path}: expected a Feature object`);
      return { feature: f, path };
    });
  }
  if (doc.type === "Feature") return [{ feature: doc, path: "feature" }];
  if (typeof doc.type === "string" && "coordinates" in doc) return [{ feature: { type: "Feature", geometry: doc, properties: {} }, path: "geometry" }];
  throw new GeoJsonError(`${what}: type must be "FeatureCollection" or "Feature", got ${shown(doc.type)}`);
}

function position(v: Json, path: string): LonLat {
  if (!Array.isArray(v) || v.length < 2) throw new GeoJsonError(`${path}: expected a position [longitude, latitude]`);
  const [lon, lat] = v;
  if (typeof lon !== "number" || !Number.isFinite(lon)) throw new GeoJsonError(`${path}: longitude must be a finite number, got ${shown(lon)}`);
  if (typeof lat !== "number" || !Number.isFinite(lat)) throw new GeoJsonError(`${path}: latitude must be a finite number, got ${shown(lat)}`);
  if (lon < -180 || lon > 180) throw new GeoJsonError(`${path}: longitude ${lon} is outside [-180, 180]`);
  if (lat < -90 || lat > 90) throw new GeoJsonError(`${path}: latitude ${lat} is outside [-90, 90] (are longitude and latitude swapped, or is the file not in WGS84?)`);
  return [lon, lat];
}

function ring(v: Json, path: string, count: PositionCount): LonLat[] {
  if (!Array.isArray(v)) throw new GeoJsonError(`${path}: expected a linear ring (array of positions)`);
  count.add(v.length, path);
  const pts = v.map((p, i) => position(p, `${path}[${i}]`));
  const distinct = new Set(pts.map((p) => `${p[0]},${p[1]}`));
  if (distinct.size < 3) throw new GeoJsonError(`${path}: a polygon ring needs at least 3 distinct positions, got ${distinct.size}`);
  const [a, b] = [pts[0], pts[pts.length - 1]];
  if (a[0] !== b[0] || a[1] !== b[1]) pts.push(a);
  return pts;
}

/** Area-weighted centroid of a lon/lat ring (local equirectangular frame about its first vertex). */
function ringCentroid(r: LonLat[]): { lonLat: LonLat; areaM2: number } {
  const [lon0, lat0] = r[0];
  const k = Math.cos((lat0 * Math.PI) / 180);
  const local: XY[] = r.map(([lon, lat]) => [(lon - lon0) * 111320 * k, (lat - lat0) * 110574]);
  const { area, centroid } = polygonAreaCentroid(local);
  return { lonLat: [round7(lon0 + centroid[0] / (111320 * k)), round7(lat0 + centroid[1] / 110574)], areaM2: area };
}

function optionalNumber(props: Record<string, Json>, keys: string[], path: string, check: (v: number) => string | null): number | undefined {
  for (const key of keys) {
    if (!(key in props) || props[key] === null || props[key] === "") continue;
    const raw = props[key];
    const v = typeof raw === "number" ? raw : typeof raw === "string" && raw.trim() !== "" ? Number(raw) : NaN;
    if (!Number.isFinite(v)) throw new GeoJsonError(`${path}.properties.${key}: expected a number, got ${shown(raw)}`);
    const problem = check(v);
    if (problem) throw new GeoJsonError(`${path}.properties.${key}: ${problem}, got ${v}`);
    return v;
  }
  return undefined;
}

function buildingType(props: Record<string, Json>, path: string): BuildingType | undefined {
  for (const key of ["type", "building_type", "building"]) {
    const raw = props[key];
    if (raw === undefined || raw === null || raw === "") continue;
    if (typeof raw !== "string") throw new GeoJsonError(`${path}.properties.${key}: expected a building type name, got ${shown(raw)}`);
    const v = raw.trim().toLowerCase();
    if (v === "yes") return undefined;
    if ((BUILDING_TYPES as readonly string[]).includes(v)) return v as BuildingType;
    if (v in OSM_BUILDING) return OSM_BUILDING[v];
    throw new GeoJsonError(
      `${path}.properties.${key}: unknown building type '${raw.slice(0, 80)}' (use one of ${BUILDING_TYPES.join(", ")}, an OpenStreetMap value such as house, apartments, terrace, retail, or leave it out; remove garages and sheds, which have no connection)`,
    );
  }
  return undefined;
}

/**
 * Buildings from GeoJSON: Point features (the connection point) or Polygon /
 * MultiPolygon footprints (connected at the centroid of the largest polygon).
 * Optional properties: `id`, `name`, a type (`type`, `building_type` or OSM
 * `building`), the appliance peak demand in kW (`demand_kw`, `demandKw`, `peak_kw`
 * or `demand`) and `households` (or OSM `building:flats`).
 */
export function parseBuildingsGeoJson(text: string): BuildingInput[] {
  const doc = parseJson(text, "buildings GeoJSON");
  const count = new PositionCount();
  return features(doc, "buildings GeoJSON").map(({ feature, path }) => {
    const geom = feature.geometry;
    if (!isObject(geom)) throw new GeoJsonError(`${path}.geometry: a building needs a Point or Polygon geometry, got ${geom === null ? "null" : typeof geom}`);
    const props = isObject(feature.properties) ? feature.properties : {};
    const out: BuildingInput = { lon: 0, lat: 0 };
    if (geom.type === "Point") {
      [out.lon, out.lat] = position(geom.coordinates, `${path}.geometry.coordinates`);
    } else if (geom.type === "Polygon" || geom.type === "MultiPolygon") {
      const polys = geom.type === "Polygon" ? [geom.coordinates] : geom.coordinates;
      if (!Array.isArray(polys) || polys.length === 0) throw new GeoJsonError(`${path}.geometry.coordinates: expected ${geom.type === "Polygon" ? "an array of rings" : "an array of polygons"}`);
      let best: { outer: LonLat[]; c: LonLat; area: number } | null = null;
      polys.forEach((poly: Json, pi: number) => {
        const p = geom.type === "Polygon" ? `${path}.geometry.coordinates` : `${path}.geometry.coordinates[${pi}]`;
        if (!Array.isArray(poly) || poly.length === 0) throw new GeoJsonError(`${p}: expected an array of rings (outer ring first)`);
        const outer = ring(poly[0], `${p}[0]`, count);
        poly.slice(1).forEach((hole: Json, hi: number) => ring(hole, `${p}[${hi + 1}]`, count));
        const { lonLat, areaM2 } = ringCentroid(outer);
        if (!best || areaM2 > best.area) best = { outer, c: lonLat, area: areaM2 };
      });
      const b = best!;
      [out.lon, out.lat] = b.c;
      out.footprint = b.outer;
    } else {
      throw new GeoJsonError(`${path}.geometry.type: buildings must be Point, Polygon or MultiPolygon, got ${shown(geom.type)}`);
    }
    const id = props.id ?? feature.id ?? props["@id"];
    if (id !== undefined && id !== null) {
      if (typeof id !== "string" && typeof id !== "number") throw new GeoJsonError(`${path}.properties.id: expected a string or number, got ${shown(id)}`);
      out.id = String(id);
    }
    if (typeof props.name === "string" && props.name.trim()) out.name = props.name.trim();
    const type = buildingType(props, path);
    if (type) out.type = type;
    const demand = optionalNumber(props, ["demand_kw", "demandKw", "peak_kw", "demand"], path, (v) =>
      v < 0 ? "demand must not be negative" : v > 5000 ? "a building's demand above 5 MW belongs on the medium-voltage grid" : null,
    );
    if (demand !== undefined) out.demandKw = demand;
    const hh = optionalNumber(props, ["households", "building:flats", "flats"], path, (v) => (!Number.isInteger(v) || v < 1 || v > 1000 ? "households must be an integer from 1 to 1000" : null));
    if (hh !== undefined) out.households = hh;
    return out;
  });
}

/**
 * Streets from GeoJSON: LineString or MultiLineString features (each part a street
 * piece). Optional properties: `id`, `name`, and the kind (`kind` or OSM `highway`).
 */
export function parseStreetsGeoJson(text: string): StreetInput[] {
  const doc = parseJson(text, "streets GeoJSON");
  const count = new PositionCount();
  const out: StreetInput[] = [];
  for (const { feature, path } of features(doc, "streets GeoJSON")) {
    const geom = feature.geometry;
    if (!isObject(geom)) throw new GeoJsonError(`${path}.geometry: a street needs a LineString geometry, got ${geom === null ? "null" : typeof geom}`);
    const props = isObject(feature.properties) ? feature.properties : {};
    const parts = geom.type === "LineString" ? [geom.coordinates] : geom.type === "MultiLineString" ? geom.coordinates : null;
    if (parts === null) throw new GeoJsonError(`${path}.geometry.type: streets must be LineString or MultiLineString, got ${shown(geom.type)}`);
    if (!Array.isArray(parts)) throw new GeoJsonError(`${path}.geometry.coordinates: expected an array`);
    const idRaw = props.id ?? feature.id ?? props["@id"];
    const name = typeof props.name === "string" ? props.name : undefined;
    const kindRaw = props.kind ?? props.highway;
    parts.forEach((line: Json, k: number) => {
      const p = geom.type === "LineString" ? `${path}.geometry.coordinates` : `${path}.geometry.coordinates[${k}]`;
      if (!Array.isArray(line)) throw new GeoJsonError(`${p}: expected an array of positions`);
      count.add(line.length, p);
      const coords = line.map((q, i) => position(q, `${p}[${i}]`));
      if (coords.length < 2) throw new GeoJsonError(`${p}: a street needs at least 2 positions, got ${coords.length}`);
      const street: StreetInput = { coordinates: coords };
      if (idRaw !== undefined && idRaw !== null) street.id = parts.length > 1 ? `${idRaw}-${k + 1}` : String(idRaw);
      if (name) street.name = name;
      if (typeof kindRaw === "string") street.kind = kindRaw;
      out.push(street);
    });
  }
  return out;
}

/**
 * The district's buildings and streets as GeoJSON FeatureCollections, in the form
 * `parseBuildingsGeoJson` / `parseStreetsGeoJson` read (a template for uploads).
 */
export function districtToGeoJson(d: {
  buildings: { id: string; type: BuildingType; lon: number; lat: number; footprint: LonLat[] | null; households: number; name?: string }[];
  streets: { id: string; name: string; kind: string; coordinates: LonLat[] }[];
}) {
  return {
    buildings: {
      type: "FeatureCollection" as const,
      features: d.buildings.map((b) => ({
        type: "Feature" as const,
        geometry: b.footprint ? { type: "Polygon" as const, coordinates: [b.footprint] } : { type: "Point" as const, coordinates: [b.lon, b.lat] },
        properties: { id: b.id, type: b.type, households: b.households, ...(b.name ? { name: b.name } : {}) },
      })),
    },
    streets: {
      type: "FeatureCollection" as const,
      features: d.streets.map((s) => ({
        type: "Feature" as const,
        geometry: { type: "LineString" as const, coordinates: s.coordinates },
        properties: { id: s.id, name: s.name, kind: s.kind },
      })),
    },
  };
}
