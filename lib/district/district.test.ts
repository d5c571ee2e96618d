import { describe, expect, it } from "vitest";
import { parseMatpowerCase, validateNetwork, writeMatpowerCase } from "../grid";
import { solvePowerFlow } from "../powerflow";
import { analyzeFlexibilityExtremes, DEFAULT_DISTRICT_SEED, generateDistrict, LINE_TYPES, TRANSFORMER_TYPES, type District } from ".";
import { DISTRICT_BASE_MVA } from "./design";

const haversineKm = (a: [number, number], b: [number, number]) => {
  const R = 6371.0088;
  const r = Math.PI / 180;
  const dLat = (b[1] - a[1]) * r;
  const dLon = (b[0] - a[0]) * r;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * r) * Math.cos(b[1] * r) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.sqrt(h));
};

/** Base case within limits, in-service network radial and connected. */
function expectHealthyBaseCase(d: District) {
  const net = d.network;
  const a = analyzeFlexibilityExtremes(net);
  expect(a.base.converged).toBe(true);
  expect(a.base.islandedBusIds).toEqual([]);
  expect(a.base.vmMin).toBeGreaterThanOrEqual(0.95);
  expect(a.base.vmMax).toBeLessThanOrEqual(1.05);
  expect(a.base.maxLoadingPct!).toBeLessThanOrEqual(100);
  expect(net.branches.filter((b) => b.inService).length).toBe(net.buses.length - 1);
  return a;
}

