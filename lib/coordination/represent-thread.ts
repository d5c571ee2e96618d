import { parentPort } from "node:worker_threads";
import type { Network } from "../grid/types";
import type { FlexUnit } from "../regions/units";
import { represent } from "./represent";
import type { CoordMethod } from "./representation";

/** Worker-thread entry: one distribution system's region and cost per message (the study's offline step). */
parentPort!.on("message", (m: { net: Network; method: CoordMethod; units: FlexUnit[]; pqvMargin?: boolean; pqvHull?: boolean }) => {
  represent(m.net, m.method, { units: m.units, pqvMargin: m.pqvMargin, pqvHull: m.pqvHull }).then(
    (value) => parentPort!.postMessage({ ok: true, value }),
    (e: Error) => parentPort!.postMessage({ ok: false, error: e.message }),
  );
});
