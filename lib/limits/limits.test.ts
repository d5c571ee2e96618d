import { describe, expect, it } from "vitest";
import { syntheticFeederJson } from "../../e2e/synthetic-feeder";
import { districtToGeoJson, generateDistrict, GeoJsonError, parseBuildingsGeoJson, parseStreetsGeoJson } from "../district";
import { GridLimitError, parseMatpowerCase, parseNetworkJson, writeNetworkJson } from "../grid";
import { BidFormatError, parseAggregatedBidsCsv, parseAggregatedBidsJson, parseBidsCsv } from "../market";
import { parsePublishedRegionText, RegionFormatError } from "../regions/published";
import { LightModelError, parseLightModel, parseLightModelText } from "../sensitivity/light-model";
import { readSharedCase, sharedCaseNames } from "../testing/shared";
import { lightModelHeader } from "../testing/light-model";
import { BID_LIMITS, GEOJSON_LIMITS, GRID_JSON_LIMITS, MATPOWER_LIMITS } from ".";
import { scanJsonText } from "./json-scan";

/** The error `f` throws, with the time it took (ms). */
function failure(f: () => unknown): { error: Error; ms: number } {
  const t0 = performance.now();
  try {
    f();
  } catch (e) {
    return { error: e as Error, ms: performance.now() - t0 };
  }
  throw new Error("expected the input to be refused");
}

const deep = (open: string, close: string, n: number, inner = "1") => open.repeat(n) + inner + close.repeat(n);
const fn = (body: string) => `function mpc = hostile\n${body}\n`;

/** The hostile inputs of issue 14, each with what its message must name. */
const HOSTILE_MATPOWER: { name: string; text: string; message: RegExp }[] = [
  { name: "ones(3e4,3e4)", text: fn("x = ones(3e4,3e4);"), message: /^line 2: a 30,000x30,000 matrix has 900,000,000 elements; the limit is 5,000,000 per matrix$/ },
  { name: "zeros(1e5,1e5)", text: fn("x = zeros(1e5,1e5);"), message: /^line 2: .*10,000,000,000 elements; the limit is 5,000,000 per matrix$/ },
  { name: "parentheses 20,000 deep", text: fn(`x = ${deep("(", ")", 20_000)};`), message: /^line 2: expression nested more than 100 deep .*the limit is 100$/ },
  { name: "brackets 20,000 deep", text: fn(`x = ${deep("[", "]", 20_000)};`), message: /^line 2: expression nested more than 100 deep/ },
  { name: "braces 20,000 deep", text: fn(`x = ${deep("{", "}", 20_000)};`), message: /^line 2: expression nested more than 100 deep/ },
  { name: "call arguments 20,000 deep", text: fn(`x = ${deep("abs(", ")", 20_000)};`), message: /^line 2: expression nested more than 100 deep/ },
  { name: "200,000 unary minus", text: fn(`x = ${"-".repeat(200_000)}1;`), message: /^line 2: expression nested more than 100 deep/ },
  { name: "a sum of 200,000 terms", text: fn(`x = ${"1+".repeat(200_000)}1;`), message: /^line 2: expression more than 500 levels deep \(the limit\)$/ },
  { name: "a field chain of 200,000", text: fn(`x${".a".repeat(200_000)} = 1;`), message: /^line 2: an assignment target of more than 100 fields/ },
  { name: "x(1e9) = 1", text: fn("x(1e9) = 1;"), message: /^line 2: a 1x1,000,000,000 matrix .*the limit is 5,000,000 per matrix$/ },
  { name: "1:1e12", text: fn("x = 1:1e12;"), message: /^line 2: a 1x1,000,000,000,000 matrix/ },
  { name: "1:Inf", text: fn("x = 1:Inf;"), message: /^line 2: the range 1:1:Infinity has no end$/ },
  { name: "a 2000x2000 product", text: fn("x = ones(2000,2000);\ny = x*x;"), message: /^line 3: the file needs more than 50,000,000 element operations to evaluate \(the limit\)$/ },
  {
    name: "repeated 4-million-element sums",
    text: fn(`x = ones(2000,2000);\n${"x = x + 1;\n".repeat(100)}`),
    message: /^line \d+: the file allocates more than 20,000,000 matrix elements in total \(the limit\)$/,
  },
  { name: "repeated whole-matrix assignment", text: fn(`x = ones(2000,2000);\n${"x(:,:) = 2;\n".repeat(100)}`), message: /^line \d+: the file needs more than 50,000,000 element operations/ },
  { name: "repmat(1, 1e5, 1e5)", text: fn("x = repmat(1, 1e5, 1e5);"), message: /^line 2: .*the limit is 5,000,000 per matrix$/ },
  { name: "a 10,000-character string", text: fn(`x = '${"a".repeat(10_000)}';`), message: /^line 2: a string of more than 4,096 characters; the limit is 4,096$/ },
  { name: "a 300-character name", text: fn(`${"a".repeat(300)} = 1;`), message: /^line 2: a name of more than 256 characters; the limit is 256$/ },
  { name: "a 6-million-element literal", text: fn(`x = [${"0 ".repeat(6_000_000)}];`), message: /^line 2: a matrix literal of more than 5,000,000 elements/ },
  { name: "a 21 MB file", text: fn(`%${"x".repeat(21 * 1024 * 1024)}`), message: /^the file is 21 MB; the limit is 20 MB$/ },
  { name: "size()", text: fn("x = size();"), message: /^line 2: size takes 1 to 2 arguments, got 0$/ },
];

