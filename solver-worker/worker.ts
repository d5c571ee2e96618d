/// <reference lib="webworker" />
import { dispatch } from "./handlers";
import { configureHighs } from "./highs";
import type { ToWorker } from "./protocol";

// Module worker entry: new Worker(new URL("../../solver-worker/worker.ts", import.meta.url), { type: "module" }).
declare const self: DedicatedWorkerGlobalScope;

configureHighs({ locateFile: (file) => `/${file}` });

self.onmessage = (event: MessageEvent<ToWorker>) => {
  void dispatch(event.data, (message, transfer) => self.postMessage(message, transfer));
};
