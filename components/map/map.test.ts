import { readFileSync } from "node:fs";
import { join } from "node:path";
import { validateStyleMin } from "@maplibre/maplibre-gl-style-spec";
import { describe, expect, it } from "vitest";
import { generateDistrict } from "@/lib/district";
import { analyzeFlexibilityExtremes } from "@/lib/district/analysis";
import { parseMatpowerCase, parseNetworkJson, writeMatpowerCase, writeNetworkJson } from "@/lib/grid";
import { CONGESTED, CONGESTED_HALO, loadingColor, lineWidthPx, NEUTRAL_LINE, voltageColor } from "./colors";
import { describeElement } from "./describe";
import { buildGridLayers, busStyle, LAYER_IDS, lineStyle, pickedElementId, substationStyle } from "./layers";
import { gridMapData, type MapLine } from "@/lib/map/map-data";
import { buildOfflineStyle, chooseBasemap } from "./style";

const district = generateDistrict();
// Through the project JSON, as the DSO view receives it.
const net = parseNetworkJson(writeNetworkJson(district.network));
const data = gridMapData(net);
const flows = analyzeFlexibilityExtremes(net);

const layerById = (layers: ReturnType<typeof buildGridLayers>, id: string) => {
  const l = layers.find((x) => x.id === id);
  if (!l) throw new Error(`no layer ${id}`);
  return l;
};
const prop = <T>(layers: ReturnType<typeof buildGridLayers>, id: string, name: string) => (layerById(layers, id).props as unknown as Record<string, unknown>)[name] as T;
const dataOf = <T>(layers: ReturnType<typeof buildGridLayers>, id: string) => layerById(layers, id).props.data as T[];

describe("gridMapData: the network reshaped for the map", () => {
  it("draws every line with its route, every bus, the six substations and the PCC", () => {
    const transformers = net.branches.filter((b) => b.kind === "transformer").length;
    expect(data.lines).toHaveLength(net.branches.length - transformers);
    expect(data.undrawnBranches).toBe(0);
    expect(data.undrawnBuses).toBe(0);
    expect(data.buses).toHaveLength(net.buses.length);
    expect(data.substations.map((s) => s.id).sort()).toEqual(["S1", "S2", "S3", "S4", "S5", "S6"]);
    for (const s of data.substations) {
      expect(net.branches[s.transformerIndex].id).toBe(`trafo-${s.id}`);
      expect(net.buses[s.lvBusIndex].name).toBe(`${s.id}-LV`);
    }
    expect(data.pcc?.busIndex).toBe(0);
    const line = data.lines.find((l) => l.id.startsWith("lv-") && !l.id.includes("svc"))!;
    expect(line.path).toEqual(net.branches[line.index].geometry);
    expect(new Set(data.lines.map((l) => l.kind))).toEqual(new Set(["mv", "lv", "service"]));
    expect(data.buses.filter((b) => b.role === "building")).toHaveLength(241);
  });

  it("carries the district's streets and footprints for the offline basemap, and bounds around everything", () => {
    expect(data.streets.features.length).toBe(district.streets.length);
    expect(data.buildings.features).toHaveLength(241);
    expect(data.buildings.features.every((f) => f.geometry.type === "Polygon")).toBe(true);
    const [w, s, e, n] = data.bounds!;
    for (const b of data.buses) {
      expect(b.position[0]).toBeGreaterThanOrEqual(w);
      expect(b.position[0]).toBeLessThanOrEqual(e);
      expect(b.position[1]).toBeGreaterThanOrEqual(s);
      expect(b.position[1]).toBeLessThanOrEqual(n);
    }
  });

  it("handles a network without geography (MATPOWER round trip): substations from transformers, no basemap features", () => {
    const plain = parseMatpowerCase(writeMatpowerCase(net));
    const d = gridMapData(plain);
    expect(d.streets.features).toHaveLength(0);
    expect(d.buses.length + d.undrawnBuses).toBe(net.buses.length);
    expect(d.bounds).toBeNull();
    expect(d.lines).toHaveLength(0);
  });
});

