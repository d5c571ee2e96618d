import { beforeAll, describe, expect, it } from "vitest";
import { expectBidFormatError } from "./bids.fixtures";
import { clearMarket, prepareDso, type HighsLike } from "../clearing";
import { nodeHighs } from "../clearing/highs-node";
import { generateDistrict } from "../district";
import { encodeMatrix, type LightModel } from "../sensitivity/light-model";
import { lightModelHeader } from "../testing/light-model";
import { parseAggregatedBidsCsv, parseAggregatedBidsJson, writeAggregatedBidsCsv, writeAggregatedBidsJson, type AggregatedBid } from "./aggregated";
import { readCsvRows } from "../util/csv";
import { aggregatedResultsCsv, demoPortfolios, disaggregate, reaggregate, registryFromDso, type AggregatedResult, type GridAssetRegistry } from "./bcm";

let highs: HighsLike;
beforeAll(async () => {
  highs = await nodeHighs();
});

/** A grid with four units at two buses, mapped to opaque locations L-a, L-b; agg-x owns three, agg-y one. */
const registry: GridAssetRegistry = {
  gridId: "north",
  gridName: "Netz Nord",
  units: new Map([
    ["ev-1", { bus: 10, upMw: 0.011, downMw: 0, qPerP: 0.2, owner: "agg-x" }],
    ["hp-1", { bus: 10, upMw: 0.005, downMw: -0.002, qPerP: 0, owner: "agg-x" }],
    ["bat-2", { bus: 20, upMw: 0.01, downMw: -0.01, qPerP: 0, owner: "agg-x" }],
    ["pv-3", { bus: 20, upMw: 0.01, downMw: -0.01, qPerP: 0, owner: "agg-y" }],
  ]),
  locationOfBus: new Map([
    [10, "L-a"],
    [20, "L-b"],
  ]),
};

const portfolio: AggregatedBid[] = [
  {
    id: "pool-1",
    owner: "agg-x",
    direction: "up",
    volumeMw: 0.026,
    priceEurPerMwh: 70,
    minActivationMw: 0.015,
    assets: [
      { assetId: "ev-1", grid: "north", volumeMw: 0.011 },
      { assetId: "hp-1", grid: "north", volumeMw: 0.005 },
      { assetId: "bat-2", grid: "north", volumeMw: 0.01 },
    ],
  },
  { id: "single", owner: "agg-x", direction: "down", volumeMw: -0.01, priceEurPerMwh: 20, assets: [{ assetId: "bat-2", grid: "north" }] },
  { id: "shares", owner: "agg-y", direction: "up", volumeMw: 0.01, priceEurPerMwh: 90, assets: [{ assetId: "pv-3", grid: "north", location: "bus:20", share: 1 }] },
];

