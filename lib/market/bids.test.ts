import { describe, expect, it } from "vitest";
import { expectBidFormatError } from "./bids.fixtures";
import { parseMatpowerCase } from "../grid/matpower";
import { readSharedCase } from "../testing/shared";
import { parseBidsCsv, parseBidsFile, parseBidsJson, writeBidsCsv, writeBidsJson, type Bid } from "./bids";
import { defaultBids } from "./default-bids";

const known = new Set(["L-1", "L-2"]);
const CSV = `id,owner,location,volumeMW,priceEURperMWh,minActivationMW,indivisible,qPerP
b1,agg-a,L-1,0.5,80,,,
b2,agg-a,L-2,-0.25,12.5,0.1,,0.2
"b,3",agg-b,L-1,1,99,,true,
`;

describe("bid files", () => {
  it("reads CSV (quoted fields, optional columns) and round-trips CSV and JSON", () => {
    const bids = parseBidsCsv(CSV, known);
    expect(bids).toEqual([
      { id: "b1", owner: "agg-a", location: "L-1", volumeMw: 0.5, priceEurPerMwh: 80 },
      { id: "b2", owner: "agg-a", location: "L-2", volumeMw: -0.25, priceEurPerMwh: 12.5, minActivationMw: 0.1, qPerP: 0.2 },
      { id: "b,3", owner: "agg-b", location: "L-1", volumeMw: 1, priceEurPerMwh: 99, indivisible: true },
    ]);
    expect(parseBidsCsv(writeBidsCsv(bids), known)).toEqual(bids);
    expect(parseBidsJson(writeBidsJson(bids), known)).toEqual(bids);
    expect(parseBidsFile("x.json", JSON.stringify(bids), known)).toEqual(bids);
  });

  const header = "id,owner,location,volumeMW,priceEURperMWh";
  const cases: [string, () => unknown, RegExp][] = [
    ["unknown location", () => parseBidsCsv(`${header}\nb1,a,L-9,1,50\n`, known), /line 2 \(b1\): unknown location 'L-9'/],
    ["missing price", () => parseBidsCsv(`${header}\nb1,a,L-1,1,\n`, known), /line 2: missing priceEURperMWh/],
    ["non-numeric volume", () => parseBidsCsv(`${header}\nb1,a,L-1,lots,50\n`, known), /line 2: volumeMW 'lots' is not a number/],
    ["duplicate id", () => parseBidsCsv(`${header}\nb1,a,L-1,1,50\nb1,a,L-2,1,50\n`, known), /line 3 \(b1\): duplicate bid id 'b1' \(also bids\.csv line 2\)/],
    ["zero volume", () => parseBidsCsv(`${header}\nb1,a,L-1,0,50\n`, known), /volume is zero/],
    ["minimum above volume", () => parseBidsCsv(`${header},minActivationMW\nb1,a,L-1,1,50,2\n`, known), /minimum activation 2 MW exceeds the volume 1 MW/],
    ["missing column", () => parseBidsCsv(`id,owner,location,volumeMW\nb1,a,L-1,1\n`, known), /missing column 'priceEURperMWh'/],
    ["unknown column", () => parseBidsCsv(`${header},colour\nb1,a,L-1,1,50,red\n`, known), /unknown column 'colour'/],
    ["wrong field count", () => parseBidsCsv(`${header}\nb1,a,L-1,1\n`, known), /line 2: 4 fields, the header has 5/],
    ["bad indivisible", () => parseBidsCsv(`${header},indivisible\nb1,a,L-1,1,50,maybe\n`, known), /indivisible 'maybe' must be true or false/],
    ["empty file", () => parseBidsCsv("\n\n", known), /the file is empty/],
    ["JSON missing price", () => parseBidsJson(JSON.stringify([{ id: "b", owner: "a", location: "L-1", volumeMw: 1 }]), known), /\[0\]\.priceEurPerMwh/],
    ["JSON string volume", () => parseBidsJson(JSON.stringify([{ id: "b", owner: "a", location: "L-1", volumeMw: "1", priceEurPerMwh: 3 }]), known), /volumeMw must be a number/],
    ["JSON extra field", () => parseBidsJson(JSON.stringify({ bids: [{ id: "b", owner: "a", location: "L-1", volumeMw: 1, priceEurPerMwh: 3, colour: 1 }] }), known), /colour/],
    ["broken JSON", () => parseBidsJson("{bids:", known), /not valid JSON/],
  ];
  for (const [what, f, pattern] of cases) it(`rejects: ${what}`, () => expectBidFormatError(f, pattern));
});

