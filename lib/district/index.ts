/**
 * Generated districts and grids built from buildings (issue 4): the platform's
 * default DSO grid and the grid behind a buildings upload.
 */
export { DEFAULT_DISTRICT_SEED, DEFAULT_DISTRICT_BUILDINGS, MAX_GENERATED_BUILDINGS, generateDistrict } from "./generate";
export { buildGridFromBuildings } from "./build";
export { DistrictInputError } from "./types";
export type { District, StreetInput } from "./types";
export { LINE_TYPES, TRANSFORMER_TYPES } from "./standard-types";
export { parseBuildingsGeoJson, parseStreetsGeoJson, districtToGeoJson, GeoJsonError } from "./geojson";
export {
  analyzeFlexibilityExtremes,
  withAllUpwardFlexibility,
} from "./analysis";
