import { NodeThreadPool } from "../parallel/node-pool";
import type { Network } from "../grid/types";
import type { FlexUnit } from "../regions/units";
import type { Represented } from "./represent";
import type { CoordMethod } from "./representation";

/**
 * The DSOs' regions built on Node worker threads, one distribution system per call and each
 * thread taking the next system when it is done (29 systems of very different sizes).
 */
export async function representOnThreads(
  systems: { net: Network; units: FlexUnit[] }[],
  method: CoordMethod,
  threads: number,
  onDone?: (done: number, total: number) => void,
  opts: { pqvMargin?: boolean; pqvHull?: boolean } = {},
): Promise<Represented[]> {
  const pool = new NodeThreadPool<{ net: Network; method: CoordMethod; units: FlexUnit[]; pqvMargin?: boolean; pqvHull?: boolean }, Represented>(
    new URL("./represent-thread.ts", import.meta.url),
    Math.min(threads, systems.length),
  );
  const out: Represented[] = new Array(systems.length);
  let next = 0;
  let done = 0;
  try {
    await Promise.all(
      Array.from({ length: pool.size }, async (_, i) => {
        while (next < systems.length) {
          const k = next++;
          out[k] = await pool.call(i, { net: systems[k].net, method, units: systems[k].units, pqvMargin: opts.pqvMargin, pqvHull: opts.pqvHull });
          onDone?.(++done, systems.length);
        }
      }),
    );
  } finally {
    await pool.dispose();
  }
  return out;
}
