import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

/**
 * A fixed set of Node worker threads running one TypeScript entry, each keeping its own
 * state between calls (a warm solver): `call(i, message)` posts to thread i and resolves
 * with its reply. Threads start lazily and stop with `dispose`.
 */
export class NodeThreadPool<Req, Res> {
  private readonly workers: Worker[] = [];
  private readonly queues: { resolve: (r: Res) => void; reject: (e: Error) => void }[][] = [];

  constructor(
    private readonly entry: URL,
    readonly size: number = defaultThreads(),
    private readonly init?: unknown,
  ) {}

  private worker(i: number): Worker {
    if (this.workers[i]) return this.workers[i];
    const w = new Worker(new URL("./ts-worker-boot.mjs", import.meta.url), { workerData: { entry: this.entry.href, init: this.init } });
    const queue: { resolve: (r: Res) => void; reject: (e: Error) => void }[] = [];
    w.on("message", (m: { ok: true; value: Res } | { ok: false; error: string }) => {
      const next = queue.shift();
      if (!next) return;
      if (m.ok) next.resolve(m.value);
      else next.reject(new Error(m.error));
    });
    w.on("error", (e) => {
      for (const q of queue.splice(0)) q.reject(e);
    });
    this.workers[i] = w;
    this.queues[i] = queue;
    return w;
  }

  call(i: number, message: Req): Promise<Res> {
    const w = this.worker(i);
    return new Promise<Res>((resolve, reject) => {
      this.queues[i].push({ resolve, reject });
      w.postMessage(message);
    });
  }

  async dispose(): Promise<void> {
    await Promise.all(this.workers.map((w) => w?.terminate()));
    this.workers.length = 0;
  }
}

/** Every core but none beyond: worker threads for CPU-bound jobs. */
export function defaultThreads(): number {
  return Math.max(1, availableParallelism());
}
