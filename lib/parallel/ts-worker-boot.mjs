// Worker-thread bootstrap for TypeScript entries: Node's worker threads do not inherit
// tsx's loader, so register it here, then import the entry named in workerData.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.entry);