describe("default district (deliverable 5.2, section 3.1)", () => {
  const d = generateDistrict();
  const net = d.network;

  it("has the Bergwald figures: 241 buildings of mixed types, six 20/0.4 kV substations", () => {
    expect(d.seed).toBe(DEFAULT_DISTRICT_SEED);
    expect(d.buildings).toHaveLength(241);
    expect(d.substations).toHaveLength(6);
    const types = new Set(d.buildings.map((b) => b.type));
    for (const t of ["single_house", "duplex", "townhouse", "apartment", "school", "community_centre", "shop"]) expect(types).toContain(t);
    expect(d.buildings.filter((b) => b.type === "school")).toHaveLength(1);
    // Around 49.0° N, 8.48° E.
    for (const b of d.buildings) {
      expect(Math.abs(b.lat - 49.0)).toBeLessThan(0.02);
      expect(Math.abs(b.lon - 8.48)).toBeLessThan(0.03);
      expect(b.footprint!.length).toBe(5);
    }
  });

  it("is deterministic for a seed and differs between seeds", () => {
    const again = generateDistrict({ seed: DEFAULT_DISTRICT_SEED });
    expect(JSON.stringify(again)).toBe(JSON.stringify(d));
    const other = generateDistrict({ seed: DEFAULT_DISTRICT_SEED + 1 });
    expect(JSON.stringify(other.buildings.map((b) => [b.lon, b.lat]))).not.toBe(JSON.stringify(d.buildings.map((b) => [b.lon, b.lat])));
  });

  it("has a street network that is not a lattice: curved streets, cul-de-sacs and dead ends", () => {
    const degree = new Map<string, number>();
    for (const s of d.streets) {
      for (const c of [s.coordinates[0], s.coordinates[s.coordinates.length - 1]]) degree.set(c.join(","), (degree.get(c.join(",")) ?? 0) + 1);
    }
    expect([...degree.values()].filter((v) => v === 1).length).toBeGreaterThan(2);
    expect(d.streets.some((s) => s.kind === "cul_de_sac")).toBe(true);
    // Curved: some street deviates from the chord between its ends by metres.
    const bend = (s: (typeof d.streets)[number]) => {
      const [a, b] = [s.coordinates[0], s.coordinates[s.coordinates.length - 1]];
      const chord = haversineKm(a, b) * 1000;
      let len = 0;
      for (let i = 1; i < s.coordinates.length; i++) len += haversineKm(s.coordinates[i - 1], s.coordinates[i]) * 1000;
      return len - chord;
    };
    expect(Math.max(...d.streets.map(bend))).toBeGreaterThan(0.5);
  });

  it("is a valid network with the PCC as bus 1 (slack with one generator), coordinates on every bus and geometry on every line", () => {
    validateNetwork(net);
    expect(net.baseMVA).toBe(DISTRICT_BASE_MVA);
    expect(net.buses[0]).toMatchObject({ id: 1, type: "REF", baseKv: 20, name: "PCC" });
    expect(net.generators).toHaveLength(1);
    expect(net.generators[0].bus).toBe(1);
    expect(d.pcc.bus).toBe(1);
    expect(net.buses.filter((b) => b.type === "REF")).toHaveLength(1);
    const byId = new Map(net.buses.map((b) => [b.id, b]));
    for (const b of net.buses) {
      expect(Number.isFinite(b.lon)).toBe(true);
      expect(Number.isFinite(b.lat)).toBe(true);
      expect(b.name).toBeTruthy();
    }
    for (const br of net.branches) {
      expect(br.geometry!.length).toBeGreaterThanOrEqual(2);
      const from = byId.get(br.from)!;
      const to = byId.get(br.to)!;
      expect(br.geometry![0]).toEqual([from.lon, from.lat]);
      expect(br.geometry![br.geometry!.length - 1]).toEqual([to.lon, to.lat]);
      expect(br.typeName).toBeTruthy();
      expect(br.rateAMva).toBeGreaterThan(0);
      if (br.kind === "transformer") {
        expect(br.id).toMatch(/^trafo-S\d+$/);
        expect(from.baseKv).toBe(20);
        expect(to.baseKv).toBe(0.4);
        continue;
      }
      expect(br.kind).toBe("line");
      expect(br.id).toMatch(/^(mv|lv)-/);
      expect(from.baseKv).toBe(to.baseKv);
      // The route is as long as the cable.
      let km = 0;
      for (let i = 1; i < br.geometry!.length; i++) km += haversineKm(br.geometry![i - 1], br.geometry![i]);
      expect(Math.abs(km - br.lengthKm!)).toBeLessThan(0.002 + 0.01 * br.lengthKm!);
    }
    expect(net.buses.map((b) => b.name)).toContain("S1-LV");
    expect(net.buses.some((b) => /^S\d+-F\d+-n\d+$/.test(b.name!))).toBe(true);
    expect(net.branches.some((b) => /^lv-S\d+-F\d+-\d+$/.test(b.id))).toBe(true);
  });

  it("converts standard types to per-unit correctly (ohm/km · km / Zbase; uk, Pcu for transformers)", () => {
    const lv = net.branches.find((b) => b.typeName === "NAYY 4x150 SE" && b.lengthKm! > 0.02)!;
    const t = LINE_TYPES["NAYY 4x150 SE"];
    const zb = 0.4 ** 2 / DISTRICT_BASE_MVA;
    expect(lv.rPu).toBeCloseTo((t.rOhmPerKm * lv.lengthKm!) / zb, 9);
    expect(lv.xPu).toBeCloseTo((t.xOhmPerKm * lv.lengthKm!) / zb, 9);
    expect(lv.rateAMva).toBeCloseTo(Math.sqrt(3) * 0.4 * 0.27, 9);
    const mv = net.branches.find((b) => b.id.startsWith("mv-"))!;
    expect(mv.typeName).toBe("NA2XS2Y 1x185 RM/25 12/20 kV");
    expect(mv.rPu).toBeCloseTo((0.161 * mv.lengthKm!) / (20 ** 2 / DISTRICT_BASE_MVA), 12);
    expect(mv.bPu).toBeCloseTo(2 * Math.PI * 50 * 273e-9 * mv.lengthKm! * (20 ** 2 / DISTRICT_BASE_MVA), 12);
    expect(mv.rateAMva).toBeCloseTo(Math.sqrt(3) * 20 * 0.362, 9);
    const tr = net.branches.find((b) => b.typeName === "0.63 MVA 20/0.4 kV")!;
    const tt = TRANSFORMER_TYPES["0.63 MVA 20/0.4 kV"];
    const z = (0.04 * DISTRICT_BASE_MVA) / 0.63; // uk 4 % (DIN 42500)
    const r = (tt.vkrPercent / 100) * (DISTRICT_BASE_MVA / 0.63);
    expect(tr.rPu).toBeCloseTo(r, 12);
    expect(Math.hypot(tr.rPu, tr.xPu)).toBeCloseTo(z, 12);
    expect(tr.rateAMva).toBe(0.63);
    // Pcu = ur · Sn = 7.6 kW for the 630 kVA unit.
    expect((tt.vkrPercent / 100) * tt.snMva * 1000).toBeCloseTo(7.6, 2);
  });

  it("has one load per building and FPUs per building with realistic sizes and no owner", () => {
    expect(net.loads).toHaveLength(241);
    const loadByBuilding = new Map(net.loads.map((l) => [l.buildingId, l]));
    for (const b of d.buildings) {
      const l = loadByBuilding.get(b.id)!;
      expect(l.bus).toBe(b.bus);
      expect(l.kind).toBe(b.type);
      expect(l.pMw).toBeGreaterThan(0);
      for (const id of b.fpuIds) expect(net.fpus.find((f) => f.id === id)!.buildingId).toBe(b.id);
    }
    const kinds = new Set(net.fpus.map((f) => f.kind));
    expect([...kinds].sort()).toEqual(["battery", "ev", "heat_pump", "pv"]);
    for (const f of net.fpus) {
      expect(f.owner).toBeUndefined();
      expect(f.pMinMw).toBeLessThanOrEqual(f.pMw);
      expect(f.pMw).toBeLessThanOrEqual(f.pMaxMw);
      const house = d.buildings.find((b) => b.id === f.buildingId)!.type === "single_house";
      if (f.kind === "pv") {
        expect(f.reactive.type).toBe("polygon");
        if (house) expect(f.pMaxMw * 1000).toBeLessThan(12);
      }
      if (house && f.kind === "ev") expect(f.pMinMw).toBe(-0.011);
      if (house && f.kind === "battery") expect([5, 8]).toContain(f.pMaxMw * 1000);
    }
  });

  it("sizes equipment by design load: each feeder within its cable, each substation within its transformer", () => {
    for (const f of d.feeders.filter((f) => f.ratingMva > 0)) expect(f.designMva).toBeLessThanOrEqual(f.ratingMva + 1e-9);
    for (const s of d.substations) expect(s.designMva).toBeLessThanOrEqual(s.ratingMva + 1e-9);
    expect(d.feeders.length).toBeGreaterThan(d.substations.length);
    expect(d.substations.reduce((s, x) => s + x.buildings, 0)).toBe(241);
  });

  it("routes 20 kV as open rings from the PCC through every substation", () => {
    const visited = d.rings.flatMap((r) => r.stations).sort();
    expect(visited).toEqual(d.substations.map((s) => s.id).sort());
    for (const r of d.rings) {
      const open = net.branches.find((b) => b.id === r.openBranch)!;
      expect(open.inService).toBe(false);
      expect(open.kind).toBe("line");
    }
    expect(net.branches.filter((b) => !b.inService)).toHaveLength(d.rings.length);
  });

  it("base case within limits, all upward flexibility congests some branches (Fig. 5), offer well above 1.8 MW", () => {
    const a = expectHealthyBaseCase(d);
    expect(a.offered.upMw).toBeGreaterThan(2.5);
    expect(a.offered.downMw).toBeLessThan(-1);
    expect(a.allFlex.converged).toBe(true);
    expect(a.allFlex.maxLoadingPct!).toBeGreaterThan(100);
    expect(a.allFlexSummary.congested.length).toBeGreaterThan(0);
    // "Some", not all: congestion sits at the heads of the heaviest feeders.
    expect(a.allFlexSummary.congested.length).toBeLessThan(net.branches.length / 10);
  });

  it("exports a MATPOWER case with ratings in rateA that re-imports to the same power flow", () => {
    const text = writeMatpowerCase(net);
    const back = parseMatpowerCase(text);
    expect(back.buses).toHaveLength(net.buses.length);
    expect(back.branches.map((b) => b.rateAMva)).toEqual(net.branches.map((b) => expect.closeTo(b.rateAMva, 6)));
    const r0 = solvePowerFlow(net);
    const r1 = solvePowerFlow(back);
    expect(r1.converged).toBe(true);
    for (let i = 0; i < r0.vm.length; i++) expect(Math.abs(r1.vm[i] - r0.vm[i])).toBeLessThan(1e-6);
    expect(Math.abs(r1.maxLoadingPct! - r0.maxLoadingPct!)).toBeLessThan(1e-3);
  });
});

