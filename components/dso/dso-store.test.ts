import { describe, expect, it } from "vitest";
import { createDsoStore } from "./dso-store";
import type { GridSummary } from "@/lib/wire/dso";

const grid = (id: string): GridSummary => ({ id, name: id, sourceFormat: "matpower", fileName: `${id}.m`, busCount: 3, branchCount: 2, fpuCount: 0, createdAt: "2026-01-01T00:00:00.000Z" });

describe("DSO view store", () => {
  it("resets network, run and history when another grid is selected", () => {
    const store = createDsoStore({ grids: [grid("a"), grid("b")], selectedId: "a" });
    store.getState().setNetwork({ gridId: "a", text: "{}" });
    store.getState().setRun({ phase: "failed", gridId: "a", message: "x" });
    store.getState().select("b");
    expect(store.getState()).toMatchObject({ selectedId: "b", network: null, run: { phase: "idle" }, history: [] });
  });

  it("keeps the last result on screen while a re-run is under way", () => {
    const store = createDsoStore({ grids: [grid("a")], selectedId: "a" });
    const result = { summary: {} } as never;
    store.getState().setRun({ phase: "done", gridId: "a", result, wallMs: 5 });
    store.getState().setRun({ phase: "running", gridId: "a", progress: null });
    expect(store.getState().latest).toEqual({ gridId: "a", result, wallMs: 5 });
    store.getState().setRun({ phase: "cancelled", gridId: "a" });
    expect(store.getState().latest?.result).toBe(result);
  });

  it("ignores late answers for a grid that is no longer selected", () => {
    const store = createDsoStore({ grids: [grid("a"), grid("b")], selectedId: "a" });
    store.getState().select("b");
    store.getState().setNetwork({ gridId: "a", text: "{}" });
    store.getState().setRun({ phase: "cancelled", gridId: "a" });
    store.getState().setHistory("a", []);
    expect(store.getState()).toMatchObject({ network: null, run: { phase: "idle" } });
  });

  it("selects the next grid when the selected one is deleted", () => {
    const store = createDsoStore({ grids: [grid("a"), grid("b")], selectedId: "a" });
    store.getState().removeGrid("a");
    expect(store.getState().selectedId).toBe("b");
    store.getState().addGrid(grid("c"));
    store.getState().removeGrid("c");
    expect(store.getState()).toMatchObject({ selectedId: "b", grids: [grid("b")] });
    store.getState().removeGrid("b");
    expect(store.getState().selectedId).toBeNull();
  });
});
