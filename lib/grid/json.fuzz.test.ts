import { describe, expect, it } from "vitest";
import { generateDistrict } from "../district";
import { fuzzImporter } from "../testing/fuzz";
import { readSharedCase } from "../testing/shared";
import { GridFormatError } from "./errors";
import { parseNetworkJson, writeNetworkJson } from "./json";
import { parseMatpowerCase } from "./matpower";

const TOKENS = [
  '{"format":"flexplat-network"',
  '"version":1',
  '"buses":[',
  '"branches":[',
  '"id":1',
  '"type":"PQ"',
  '"baseKv":0.4',
  "{",
  "}",
  "[",
  "]",
  ",",
  ":",
  '"meta"',
  "1e999",
  "-1",
  "null",
  "true",
  '"Infinity"',
  '"__proto__"',
];

fuzzImporter(
  { name: "project network JSON (parseNetworkJson)", parse: (t) => parseNetworkJson(t), isTyped: (e) => e instanceof GridFormatError },
  {
    corpus: "grid-json",
    seeds: () => [writeNetworkJson(parseMatpowerCase(readSharedCase("case9")), 1), writeNetworkJson(generateDistrict({ seed: 2, buildings: 12 }).network, 1)],
    tokens: TOKENS,
    mutatedRuns: 1000,
    randomRuns: 1000,
  },
  { describe, it, expect },
);
