import { describe, expect, it } from "vitest";
import { generateDistrict } from "../district";
import { fuzzImporter, JSON_PUNCTUATION } from "../testing/fuzz";
import { computeSensitivities } from "./compute";
import { buildLightModel, LightModelError, parseLightModelText } from "./light-model";
import { flexLocations, presetOperatingPoints } from "./locations";

const TOKENS = [
  '{"schema":"flexplat-light-model"',
  '"version":1',
  '"operatingPoints":[',
  '"vtdf":',
  '{"rows":2,"cols":2,"encoding":"f64-base64","data":"AAAA"}',
  ...JSON_PUNCTUATION,
  "1e308",
  "null",
  '"L-1"',
];

function seeds(): string[] {
  const net = generateDistrict({ seed: 6, buildings: 10 }).network;
  const locs = flexLocations(net);
  const model = computeSensitivities(net, locs, presetOperatingPoints(locs, ["none", "all"]), { reactive: true });
  return [JSON.stringify(buildLightModel(model, { salt: "fuzz", createdAt: new Date(0) }).lightModel, null, 1)];
}

fuzzImporter(
  { name: "light model JSON (parseLightModelText)", parse: (t) => parseLightModelText(t), isTyped: (e) => e instanceof LightModelError },
  { corpus: "light-model", seeds, tokens: TOKENS, mutatedRuns: 800, randomRuns: 500 },
  { describe, it, expect },
);
