import { describe, expect, it } from "vitest";
import { parseGridFile, writeNetworkJson } from "../lib/grid";
import { computeLayout } from "../lib/layout";
import { readSharedCase } from "../lib/testing/shared";
import { collectTransferables, dispatch } from "./handlers";
import { runLayout } from "./layout";
import type { FromWorker, StageProgress } from "./protocol";

describe("layout message", () => {
  it("gives lib/layout's coordinates from project JSON, with progress in order", () => {
    const net = parseGridFile("case30.m", readSharedCase("case30"));
    const stages: StageProgress[] = [];
    const out = runLayout({ network: writeNetworkJson(net) }, (p) => stages.push(p));
    expect(stages[0].stage).toBe("parse");
    expect(stages.map((s) => s.stage)).toEqual(expect.arrayContaining(["topology", "initial", "forces", "finish"]));
    expect(stages.map((s) => s.fraction)).toEqual([...stages.map((s) => s.fraction)].sort((a, b) => a - b));
    const ref = computeLayout(net);
    expect(out).toMatchObject({ algorithm: "force", components: 1, radialComponents: 0, cyclomatic: 12, crossings: ref.crossings });
    expect(Array.from(out.x)).toEqual(Array.from(ref.x));
    expect(Array.from(out.busIds)).toEqual(net.buses.map((b) => b.id));
    expect(out.workerMs).toBeGreaterThanOrEqual(out.computeMs);
  });

  it("transfers its coordinate buffers and reports a bad grid as an error", async () => {
    const network = writeNetworkJson(parseGridFile("case118zh.m", readSharedCase("case118zh")));
    const posted: { message: FromWorker; transfer: Transferable[] }[] = [];
    await dispatch({ kind: "request", id: 1, type: "layout", request: { network } }, (message, transfer) => posted.push({ message, transfer }));
    const last = posted.at(-1)!;
    if (last.message.kind !== "result") throw new Error("expected a result");
    expect(last.transfer).toHaveLength(3);
    expect(collectTransferables(last.message.result)).toHaveLength(3);
    const bad: FromWorker[] = [];
    await dispatch({ kind: "request", id: 2, type: "layout", request: { network: '{"format":"flexplat-network"}' } }, (m) => bad.push(m));
    expect(bad.at(-1)).toMatchObject({ kind: "error", id: 2, error: { name: "GridFormatError" } });
  });
});