describe("colour scales", () => {
  it("goes green → amber → red with loading, congestion unmistakable", () => {
    expect(loadingColor(NaN)).toBeNull();
    const g = loadingColor(20)!;
    const a = loadingColor(80)!;
    const r = loadingColor(100)!;
    expect(g[1]).toBeGreaterThan(g[0]);
    expect(a[0]).toBeGreaterThan(200);
    expect(a[1]).toBeGreaterThan(150);
    expect(r[0]).toBeGreaterThan(r[1]);
    expect(loadingColor(-130)).toEqual(CONGESTED);
    expect(loadingColor(100.01)).toEqual(CONGESTED);
    expect(lineWidthPx("lv", 120)).toBeGreaterThan(2 * lineWidthPx("lv", 10));
    expect(lineWidthPx("service", 150)).toBeGreaterThanOrEqual(7);
  });

  it("colours buses by voltage deviation: blue low, purple high, saturated outside 0.95–1.05", () => {
    expect(voltageColor(0)).toBeNull();
    const lo = voltageColor(0.97)!;
    const hi = voltageColor(1.03)!;
    expect(lo[2]).toBeGreaterThan(lo[0]);
    expect(hi[0]).toBeGreaterThan(hi[1]);
    expect(voltageColor(0.94)).not.toEqual(voltageColor(0.951));
    expect(voltageColor(1.06)).not.toEqual(voltageColor(1.049));
    const bus = data.buses.find((b) => b.role === "junction")!;
    const vm = new Float64Array(net.buses.length).fill(1);
    vm[bus.index] = 1.07;
    expect(busStyle(bus, vm).radius).toBeGreaterThan(busStyle(bus, null).radius);
  });
});

