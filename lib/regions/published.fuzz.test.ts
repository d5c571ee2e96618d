import { describe, expect, it } from "vitest";
import { fuzzImporter } from "../testing/fuzz";
import { parsePublishedRegionText, publishPqRegion, RegionFormatError } from "./published";

const TOKENS = ['{"schema":"flexplat-pq-region"', '"version":1', '"polygon":[', "[0.1,0.2]", '"method":"lds"', "[", "]", "{", "}", ",", ":", "1e400", "null", '"R-abcdefgh"'];

function seeds(): string[] {
  const pcc = { pMinMw: -2, pMaxMw: 3, qMinMvar: -1, qMaxMvar: 1, vmPu: 1 };
  const polygon: [number, number][] = [
    [-2, -1],
    [3, -1],
    [3, 1],
    [0, 1.2],
    [-2, 1],
  ];
  const lds = publishPqRegion(pcc, "lds", polygon, 11.2, {
    halfSpaces: [{ a: 1, b: 0.2, c: 3, label: "x" } as never],
    costModel: {
      basis: "lossless-balance",
      exponents: [
        [1, 0],
        [0, 1],
      ],
      coefficients: [40, 2],
      r2: null,
    },
  });
  const exact = publishPqRegion(pcc, "exact", polygon, 11.2);
  return [JSON.stringify(lds, null, 1), JSON.stringify(exact)];
}

fuzzImporter(
  { name: "published region JSON (parsePublishedRegionText)", parse: (t) => parsePublishedRegionText(t), isTyped: (e) => e instanceof RegionFormatError },
  { corpus: "region", seeds, tokens: TOKENS, mutatedRuns: 1000, randomRuns: 500 },
  { describe, it, expect },
);
