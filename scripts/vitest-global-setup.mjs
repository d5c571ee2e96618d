// vitest globalSetup: the worker pool's entry (lib/server/pool/worker.mjs) is build output;
// bundle it once before the tests, so they run the same file `next start` does.
import { buildPoolWorker } from "./build-pool-worker.mjs";

export default async function setup() {
  await buildPoolWorker();
}
