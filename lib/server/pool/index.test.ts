import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POOL_LIMITS } from "@/lib/limits";
import { ApiError } from "../errors";
import { closePool, runTask } from "./index";

// One thread, so a second task waits in the queue behind the first.
beforeAll(() => {
  process.env.FLEXPLAT_POOL_THREADS = "1";
});
afterAll(closePool);

const statusOf = (e: unknown) => (e instanceof ApiError ? e.status : e);

describe("the pool's time limits", () => {
  it("counts a task's time on its thread, not its wait in the queue", async () => {
    await runTask("spin", { ms: 0 }); // the thread started and its bundle loaded
    const first = runTask("spin", { ms: 1_200 });
    // Waits about 1.2 s for the thread: more than its 500 ms limit, which must not count the wait.
    const queued = runTask("spin", { ms: 10 }, { timeoutMs: 500 });
    await expect(queued).resolves.toBeGreaterThan(0);
    await first;
  });

  it("stops a task running past its limit with 400 naming the limit", async () => {
    const e = await runTask("spin", { ms: 5_000 }, { timeoutMs: 300 }).catch((x: unknown) => x);
    expect(statusOf(e)).toBe(400);
    expect((e as Error).message).toBe("the work took longer than 0.3 s (the limit) and was stopped");
  });

  it("answers 503 when the wait for a thread passes queueWaitMs, and leaves the running task alone", async () => {
    const first = runTask("spin", { ms: 1_200 });
    const e = await runTask("spin", { ms: 0 }, { queueWaitMs: 300 }).catch((x: unknown) => x);
    expect(statusOf(e)).toBe(503);
    expect((e as ApiError).headers["retry-after"]).toBe("5");
    await expect(first).resolves.toBeGreaterThan(0);
  });

  it("answers 429 when the queue is full", async () => {
    await runTask("spin", { ms: 0 }); // a thread ready (the one test above terminated)
    const first = runTask("spin", { ms: 1_500 });
    await new Promise((r) => setTimeout(r, 200)); // the thread has taken it
    const queued = Array.from({ length: POOL_LIMITS.maxQueue + 4 }, () => runTask("spin", { ms: 0 }).then(() => 200, statusOf));
    const statuses = await Promise.all(queued);
    expect(statuses.slice(0, POOL_LIMITS.maxQueue)).toEqual(Array(POOL_LIMITS.maxQueue).fill(200));
    expect(statuses.slice(POOL_LIMITS.maxQueue)).toEqual([429, 429, 429, 429]);
    await first;
  });
});
