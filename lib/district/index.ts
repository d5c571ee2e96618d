/**
 * Generated districts and grids built from buildings (issue 4): the platform's
 * default DSO grid and the grid behind a buildings upload.
 */
export { DEFAULT_DISTRICT_SEED, DEFAULT_DISTRICT_BUILDINGS, DISTRICT_CENTRE, MAX_GENERATED_BUILDINGS, generateDistrict } from "./generate";
export { buildGridFromBuildings, DISTRICT_BASE_MVA, type BuildOptions } from "./build";
export { DistrictInputError } from "./types";
export type { Building, BuildingInput, District, DistrictGeography, Feeder, MvRing, Street, StreetInput, Substation } from "./types";
export { BUILDING_TYPES, BUILDING_TYPE_LABELS, SCENARIO, type BuildingType } from "./profiles";
export { LINE_TYPES, TRANSFORMER_TYPES } from "./standard-types";
export { parseBuildingsGeoJson, parseStreetsGeoJson, districtToGeoJson, GeoJsonError, MAX_UPLOAD_FEATURES } from "./geojson";
export {
  analyzeFlexibilityExtremes,
  offeredFlexibilityMw,
  summarizePowerFlow,
  withAllUpwardFlexibility,
  CONGESTION_PCT,
  type DistrictAnalysis,
  type PowerFlowSummary,
} from "./analysis";
