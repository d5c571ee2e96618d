import { describe, expect, it } from "vitest";
import { parseGridFile, writeNetworkJson } from "../lib/grid";
import { readSharedCase } from "../lib/testing/shared";
import { collectTransferables, dispatch } from "./handlers";
import type { FromWorker, ToWorker } from "./protocol";

async function collect(msg: ToWorker) {
  const posted: { message: FromWorker; transfer: Transferable[] }[] = [];
  await dispatch(msg, (message, transfer) => posted.push({ message, transfer }));
  return posted;
}

describe("worker dispatch", () => {
  it("posts progress, then the result with every typed-array buffer as a transferable", async () => {
    const network = writeNetworkJson(parseGridFile("case33bw.m", readSharedCase("case33bw")));
    const posted = await collect({ kind: "request", id: 7, type: "powerflow", request: { network } });
    expect(posted.map((p) => p.message.kind)).toEqual(["progress", "progress", "progress", "progress", "result"]);
    expect(posted.every((p) => p.message.id === 7)).toBe(true);
    const last = posted.at(-1)!;
    if (last.message.kind !== "result") throw new Error("expected a result");
    const result = last.message.result as { buses: Record<string, ArrayBufferView>; branches: Record<string, unknown> };
    const views = [...Object.values(result.buses), ...Object.values(result.branches).filter(ArrayBuffer.isView)];
    expect(new Set(last.transfer)).toEqual(new Set(views.map((v) => v.buffer)));
    expect(last.transfer).toHaveLength(new Set(last.transfer).size);
  });

  it("posts an error message instead of throwing", async () => {
    const posted = await collect({ kind: "request", id: 3, type: "powerflow", request: { network: "{" } });
    expect(posted.at(-1)!.message).toEqual({ kind: "error", id: 3, error: { name: "GridFormatError", message: expect.stringMatching(/^not valid JSON/) } });
    const unknown = await collect({ kind: "request", id: 4, type: "nope", request: {} } as unknown as ToWorker);
    expect(unknown[0].message).toEqual({ kind: "error", id: 4, error: { name: "Error", message: "unknown message type 'nope'" } });
  });

  it("collects each buffer once, however often it is viewed", () => {
    const buf = new ArrayBuffer(64);
    const found = collectTransferables({ a: new Float64Array(buf, 0, 4), b: [new Float64Array(buf, 32, 4), { c: new Int32Array(2) }], s: "x", n: null });
    expect(found).toHaveLength(2);
    expect(found[0]).toBe(buf);
  });
});