describe("MATPOWER evaluator limits", () => {
  for (const h of HOSTILE_MATPOWER) {
    it(`refuses ${h.name} with the line and the limit, before allocating`, () => {
      const rss0 = process.memoryUsage().rss;
      const { error, ms } = failure(() => parseMatpowerCase(h.text));
      const grewMb = (process.memoryUsage().rss - rss0) / 2 ** 20;
      console.log(`matpower hostile ${h.name}: ${ms.toFixed(0)} ms, rss +${grewMb.toFixed(0)} MB: ${error.message.slice(0, 120)}`);
      expect(error.name).toMatch(/^Grid(Format|Limit)Error$/);
      expect(error.message).toMatch(h.message);
    });
  }

  it("reads every shared MATPOWER case, case1354pegase included", () => {
    const names = sharedCaseNames();
    expect(names).toContain("case1354pegase");
    for (const name of names) expect(parseMatpowerCase(readSharedCase(name)).buses.length).toBeGreaterThan(0);
  });

  it("allows a case of 70,000 buses and 90,000 branches with unit conversions", () => {
    const nb = 70_000;
    const bus = Array.from({ length: nb }, (_, i) => `${i + 1} ${i ? 1 : 3} 1 0.5 0 0 1 1 0 20 1 1.1 0.9;`).join("\n");
    const br = Array.from({ length: 90_000 }, (_, i) => `${(i % (nb - 1)) + 1} ${(i % (nb - 1)) + 2} 0.01 0.02 0 0 0 0 0 0 1 -360 360;`).join("\n");
    const text = `function mpc = big\nmpc.baseMVA = 100;\nmpc.bus = [\n${bus}\n];\nmpc.gen = [1 0 0 100 -100 1 100 1 1000 0];\nmpc.branch = [\n${br}\n];\nmpc.bus(:, [3 4]) = mpc.bus(:, [3 4]) / 1e3;\nmpc.branch(:, [3 4]) = mpc.branch(:, [3 4]) / (20^2 / 100);\n`;
    expect(text.length).toBeLessThan(MATPOWER_LIMITS.fileBytes);
    const net = parseMatpowerCase(text);
    expect(net.buses).toHaveLength(nb);
    expect(net.branches).toHaveLength(90_000);
  });
});