describe("default bids", () => {
  it("a MATPOWER feeder gets one demand-response bid per load bus at its location", () => {
    const net = parseMatpowerCase(readSharedCase("case33bw"));
    const bids = defaultBids(net, (bus) => `loc-${bus}`);
    expect(bids).toHaveLength(32);
    const b18 = bids.find((b) => b.location === "loc-18")!;
    expect(b18.volumeMw).toBeCloseTo(0.09, 12);
    expect(b18.qPerP).toBeCloseTo(0.04 / 0.09, 12);
    expect(new Set(bids.map((b) => b.owner)).size).toBe(4);
    // Deterministic.
    expect(defaultBids(net, (bus) => `loc-${bus}`)).toEqual(bids);
  });

  it("units bid by kind with owner-specific prices and minimum runs for non-residential units", () => {
    const net = parseMatpowerCase(readSharedCase("case9"));
    net.loads = [
      { id: "ld1", bus: 5, pMw: 0.02, qMvar: 0, kind: "school", buildingId: "s1" },
      { id: "ld2", bus: 7, pMw: 0.01, qMvar: 0, kind: "single_house", buildingId: "h1" },
    ];
    net.fpus = [
      { id: "hp-s1", bus: 5, kind: "heat_pump", pMw: -0.01, pMinMw: -0.01, pMaxMw: 0, qMvar: 0, reactive: { type: "box", qMinMvar: 0, qMaxMvar: 0 }, buildingId: "s1" },
      { id: "ev-h1", bus: 7, kind: "ev", pMw: -0.011, pMinMw: -0.011, pMaxMw: 0, qMvar: -0.0022, reactive: { type: "box", qMinMvar: 0, qMaxMvar: 0 }, buildingId: "h1" },
      { id: "pv-h1", bus: 7, kind: "pv", pMw: 0.008, pMinMw: 0, pMaxMw: 0.008, qMvar: 0, reactive: { type: "box", qMinMvar: -0.003, qMaxMvar: 0.003 }, buildingId: "h1" },
    ];
    const bids: Bid[] = defaultBids(net, (bus) => `loc-${bus}`);
    expect(bids.map((b) => b.id).sort()).toEqual(["ev-h1-up", "hp-s1-up", "pv-h1-down"]);
    const hp = bids.find((b) => b.id === "hp-s1-up")!;
    expect(hp).toMatchObject({ owner: "agg-heatflex", volumeMw: 0.01, minActivationMw: 0.005, assetId: "hp-s1" });
    const ev = bids.find((b) => b.id === "ev-h1-up")!;
    expect(ev.owner).toBe("agg-evfleet");
    expect(ev.qPerP).toBeCloseTo(0.2, 12);
    expect(ev.priceEurPerMwh).toBeLessThan(hp.priceEurPerMwh);
    const pv = bids.find((b) => b.id === "pv-h1-down")!;
    expect(pv.volumeMw).toBeCloseTo(-0.008, 12);
    expect(pv.priceEurPerMwh).toBeLessThan(5);
  });
});

describe("CSV round trip of bids", () => {
  const tricky: Bid[] = [
    { id: "b,1", owner: 'agg "north"', location: "L-1", volumeMw: 0.5, priceEurPerMwh: 80, assetId: "line one\nline two" },
    { id: "=b2", owner: "agg-a", location: "L-2", volumeMw: -0.25, priceEurPerMwh: -12.5, minActivationMw: 0.1, indivisible: true, qPerP: 0.2 },
  ];
  const known = new Set(["L-1", "L-2"]);

  it("reads back commas, double quotes, a newline inside a cell and a formula-looking id", () => {
    const csv = writeBidsCsv(tricky);
    expect(csv).toContain('"line one\nline two"');
    expect(parseBidsCsv(csv, known)).toEqual(tricky);
  });

  it("reads back with a byte-order mark and CRLF line ends", () => {
    const csv = `\uFEFF${writeBidsCsv(tricky).replace(/\n/g, "\r\n")}`;
    expect(parseBidsCsv(csv, known)).toEqual(tricky);
  });

  it("counts the lines of a quoted multi-line cell in later error messages", () => {
    const csv = `id,owner,location,volumeMW,priceEURperMWh,assetId\r\nb1,a,L-1,1,50,"two\r\nlines"\r\n# note\r\n\r\nb2,a,L-9,1,50,x\r\n`;
    expectBidFormatError(() => parseBidsCsv(csv, known), /^bids\.csv line 6 \(b2\): unknown location 'L-9'/);
    expectBidFormatError(() => parseBidsCsv(`id,owner,location,volumeMW,priceEURperMWh\nb1,a,"L-1\n\n",1\n`, known), /^bids\.csv line 2: 4 fields, the header has 5$/);
  });

  it("names the line of a quoted cell that is never closed", () => {
    expectBidFormatError(() => parseBidsCsv(`id,owner,location,volumeMW,priceEURperMWh\nb1,a,L-1,1,50\nb2,"a,L-1,1,50\nb3,a,L-1,1,50\n`, known), /^bids\.csv line 3: a quoted cell is not closed$/);
  });
});
