import type { FromWorker, ProgressOf, RequestOf, ResultOf, SolverMessageType, ToWorker } from "@/solver-worker/protocol";

/** The part of a Worker the client uses (a real module Worker, or an in-process fake in tests). */
export interface WorkerLike {
  postMessage(message: ToWorker, transfer: Transferable[]): void;
  terminate(): void;
  onmessage: ((event: MessageEvent<FromWorker>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
}

export class SolverCancelledError extends Error {
  constructor(message = "cancelled") {
    super(message);
    this.name = "SolverCancelledError";
  }
}

/** An error the worker reported for one request (name and message as thrown there). */
export class SolverError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

export interface RunOptions<T extends SolverMessageType> {
  onProgress?: (progress: ProgressOf<T>) => void;
  /** Aborting terminates the worker (cancelling every call in flight on it). */
  signal?: AbortSignal;
  /** Buffers of the request to move instead of copy. */
  transfer?: Transferable[];
}

interface Pending {
  resolve: (value: never) => void;
  reject: (reason: unknown) => void;
  onProgress?: (progress: never) => void;
}

/**
 * Promise-based calls into the solver worker. The worker is created on first use;
 * cancel() terminates it (the only way to stop a synchronous solve) and the next
 * call starts a fresh one.
 */
export class SolverClient {
  private worker: WorkerLike | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly createWorker: () => WorkerLike) {}

  run<T extends SolverMessageType>(type: T, request: RequestOf<T>, opts: RunOptions<T> = {}): Promise<ResultOf<T>> {
    if (opts.signal?.aborted) return Promise.reject(new SolverCancelledError());
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise<ResultOf<T>>((resolve, reject) => {
      const onAbort = () => this.cancel();
      opts.signal?.addEventListener("abort", onAbort, { once: true });
      const done = () => opts.signal?.removeEventListener("abort", onAbort);
      this.pending.set(id, {
        resolve: ((v: ResultOf<T>) => {
          done();
          resolve(v);
        }) as (v: never) => void,
        reject: (e) => {
          done();
          reject(e);
        },
        onProgress: opts.onProgress as ((p: never) => void) | undefined,
      });
      worker.postMessage({ kind: "request", id, type, request } as ToWorker, opts.transfer ?? []);
    });
  }

  /** Stop the worker now; every pending call rejects with SolverCancelledError. */
  cancel(reason = "cancelled"): void {
    this.dropWorker(new SolverCancelledError(reason));
  }

  /** Start the worker now (its module loads and compiles while the page idles), not on the first call. */
  warm(): void {
    this.ensureWorker();
  }

  /** Number of calls waiting for a result. */
  get inFlight(): number {
    return this.pending.size;
  }

  dispose(): void {
    this.cancel("the solver client was disposed");
  }

  private ensureWorker(): WorkerLike {
    if (this.worker) return this.worker;
    const worker = this.createWorker();
    worker.onmessage = (event) => this.receive(event.data);
    worker.onerror = (event) => {
      event.preventDefault?.();
      this.dropWorker(new SolverError("WorkerError", `the solver worker failed: ${event.message || "it could not be started"}`));
    };
    this.worker = worker;
    return worker;
  }

  private dropWorker(reason: Error): void {
    this.worker?.terminate();
    this.worker = null;
    const calls = [...this.pending.values()];
    this.pending.clear();
    for (const call of calls) call.reject(reason);
  }

  private receive(msg: FromWorker): void {
    const call = this.pending.get(msg.id);
    if (!call) return;
    if (msg.kind === "progress") {
      call.onProgress?.(msg.progress as never);
      return;
    }
    this.pending.delete(msg.id);
    if (msg.kind === "result") call.resolve(msg.result as never);
    else call.reject(new SolverError(msg.error.name, msg.error.message));
  }
}

/** The browser's client: a module Web Worker bundled from solver-worker/worker.ts. */
export function createBrowserSolverClient(): SolverClient {
  return new SolverClient(() => new Worker(new URL("../../solver-worker/worker.ts", import.meta.url), { type: "module", name: "flexplat-solver" }) as unknown as WorkerLike);
}
