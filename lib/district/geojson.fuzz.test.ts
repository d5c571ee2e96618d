import { describe, expect, it } from "vitest";
import { fuzzImporter, JSON_PUNCTUATION } from "../testing/fuzz";
import { districtToGeoJson, generateDistrict, parseBuildingsGeoJson, parseStreetsGeoJson } from ".";
import { DistrictInputError } from "./types";

const TOKENS = [
  '{"type":"FeatureCollection"',
  '"features":[',
  '{"type":"Feature"',
  '"geometry":',
  '{"type":"Polygon"',
  '"coordinates":',
  "[7.1,50.2]",
  ...JSON_PUNCTUATION,
  "1e400",
  "-181",
  '"properties":{}',
  '"households":3',
  "null",
];
const seeds = () => {
  const geo = districtToGeoJson(generateDistrict({ seed: 4, buildings: 15 }));
  return [JSON.stringify(geo.buildings, null, 1), JSON.stringify(geo.streets, null, 1)];
};
const isTyped = (e: unknown) => e instanceof DistrictInputError;

fuzzImporter(
  { name: "GeoJSON buildings (parseBuildingsGeoJson)", parse: (t) => parseBuildingsGeoJson(t), isTyped },
  { corpus: "geojson-buildings", seeds, tokens: TOKENS, mutatedRuns: 800, randomRuns: 500 },
  { describe, it, expect },
);
fuzzImporter(
  { name: "GeoJSON streets (parseStreetsGeoJson)", parse: (t) => parseStreetsGeoJson(t), isTyped },
  { corpus: "geojson-streets", seeds, tokens: TOKENS, mutatedRuns: 800, randomRuns: 500 },
  { describe, it, expect },
);
