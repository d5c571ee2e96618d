import { fork, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

/** Reads timed by another process while this one does heavy work (an upload, a BCM run). */
export interface SeparateReads {
  latenciesMs: number[];
  statuses: number[];
}

/**
 * A reader process (lib/testing/read-timer.mjs) that GETs `url` with `cookie` back to back
 * between start() and stop(): the latencies it reports are not held up by this process's
 * own work (building and sending a 12 MB form runs on the thread that would otherwise time
 * the reads). Started once, used for several measurements; close() ends it.
 */
export async function startReader(url: string, cookie: string, gapMs = 5) {
  const child: ChildProcess = fork(fileURLToPath(new URL("./read-timer.mjs", import.meta.url)), [], { execArgv: [], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const next = async <T>(type: string): Promise<T> => {
    for (;;) {
      const [msg] = (await once(child, "message")) as [{ type: string } & T];
      if (msg.type === type) return msg;
    }
  };
  await next("ready");
  return {
    start(): void {
      child.send({ type: "start", url, cookie, gapMs });
    },
    async stop(): Promise<SeparateReads> {
      const reply = next<SeparateReads>("reads");
      child.send({ type: "stop" });
      const { latenciesMs, statuses } = await reply;
      return { latenciesMs, statuses };
    },
    async close(): Promise<void> {
      const exited = once(child, "exit");
      child.send({ type: "exit" });
      await exited;
    },
  };
}