describe("buildGridLayers", () => {
  it("without results: neutral colours by voltage level, nothing congested, stable layer ids", () => {
    const layers = buildGridLayers(data);
    expect(layers.map((l) => l.id)).toEqual(Object.values(LAYER_IDS));
    expect(dataOf(layers, LAYER_IDS.congestedHalo)).toHaveLength(0);
    const lines = dataOf<MapLine>(layers, LAYER_IDS.lines);
    expect(lines).toHaveLength(data.lines.length);
    const getColor = prop<(l: MapLine) => number[]>(layers, LAYER_IDS.lines, "getColor");
    const mv = lines.find((l) => l.kind === "mv" && l.inService)!;
    expect(getColor(mv)).toEqual(NEUTRAL_LINE.mv);
    expect(dataOf(layers, LAYER_IDS.mvCasing).length).toBe(data.lines.filter((l) => l.kind === "mv" && l.inService).length);
  });

  it("base case: no line red; all offered flexibility: exactly the congested lines get the red halo, drawn last", () => {
    const base = buildGridLayers(data, { loadingPct: flows.base.loadingPct, vm: flows.base.vm });
    expect(dataOf(base, LAYER_IDS.congestedHalo)).toHaveLength(0);
    const baseColor = prop<(l: MapLine) => number[]>(base, LAYER_IDS.lines, "getColor");
    expect(data.lines.some((l) => baseColor(l) === CONGESTED)).toBe(false);

    const all = buildGridLayers(data, { loadingPct: flows.allFlex.loadingPct, vm: flows.allFlex.vm });
    const halo = dataOf<MapLine>(all, LAYER_IDS.congestedHalo);
    const expected = data.lines.filter((l) => l.inService && Math.abs(flows.allFlex.loadingPct[l.index]) > 100).map((l) => l.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(halo.map((l) => l.id).sort()).toEqual(expected.sort());
    expect(prop(all, LAYER_IDS.congestedHalo, "getColor")).toEqual(CONGESTED_HALO);
    const ordered = dataOf<MapLine>(all, LAYER_IDS.lines);
    expect(
      ordered
        .slice(-halo.length)
        .map((l) => l.id)
        .sort(),
    ).toEqual(expected.sort());
    const color = prop<(l: MapLine) => number[]>(all, LAYER_IDS.lines, "getColor");
    const width = prop<(l: MapLine) => number>(all, LAYER_IDS.lines, "getWidth");
    for (const l of halo) {
      expect(color(l)).toEqual(CONGESTED);
      expect(width(l)).toBeGreaterThanOrEqual(7);
    }
  });

  it("marks congested transformers on their substation and draws the open point grey", () => {
    // The default's all-flexibility congestion sits on LV feeders; overload one transformer here.
    const loading = Float64Array.from(flows.allFlex.loadingPct);
    const sub = data.substations[0];
    loading[sub.transformerIndex] = -120;
    const st = substationStyle(sub, loading);
    expect(st.congested).toBe(true);
    expect(st.stroke).toEqual(CONGESTED);
    for (const s of data.substations.slice(1)) expect(substationStyle(s, loading).congested).toBe(Math.abs(loading[s.transformerIndex]) > 100);
    const open = data.lines.find((l) => !l.inService)!;
    expect(lineStyle(open, flows.allFlex.loadingPct).color[0]).toBe(lineStyle(open, null).color[0]);
    expect(lineStyle(open, flows.allFlex.loadingPct).congested).toBe(false);
  });

  it("ignores results of another network (wrong length) instead of colouring the wrong elements", () => {
    const layers = buildGridLayers(data, { loadingPct: new Float64Array(3).fill(500), vm: new Float64Array(3) });
    expect(dataOf(layers, LAYER_IDS.congestedHalo)).toHaveLength(0);
  });

  it("highlights the selection: a halo under a selected line, a ring around a selected substation", () => {
    const line = data.lines.find((l) => l.kind === "lv")!;
    const sel = buildGridLayers(data, { selectedId: `branch:${line.id}` });
    expect(dataOf<MapLine>(sel, LAYER_IDS.selectionHalo).map((l) => l.id)).toEqual([line.id]);
    const sub = buildGridLayers(data, { selectedId: "substation:S2" });
    expect(dataOf(sub, LAYER_IDS.selectionRing)).toEqual([data.substations.find((s) => s.id === "S2")!.position]);
    expect(dataOf(sub, LAYER_IDS.selectionHalo)).toHaveLength(0);
  });

  it("maps deck.gl picks to selection ids", () => {
    const line = data.lines[5];
    expect(pickedElementId(data, LAYER_IDS.lines, line)).toBe(`branch:${line.id}`);
    expect(pickedElementId(data, LAYER_IDS.substations, data.substations[0])).toBe(`substation:${data.substations[0].id}`);
    expect(pickedElementId(data, LAYER_IDS.pcc, data.pcc)).toBe("bus:1");
    expect(pickedElementId(data, LAYER_IDS.labels, { text: "S1" })).toBeNull();
    expect(pickedElementId(data, LAYER_IDS.lines, null)).toBeNull();
  });
});

describe("describeElement (tooltip and details)", () => {
  it("names a congested line with its loading, voltages and cable", () => {
    const l = flows.allFlex.loadingPct;
    const worst = data.lines.reduce((a, b) => (Math.abs(l[b.index]) > Math.abs(l[a.index]) ? b : a));
    const d = describeElement(data, { loadingPct: l, vm: flows.allFlex.vm }, `branch:${worst.id}`)!;
    expect(d.title).toBe(worst.id);
    expect(d.alarm).toBe(true);
    expect(d.rows.find(([k]) => k === "loading")![1]).toBe(`${Math.abs(l[worst.index]).toFixed(1)} % — congested`);
    expect(d.rows.some(([k]) => k.startsWith("voltage from"))).toBe(true);
    expect(d.rows.find(([k]) => k === "cable")![1]).toMatch(/NAYY|NA2XS2Y/);
  });

  it("describes a substation, a bus and the base case without alarms; unknown ids give null", () => {
    const state = { loadingPct: flows.base.loadingPct, vm: flows.base.vm };
    const s = describeElement(data, state, "substation:S1")!;
    expect(s.alarm).toBe(false);
    expect(s.rows.map(([k]) => k)).toEqual(["transformer loading", "MV voltage", "LV voltage", "transformer", "rating"]);
    const b = describeElement(data, state, "bus:1")!;
    expect(b.title).toBe("PCC");
    expect(b.rows[0][1]).toBe("1.0000 p.u.");
    expect(describeElement(data, {}, "bus:1")!.rows[0]).toEqual(["voltage", "run a power flow"]);
    expect(describeElement(data, state, "branch:nope")).toBeNull();
    expect(describeElement(data, state, null)).toBeNull();
  });
});

describe("offline basemap style", () => {
  it("is a valid MapLibre style with the district's streets and buildings and nothing to fetch", () => {
    const style = buildOfflineStyle(data);
    expect(validateStyleMin(style)).toEqual([]);
    expect(style.glyphs).toBeUndefined();
    expect(style.sprite).toBeUndefined();
    expect(JSON.stringify(style)).not.toMatch(/https?:\/\//);
    const src = style.sources.streets as { data: { features: unknown[] } };
    expect(src.data.features).toHaveLength(district.streets.length);
    expect(style.layers.map((l) => l.id)).toEqual(["background", "street-casing", "street", "building-fill", "building-outline", "building-point"]);
  });

  it("uses a configured basemap URL only when it is one", () => {
    expect(chooseBasemap(data, "https://tiles.example.org/style.json")).toBe("https://tiles.example.org/style.json");
    expect(typeof chooseBasemap(data, undefined)).toBe("object");
    expect(typeof chooseBasemap(data, "not a url")).toBe("object");
  });
});

describe("MapLibre worker served from public/maplibre/", () => {
  it("is the installed maplibre-gl's worker module, byte for byte", () => {
    const served = readFileSync(join(process.cwd(), "public", "maplibre", "maplibre-gl-worker.mjs"));
    const installed = readFileSync(join(process.cwd(), "node_modules", "maplibre-gl", "dist", "maplibre-gl-worker.mjs"));
    // scripts/setup.mjs copies it (npm run setup; npm test runs it first).
    expect(served.equals(installed), "public/maplibre/maplibre-gl-worker.mjs is missing or stale: run npm run setup").toBe(true);
  });
});