describe("JSON importer limits", () => {
  it("scanJsonText names the line and the limit of depth, array entries and strings", () => {
    expect(scanJsonText('{"a":\n[[[1]]]}', { fileBytes: 100, nestingDepth: 3 })).toEqual({ line: 2, message: "arrays and objects nested more than 3 deep" });
    expect(scanJsonText("[1,2,\n3]", { fileBytes: 100, nestingDepth: 3, arrayLength: 2 })).toEqual({ line: 1, message: "an array of more than 2 entries" });
    expect(scanJsonText('["ab\\"c"]', { fileBytes: 100, nestingDepth: 3, stringLength: 4 })?.message).toBe("a string of 5 characters; the limit is 4");
    expect(scanJsonText('["[[[", {"k": "]]]"}]', { fileBytes: 100, nestingDepth: 2 })).toBeNull();
    expect(scanJsonText("é".repeat(40), { fileBytes: 60, nestingDepth: 2 })?.message).toBe("the file is 80 bytes; the limit is 60 bytes");
  });

  it("project network JSON: deep nesting, long arrays and strings are refused by the limit; the 60,000-bus feeder passes", () => {
    const deepMeta = `{"format":"flexplat-network","version":1,"name":"x","baseMVA":1,"meta":{"a":${deep("[", "]", 100_000)}}}`;
    const e = failure(() => parseNetworkJson(deepMeta)).error;
    expect(e).toBeInstanceOf(GridLimitError);
    expect(e.message).toBe(`line 1: arrays and objects nested more than ${GRID_JSON_LIMITS.nestingDepth} deep`);
    const longName = `{"format":"flexplat-network","version":1,"name":"${"n".repeat(5000)}"}`;
    expect(failure(() => parseNetworkJson(longName)).error.message).toMatch(/a string of 5,000 characters; the limit is 4,096/);
    const feeder = syntheticFeederJson(60_000);
    expect(parseNetworkJson(feeder).buses).toHaveLength(60_000);
  });

  it("GeoJSON: the 5,000-building district (and its network as project JSON) passes; nesting, features and positions are bounded", () => {
    const district = generateDistrict({ seed: 3, buildings: 5000 });
    expect(parseNetworkJson(writeNetworkJson(district.network)).buses).toHaveLength(district.network.buses.length);
    const geo = districtToGeoJson(district);
    expect(parseBuildingsGeoJson(JSON.stringify(geo.buildings))).toHaveLength(5000);
    expect(parseStreetsGeoJson(JSON.stringify(geo.streets)).length).toBeGreaterThan(0);
    const deepDoc = `{"type":"FeatureCollection","features":${deep("[", "]", 50_000)}}`;
    const e = failure(() => parseBuildingsGeoJson(deepDoc)).error;
    expect(e).toBeInstanceOf(GeoJsonError);
    expect(e.message).toBe(`buildings GeoJSON: line 1: arrays and objects nested more than ${GEOJSON_LIMITS.nestingDepth} deep`);
    const many = {
      type: "FeatureCollection",
      features: Array.from({ length: GEOJSON_LIMITS.features + 1 }, () => ({ type: "Feature", geometry: { type: "Point", coordinates: [7, 50] }, properties: {} })),
    };
    expect(failure(() => parseBuildingsGeoJson(JSON.stringify(many))).error.message).toMatch(/20001 features; at most 20000/);
    const ring = Array.from({ length: 60_000 }, () => [7, 50]);
    const line = (n: number) => ({ type: "Feature", geometry: { type: "LineString", coordinates: ring }, properties: { id: n } });
    const heavy = { type: "FeatureCollection", features: Array.from({ length: 34 }, (_, n) => line(n)) };
    expect(failure(() => parseStreetsGeoJson(JSON.stringify(heavy))).error.message).toBe("features[33].geometry.coordinates: more than 2,000,000 positions in the file; the limit is 2,000,000");
  });

  it("bids and portfolios: rows, line length, fields and nesting are bounded, naming the line", () => {
    const header = "id,owner,location,volumeMW,priceEURperMWh\n";
    const rows = Array.from({ length: BID_LIMITS.rows + 1 }, (_, i) => `b${i},o,L,1,1`).join("\n");
    const e = failure(() => parseBidsCsv(header + rows)).error;
    expect(e).toBeInstanceOf(BidFormatError);
    expect(e.message).toBe(`bids.csv line ${BID_LIMITS.rows + 2}: more than 100,000 rows; the limit is 100,000`);
    expect(failure(() => parseBidsCsv(`${header}b,${"x".repeat(20_000)},L,1,1`)).error.message).toBe("bids.csv line 2: a line of 20,008 characters; the limit is 16,384");
    expect(failure(() => parseAggregatedBidsCsv(",".repeat(100))).error.message).toBe("portfolio.csv line 1: 101 fields; the limit is 64");
    expect(failure(() => parseAggregatedBidsJson(deep("[", "]", 30_000))).error.message).toBe("portfolio.json line 1: arrays and objects nested more than 16 deep");
    expect(failure(() => parseAggregatedBidsCsv("a".repeat(6 * 1024 * 1024))).error.message).toBe("portfolio.csv: the file is 6 MB; the limit is 5 MB");
  });

  it("light models and regions: nesting and matrix sizes are refused before decoding", () => {
    expect(failure(() => parseLightModelText(deep("[", "]", 30_000))).error.message).toBe("light model, line 1: arrays and objects nested more than 16 deep");
    const n = 4100;
    const ids = (p: string) => Array.from({ length: n }, (_, i) => `${p}${i}`);
    const huge = { rows: n, cols: n, encoding: "f64-base64", data: "" };
    const zeros = Array(n).fill(0);
    const lm = {
      ...lightModelHeader("lm-1", "2026-01-01T00:00:00.000Z"),
      locations: ids("L"),
      monitoredBuses: ids("V"),
      monitoredBranches: ids("B"),
      reactive: false,
      operatingPoints: [{ id: "op-0", label: "", pFlexMw: zeros, qFlexMvar: zeros, v: zeros, l: zeros, vtdf: huge, ltdf: huge }],
    };
    const e = failure(() => parseLightModel(lm)).error;
    expect(e).toBeInstanceOf(LightModelError);
    expect(e.message).toBe("light model.operatingPoints[0].vtdf: 16,810,000 elements; the limit is 16,000,000 per matrix");
    expect(failure(() => parsePublishedRegionText(deep('{"a":', "}", 30_000, "1"))).error).toBeInstanceOf(RegionFormatError);
  });
});