describe("aggregated bids", () => {
  it("round-trip through CSV (one row per asset) and JSON", () => {
    expect(parseAggregatedBidsCsv(writeAggregatedBidsCsv(portfolio))).toEqual(portfolio);
    expect(parseAggregatedBidsJson(writeAggregatedBidsJson(portfolio))).toEqual(portfolio);
  });

  const H = "bidId,owner,direction,totalMW,priceEURperMWh,assetId,grid,location,assetMW,share";
  const cases: [string, () => unknown, RegExp][] = [
    ["shares that do not add up", () => parseAggregatedBidsCsv(`${H}\np,a,up,1,50,u1,north,,,0.5\np,a,up,1,50,u2,north,,,0.4\n`), /asset shares add up to 0\.900000, not 1/],
    ["volumes that do not add up", () => parseAggregatedBidsCsv(`${H}\np,a,up,1,50,u1,north,,0.5,\np,a,up,1,50,u2,north,,0.4,\n`), /asset volumes add up to 0\.900000 MW, the bid's total is 1 MW/],
    [
      "asset volume with the wrong sign",
      () => parseAggregatedBidsCsv(`${H}\np,a,up,1,50,u1,north,,1.5,\np,a,up,1,50,u2,north,,-0.5,\n`),
      /asset 2 \(u2\): volume -0\.5 MW has the wrong sign for an upward bid/,
    ],
    ["total with the wrong sign", () => parseAggregatedBidsCsv(`${H}\np,a,down,1,50,u1,north,,,\n`), /total volume 1 MW has the wrong sign for a downward bid/],
    ["duplicate bid id", () => parseAggregatedBidsJson(JSON.stringify([portfolio[1], portfolio[1]])), /duplicate bid id 'single'/],
    ["inconsistent repeated row", () => parseAggregatedBidsCsv(`${H}\np,a,up,1,50,u1,north,,,0.5\np,a,up,1,60,u2,north,,,0.5\n`), /line 3: bid 'p' repeats with a different .* than on line 2/],
    ["mixed shares and volumes", () => parseAggregatedBidsCsv(`${H}\np,a,up,1,50,u1,north,,0.5,\np,a,up,1,50,u2,north,,,0.5\n`), /either a volume or a share/],
    ["missing price", () => parseAggregatedBidsJson(JSON.stringify([{ ...portfolio[1], priceEurPerMwh: undefined }])), /priceEurPerMwh/],
    [
      "a bid id with a slash (it would collide with another bid's per-asset id)",
      () => parseAggregatedBidsJson(JSON.stringify([{ ...portfolio[1], id: "pp/ev-1" }])),
      /bid id "pp\/ev-1" is not allowed \(letters, digits, '\.', '_' and '-' only/,
    ],
    ["a bid id with '#' or spaces", () => parseAggregatedBidsCsv(`${H}\np#1,a,up,1,50,u1,north,,,\n`), /line 2: bid id "p#1" is not allowed/],
    ["a bid id starting with '-'", () => parseAggregatedBidsJson(JSON.stringify([{ ...portfolio[1], id: "-x" }])), /bid id "-x" is not allowed/],
  ];
  for (const [what, f, pattern] of cases) it(`rejects ${what}`, () => expectBidFormatError(f, pattern));

  it("rejects unknown assets and grids, a location that is not the unit's, and volumes beyond a unit's offer", () => {
    const one = (asset: AggregatedBid["assets"][number], volumeMw = 0.001, owner = "agg-x"): AggregatedBid[] => [
      { id: "b", owner, direction: volumeMw > 0 ? "up" : "down", volumeMw, priceEurPerMwh: 1, assets: [asset] },
    ];
    expectBidFormatError(() => disaggregate(one({ assetId: "nope", grid: "north" }), [registry]), /asset nope: Netz Nord has no unit 'nope'/);
    expectBidFormatError(() => disaggregate(one({ assetId: "ev-1", grid: "Netz Nord" }), [registry]), /no grid with id 'Netz Nord' is on the market/);
    expectBidFormatError(() => disaggregate(one({ assetId: "ev-1", grid: "north", location: "bus:99" }), [registry]), /location 'bus:99' is not where the unit connects \(bus:10\)/);
    expectBidFormatError(() => disaggregate(one({ assetId: "ev-1", grid: "north" }, 0.02), [registry]), /0\.02 MW upward exceeds what the unit offers \(0\.011000 MW\)/);
    expectBidFormatError(() => disaggregate(one({ assetId: "ev-1", grid: "north" }, -0.001), [registry]), /downward exceeds what the unit offers \(0\.000000 MW\)/);
  });

  it("caps each unit over all bids given: two bids on one unit together within its offer", () => {
    const twice: AggregatedBid[] = [
      { id: "b1", owner: "agg-x", direction: "up", volumeMw: 0.008, priceEurPerMwh: 1, assets: [{ assetId: "ev-1", grid: "north" }] },
      { id: "b2", owner: "agg-x", direction: "up", volumeMw: 0.008, priceEurPerMwh: 1, assets: [{ assetId: "ev-1", grid: "north" }] },
    ];
    expectBidFormatError(() => disaggregate(twice, [registry]), /unit ev-1 in Netz Nord: 0\.016000 MW upward over these bids exceeds what the unit offers \(0\.011000 MW\)/);
    // Up and down are separate offers of the same unit.
    const both: AggregatedBid[] = [
      { id: "u", owner: "agg-x", direction: "up", volumeMw: 0.01, priceEurPerMwh: 1, assets: [{ assetId: "bat-2", grid: "north" }] },
      { id: "d", owner: "agg-x", direction: "down", volumeMw: -0.01, priceEurPerMwh: 1, assets: [{ assetId: "bat-2", grid: "north" }] },
    ];
    expect(
      disaggregate(both, [registry])
        .perGrid.get("north")!
        .map((b) => b.volumeMw),
    ).toEqual([0.01, -0.01]);
  });

  it("on the platform, refuses a unit another aggregator owns exactly like one that does not exist", () => {
    const bid = (assetId: string, volumeMw: number): AggregatedBid[] => [{ id: "b", owner: "agg-y", direction: "up", volumeMw, priceEurPerMwh: 1, assets: [{ assetId, grid: "north" }] }];
    const message = (assetId: string, volumeMw: number) => {
      try {
        disaggregate(bid(assetId, volumeMw), [registry], { requireOwnedUnits: true });
      } catch (e) {
        return (e as Error).message.replace(assetId, "<asset>");
      }
      return "accepted";
    };
    expect(message("ev-1", 500)).toBe("aggregated bid b, asset <asset>: not one of your units in Netz Nord");
    expect(message("ev-1", 0.001)).toBe(message("no-such-unit", 0.001));
    expect(message("ev-1", 500)).toBe(message("no-such-unit", 500));
    expect(message("pv-3", 0.01)).toBe("accepted");
    expect(message("pv-3", 500)).toMatch(/exceeds what the unit offers \(0\.010000 MW\)/);
  });
});

describe("bid congestion manager", () => {
  it("splits by asset location, carries the price, keeps joint minima as groups, passes single bids through", () => {
    const dis = disaggregate(portfolio, [registry]);
    const bids = dis.perGrid.get("north")!;
    expect(bids.map((b) => [b.id, b.location, b.volumeMw, b.priceEurPerMwh, b.groupId])).toEqual([
      ["pool-1/ev-1", "L-a", 0.011, 70, "pool-1"],
      ["pool-1/hp-1", "L-a", 0.005, 70, "pool-1"],
      ["pool-1/bat-2", "L-b", 0.01, 70, "pool-1"],
      ["single", "L-b", -0.01, 20, undefined],
      ["shares", "L-b", 0.01, 90, undefined],
    ]);
    expect(bids[0].qPerP).toBe(0.2);
    expect(dis.groups).toEqual([{ id: "pool-1", minActivationMw: 0.015, indivisible: undefined }]);
  });

  it("clears across two grids with one balance, honours a joint minimum, and conserves volumes exactly", () => {
    const lm = (locations: string[], ltdf: number[]): LightModel => ({
      ...lightModelHeader("t", ""),
      locations,
      monitoredBuses: [],
      monitoredBranches: ["B"],
      reactive: false,
      operatingPoints: [
        {
          id: "op-0",
          label: "none",
          pFlexMw: locations.map(() => 0),
          qFlexMvar: locations.map(() => 0),
          v: [],
          l: [50],
          vtdf: encodeMatrix(0, locations.length, new Float64Array(0)),
          ltdf: encodeMatrix(1, locations.length, Float64Array.from(ltdf)),
        },
      ],
    });
    const north: GridAssetRegistry = {
      ...registry,
      units: new Map([
        ["a", { bus: 10, upMw: 2, downMw: 0, qPerP: 0 }],
        ["c", { bus: 20, upMw: 2, downMw: 0, qPerP: 0 }],
      ]),
    };
    const south: GridAssetRegistry = {
      gridId: "south",
      gridName: "south",
      units: new Map([
        ["b", { bus: 5, upMw: 1, downMw: -1, qPerP: 0 }],
        ["d", { bus: 5, upMw: 2, downMw: 0, qPerP: 0 }],
      ]),
      locationOfBus: new Map([[5, "S-1"]]),
    };
    const agg: AggregatedBid[] = [
      {
        id: "pool",
        owner: "agg-x",
        direction: "up",
        volumeMw: 3,
        priceEurPerMwh: 40,
        minActivationMw: 2.5,
        assets: [
          { assetId: "a", grid: "north", location: "bus:10", volumeMw: 2 },
          { assetId: "b", grid: "south", location: "bus:5", volumeMw: 1 },
        ],
      },
      { id: "cheap", owner: "agg-y", direction: "up", volumeMw: 2, priceEurPerMwh: 30, assets: [{ assetId: "c", grid: "north", location: "bus:20" }] },
      { id: "dear", owner: "agg-z", direction: "up", volumeMw: 2, priceEurPerMwh: 90, assets: [{ assetId: "d", grid: "south", location: "bus:5" }] },
    ];
    const dis = disaggregate(agg, [north, south]);
    const grids = [
      { gridId: "north", lightModel: lm(["L-a", "L-b"], [10, 20]), bids: dis.perGrid.get("north")! },
      { gridId: "south", lightModel: lm(["S-1"], [10]), bids: dis.perGrid.get("south")! },
    ];
    // 3 MW: "cheap" (30 €) 2 MW + 1 MW of "pool" would violate pool's joint minimum 2.5 MW.
    // North loading: 50 + 10 a + 20 c <= 100. Options: pool 2.5 (a <= 2, b <= 1) + cheap 0.5 ...
    const r = clearMarket(highs, grids, 3, { groups: dis.groups });
    expect(r.status).toBe("optimal");
    const res = reaggregate(agg, dis, r.dispatch);
    const pool = res.find((x) => x.bidId === "pool")!;
    expect(pool.activatedMw === 0 || pool.activatedMw >= 2.5 - 1e-9).toBe(true);
    // Conservation, exactly: assets sum to their bid, bids sum to the request.
    for (const x of res) expect(Math.abs(x.assets.reduce((s, a) => s + a.activatedMw, 0) - x.activatedMw)).toBeLessThan(1e-12);
    expect(Math.abs(res.reduce((s, x) => s + x.activatedMw, 0) - 3)).toBeLessThan(1e-9);
    expect(Math.abs(r.totalMw - 3)).toBeLessThan(1e-9);
    // The loading limit of the north grid holds: 10 a + 20 c <= 50.
    const a = r.dispatch.find((d) => d.bidId === "pool/a")!.activatedMw;
    const c = r.dispatch.find((d) => d.bidId === "cheap")!.activatedMw;
    expect(10 * a + 20 * c).toBeLessThanOrEqual(50 + 1e-6);
    // Optimum by hand: pool at 2.5 (a=2, b=0.5 or a=1.5, b=1 ...) + cheap 0.5 -> cost 40*2.5 + 30*0.5 = 115,
    // with 10a + 20*0.5 <= 50 -> a <= 4: fine.
    expect(r.objectiveEur).toBeCloseTo(115, 6);
  });

  it("the default demo clears 1.8 MW through the BCM exactly as the disaggregated bids clear directly", () => {
    const net = generateDistrict().network;
    const { dso, lightModel } = prepareDso(net, { salt: "bcm-test" });
    const registryD = registryFromDso(net.name, net.name, net, dso.key);
    const agg = demoPortfolios(net.name, net);
    expect(new Set(agg.map((a) => a.owner)).size).toBeGreaterThanOrEqual(3);
    const dis = disaggregate(agg, [registryD]);
    const viaBcm = clearMarket(highs, [{ gridId: net.name, lightModel, bids: dis.perGrid.get(net.name)! }], 1.8, { groups: dis.groups });
    expect(viaBcm.status).toBe("optimal");
    const results = reaggregate(agg, dis, viaBcm.dispatch);
    expect(Math.abs(results.reduce((s, r) => s + r.activatedMw, 0) - 1.8)).toBeLessThan(1e-9);
    for (const x of results) expect(Math.abs(x.assets.reduce((s, a) => s + a.activatedMw, 0) - x.activatedMw)).toBeLessThan(1e-12);
    // Direct clearing of the same per-asset bids (as the TSO would with the BCM's output).
    const direct = clearMarket(highs, [{ gridId: net.name, lightModel, bids: dis.perGrid.get(net.name)! }], 1.8, { groups: dis.groups });
    expect(direct.dispatch.map((d) => d.activatedMw)).toEqual(viaBcm.dispatch.map((d) => d.activatedMw));
  });
});

describe("CSV round trip of portfolios and BCM results", () => {
  const tricky: AggregatedBid[] = [
    {
      id: "p-1",
      owner: 'agg "north", ltd',
      direction: "down",
      volumeMw: -1,
      priceEurPerMwh: 20,
      minActivationMw: 0.5,
      indivisible: true,
      assets: [
        { assetId: "=u1", grid: "grid, one", location: "bus:3", share: 0.25 },
        { assetId: "u2", grid: "two\nlines", share: 0.75 },
      ],
    },
  ];

  it("reads back commas, double quotes, a newline inside a cell and a formula-looking asset id", () => {
    expect(parseAggregatedBidsCsv(writeAggregatedBidsCsv(tricky))).toEqual(tricky);
  });

  it("reads back with a byte-order mark and CRLF line ends, and names lines after a multi-line cell right", () => {
    const crlf = `\uFEFF${writeAggregatedBidsCsv(tricky).replace(/\n/g, "\r\n")}`;
    expect(parseAggregatedBidsCsv(crlf)).toEqual(tricky);
    // The asset rows are on line 2 and lines 3-4 (a cell over two lines), so the bad row is on line 5.
    expectBidFormatError(() => parseAggregatedBidsCsv(`${crlf}p-2,a,sideways,1,50,,,u3,north,,,\r\n`), /^portfolio\.csv line 5: direction 'sideways' must be up or down$/);
  });

  it("writes the BCM results so that every cell reads back", () => {
    const results: AggregatedResult[] = [
      {
        bidId: "p-1",
        owner: 'agg "north", ltd',
        direction: "up",
        priceEurPerMwh: 50,
        offeredMw: 1,
        activatedMw: 0.5,
        fraction: 0.5,
        costEur: 25,
        assets: [{ assetId: "@u1", grid: "two\nlines", location: "bus:3", offeredMw: 1, activatedMw: 0.5 }],
      },
    ];
    const rows: string[][] = [];
    readCsvRows(`\uFEFF${aggregatedResultsCsv(results).replace(/\n/g, "\r\n")}`, (r) => rows.push(r.cells));
    expect(rows).toEqual([
      ["bidId", "owner", "direction", "priceEURperMWh", "offeredMW", "activatedMW", "fraction", "costEUR", "assetId", "grid", "location", "assetOfferedMW", "assetActivatedMW"],
      ["p-1", 'agg "north", ltd', "up", "50", "1", "0.5", "0.5", "25", "'@u1", "two\nlines", "bus:3", "1", "0.5"],
    ]);
  });
});
