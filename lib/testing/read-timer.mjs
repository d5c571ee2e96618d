// A process that only times reads (lib/testing/separate-reads.ts forks it): its event loop
// does nothing else, so a read's latency is the server's and the network's, not that of a
// client busy building and sending a 12 MB upload. Plain JavaScript with Node's builtins
// only, so it starts quickly under any loader.
//
// Messages from the parent: { type: "start", url, cookie, gapMs } begins reading `url`
// back to back (a pause of gapMs between reads); { type: "stop" } ends after the read in
// flight and answers { latenciesMs, statuses }; { type: "exit" } ends the process.
import { setTimeout as sleep } from "node:timers/promises";

let running = null;
let stopRequested = false;

async function readLoop({ url, cookie, gapMs }) {
  const latenciesMs = [];
  const statuses = [];
  do {
    const t0 = performance.now();
    let status = 0;
    try {
      const res = await fetch(url, { headers: { cookie } });
      await res.arrayBuffer();
      status = res.status;
    } catch {
      status = -1;
    }
    latenciesMs.push(performance.now() - t0);
    statuses.push(status);
    await sleep(gapMs);
  } while (!stopRequested);
  return { latenciesMs, statuses };
}

process.on("message", async (msg) => {
  if (msg.type === "start") {
    stopRequested = false;
    running = readLoop(msg);
  } else if (msg.type === "stop") {
    stopRequested = true;
    process.send({ type: "reads", ...(running ? await running : { latenciesMs: [], statuses: [] }) });
    running = null;
  } else if (msg.type === "exit") {
    process.disconnect();
  }
});
process.send({ type: "ready" });
