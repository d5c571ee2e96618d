import { describe, expect, it } from "vitest";
import { dispatch } from "@/solver-worker/handlers";
import type { FromWorker, ToWorker } from "@/solver-worker/protocol";
import { parseGridFile, writeNetworkJson } from "@/lib/grid";
import { readSharedCase } from "@/lib/testing/shared";
import { SolverCancelledError, SolverClient, SolverError, type WorkerLike } from "./solver-client";

/**
 * An in-process stand-in for the module worker: messages go through structuredClone
 * with their transfer lists (so transferred buffers really detach) and the real
 * dispatch() runs the handlers, one macrotask later as in a real worker.
 */
class FakeWorker implements WorkerLike {
  onmessage: ((event: MessageEvent<FromWorker>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  terminated = false;
  received: ToWorker[] = [];
  lastResultTransfer: Transferable[] = [];
  constructor(private readonly hold = false) {}

  postMessage(message: ToWorker): void {
    const copy = structuredClone(message);
    this.received.push(copy);
    if (this.hold) return;
    setTimeout(() => {
      void dispatch(copy, (out, transfer) => {
        if (this.terminated) return;
        if (out.kind === "result") this.lastResultTransfer = transfer;
        const delivered = structuredClone(out, { transfer: transfer as Transferable[] as never });
        this.onmessage?.({ data: delivered } as MessageEvent<FromWorker>);
      });
    }, 0);
  }

  terminate(): void {
    this.terminated = true;
  }

  crash(message: string): void {
    this.onerror?.({ message, preventDefault() {} } as ErrorEvent);
  }
}

function clientWith(hold = false) {
  const workers: FakeWorker[] = [];
  const client = new SolverClient(() => {
    const w = new FakeWorker(hold);
    workers.push(w);
    return w;
  });
  return { client, workers };
}

const NETWORK = writeNetworkJson(parseGridFile("case33bw.m", readSharedCase("case33bw")));

describe("SolverClient", () => {
  it("resolves with the worker's result, reporting progress on the way, and transfers the arrays", async () => {
    const { client, workers } = clientWith();
    const stages: string[] = [];
    const res = await client.run("powerflow", { network: NETWORK }, { onProgress: (p) => stages.push(p.stage) });
    expect(stages).toEqual(["parse", "prepare", "solve", "results"]);
    expect(res.summary.vmMinBusId).toBe(18);
    expect(res.buses.vmPu).toBeInstanceOf(Float64Array);
    expect(res.buses.vmPu[17]).toBeCloseTo(0.91309, 5);
    expect(workers).toHaveLength(1);
    expect(workers[0].lastResultTransfer.length).toBeGreaterThanOrEqual(10);
    expect(workers[0].lastResultTransfer.every((b) => (b as ArrayBuffer).byteLength === 0)).toBe(true); // detached at the sender
    expect(client.inFlight).toBe(0);
  });

  it("keeps concurrent calls apart by id", async () => {
    const { client } = clientWith();
    const lp = "Maximize\n obj: x\nSubject To\n c: x <= 2\nEnd";
    const [a, b] = await Promise.all([client.run("lp-solve", { lp }), client.run("powerflow", { network: NETWORK })]);
    expect(a.objective).toBe(2);
    expect(b.summary.converged).toBe(true);
  });

  it("rejects with the worker's error name and message", async () => {
    const { client } = clientWith();
    const err = await client.run("powerflow", { network: "{" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SolverError);
    expect(err).toMatchObject({ name: "GridFormatError", message: expect.stringMatching(/^not valid JSON/) });
  });

  it("cancels by terminating the worker, and the next call gets a fresh one", async () => {
    const { client, workers } = clientWith(true);
    const first = client.run("powerflow", { network: NETWORK });
    const second = client.run("lp-solve", { lp: "Minimize\n obj: x\nEnd" });
    client.cancel();
    await expect(first).rejects.toBeInstanceOf(SolverCancelledError);
    await expect(second).rejects.toBeInstanceOf(SolverCancelledError);
    expect(workers[0].terminated).toBe(true);
    expect(client.inFlight).toBe(0);
    void client.run("powerflow", { network: NETWORK }).catch(() => {});
    expect(workers).toHaveLength(2);
    expect(workers[1].terminated).toBe(false);
    client.dispose();
  });

  it("cancels through an AbortSignal, before and during a call", async () => {
    const { client, workers } = clientWith(true);
    const ctl = new AbortController();
    const call = client.run("powerflow", { network: NETWORK }, { signal: ctl.signal });
    ctl.abort();
    await expect(call).rejects.toBeInstanceOf(SolverCancelledError);
    expect(workers[0].terminated).toBe(true);
    await expect(client.run("powerflow", { network: NETWORK }, { signal: ctl.signal })).rejects.toBeInstanceOf(SolverCancelledError);
    expect(workers).toHaveLength(1);
  });

  it("rejects pending calls when the worker itself fails, and recovers", async () => {
    const { client, workers } = clientWith(true);
    const call = client.run("powerflow", { network: NETWORK });
    workers[0].crash("out of memory");
    await expect(call).rejects.toThrow("the solver worker failed: out of memory");
    expect(workers[0].terminated).toBe(true);
    void client.run("powerflow", { network: NETWORK }).catch(() => {});
    expect(workers).toHaveLength(2);
    client.dispose();
  });
});
