import { describe, expect, it } from "vitest";
import { parseGridFile } from "@/lib/grid";
import { readSharedCase } from "@/lib/testing/shared";
import { runPowerFlow } from "@/solver-worker/powerflow";
import { buildVoltageProfile, MAX_PROFILE_BUCKETS, profilePositions } from "./voltage-profile-data";

type Trace = { name: string; x: number[]; y: (number | null)[]; type: string };

describe("voltage profile traces", () => {
  it("plots |V| per bus, the limits and the minimum of case33bw", () => {
    const result = runPowerFlow({ network: parseGridFile("case33bw.m", readSharedCase("case33bw")) }, () => {});
    const { data, layout } = buildVoltageProfile(result);
    const [vm, vmin, vmax, min] = data as unknown as Trace[];
    expect(vm.x).toEqual(Array.from({ length: 33 }, (_, i) => i + 1));
    expect(vm.y[17]).toBeCloseTo(0.91309, 5);
    expect(vmin.y[5]).toBe(0.9);
    expect(vmax.y[5]).toBe(1.1);
    expect(min).toMatchObject({ name: "min 0.91309 p.u. @ bus 18", x: [18] });
    expect(vm.type).toBe("scatter");
    expect((layout.xaxis as { title: { text: string } }).title.text).toBe("Bus");
  });

  it("leaves de-energized buses as gaps and labels non-sequential ids as file order", () => {
    const net = parseGridFile("case9.m", readSharedCase("case9"));
    // Take bus 9 out: both of its branches out of service.
    const cut = { ...net, branches: net.branches.map((b) => (b.from === 9 || b.to === 9 ? { ...b, inService: false } : b)) };
    const result = runPowerFlow({ network: cut }, () => {});
    expect(result.summary.islandedBusIds).toEqual([9]);
    const [vm] = buildVoltageProfile(result).data as unknown as Trace[];
    expect(vm.y[8]).toBeNull();
    expect(vm.y.filter((v) => v === null)).toHaveLength(1);
    const shuffled = { ...net, buses: [...net.buses].reverse() };
    const layout = buildVoltageProfile(runPowerFlow({ network: shuffled }, () => {})).layout;
    expect((layout.xaxis as { title: { text: string } }).title.text).toBe("Bus (file order)");
  });
});

describe("min-max decimation of long profiles", () => {
  it("keeps every bus up to twice the bucket count", () => {
    const vm = Float64Array.from({ length: 10 }, (_, i) => 1 - i / 100);
    expect(profilePositions(vm, () => true, 5)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("keeps each bucket's lowest and highest bus in file order, and one gap for a de-energized bucket", () => {
    const vm = Float64Array.from([1.0, 0.95, 0.99, 0.97, 1.02, 0.9, 0.98, 0.96, 0, 0, 0, 0]);
    const dead = new Set([8, 9, 10, 11]);
    expect(profilePositions(vm, (i) => !dead.has(i), 3)).toEqual([0, 1, 4, 5, -1]);
  });

  it("draws a 60000-bus profile with at most 3000 points and the minimum on it", () => {
    const n = 60000;
    const vm = Float64Array.from({ length: n }, (_, i) => 1 - 0.05 * Math.sin(i / 777) ** 2 - (i === 43210 ? 0.03 : 0));
    const pos = profilePositions(vm, () => true);
    expect(pos.length).toBeLessThanOrEqual(2 * MAX_PROFILE_BUCKETS);
    expect(pos).toContain(43210);
    expect(pos).toEqual([...pos].sort((a, b) => a - b));
  });
});