describe("other seeds and sizes", () => {
  for (const [seed, n] of [
    [1, 241],
    [7, 241],
    [2, 100],
    [3, 1000],
  ] as const) {
    it(`seed ${seed}, ${n} buildings: valid, base case within limits, all-flex congestion`, () => {
      const d = generateDistrict({ seed, buildings: n });
      expect(d.buildings).toHaveLength(n);
      validateNetwork(d.network);
      const a = expectHealthyBaseCase(d);
      expect(a.allFlex.converged).toBe(true);
      expect(a.allFlexSummary.congested.length).toBeGreaterThan(0);
      expect(d.network.buses.every((b) => Number.isFinite(b.lon) && Number.isFinite(b.lat))).toBe(true);
      if (n === 1000) expect(d.rings.length).toBeGreaterThan(1);
    });
  }

  it("small districts still get a valid grid", () => {
    for (const n of [1, 5, 30]) {
      const d = generateDistrict({ seed: 4, buildings: n });
      expect(d.buildings).toHaveLength(n);
      expectHealthyBaseCase(d);
    }
  });

  it("rejects bad sizes and seeds with a clear error", () => {
    expect(() => generateDistrict({ buildings: 0 })).toThrow(/buildings must be an integer from 1 to 5000, got 0/);
    expect(() => generateDistrict({ buildings: 2.5 })).toThrow(/got 2.5/);
    expect(() => generateDistrict({ seed: 1.5 })).toThrow(/seed must be an integer/);
  });
});
