import type { PuNetwork } from "../grid/per-unit";

/**
 * What a power flow needs to know of a network's topology before any number is computed:
 * which buses are energized, which branches carry current, the bus types MATPOWER's
 * bustypes would give, and which generators control each voltage.
 */
export interface PowerFlowTopology {
  /** 1 for buses reachable from a slack bus through in-service branches. */
  energized: Uint8Array;
  /** Indices of buses cut off from every slack bus (excluding type-4 buses). */
  islandedBuses: number[];
  /** 1 for in-service branches between energized buses. */
  activeBranch: Uint8Array;
  ref: Int32Array;
  pv: Int32Array;
  pq: Int32Array;
  /** 1 for buses with an in-service generator that fixes their voltage (ref or pv). */
  genAtBus: Uint8Array;
  /** In-service generators at each slack or PV bus, in file order. */
  controllingGenerators: Map<number, number[]>;
  /** Complex off-nominal ratio t = tap·e^{j·shift} of each branch. */
  tapRe: Float64Array;
  tapIm: Float64Array;
}

/** Buses reachable from the slack buses (or, without one, from the first PV bus, as MATPOWER's bustypes). */
function energizedBuses(pu: PuNetwork, genOn: Uint8Array): { energized: Uint8Array; roots: number[] } {
  const nb = pu.nb;
  const adj: number[][] = Array.from({ length: nb }, () => []);
  for (let l = 0; l < pu.nl; l++) {
    if (!pu.brStatus[l]) continue;
    const f = pu.brFrom[l];
    const t = pu.brTo[l];
    if (pu.busType[f] === 4 || pu.busType[t] === 4) continue;
    adj[f].push(t);
    adj[t].push(f);
  }
  let roots: number[] = [];
  for (let i = 0; i < nb; i++) if (pu.busType[i] === 3 && genOn[i]) roots.push(i);
  if (roots.length === 0) {
    for (let i = 0; i < nb; i++) {
      if (pu.busType[i] === 2 && genOn[i]) {
        roots = [i];
        break;
      }
    }
  }
  const energized = new Uint8Array(nb);
  const queue = [...roots];
  for (const r of roots) energized[r] = 1;
  while (queue.length) {
    const i = queue.pop()!;
    for (const k of adj[i]) {
      if (!energized[k]) {
        energized[k] = 1;
        queue.push(k);
      }
    }
  }
  return { energized, roots };
}

export function analyzeTopology(pu: PuNetwork): PowerFlowTopology {
  const nb = pu.nb;
  const genOn = new Uint8Array(nb);
  for (let g = 0; g < pu.ng; g++) if (pu.genStatus[g]) genOn[pu.genBus[g]] = 1;
  const { energized, roots } = energizedBuses(pu, genOn);
  const islandedBuses: number[] = [];
  for (let i = 0; i < nb; i++) if (!energized[i] && pu.busType[i] !== 4) islandedBuses.push(i);
  const activeBranch = new Uint8Array(pu.nl);
  for (let l = 0; l < pu.nl; l++) activeBranch[l] = pu.brStatus[l] && energized[pu.brFrom[l]] && energized[pu.brTo[l]] ? 1 : 0;

  const ref: number[] = [];
  const pv: number[] = [];
  const pq: number[] = [];
  const rootSet = new Set(roots);
  for (let i = 0; i < nb; i++) {
    if (!energized[i]) continue;
    if (rootSet.has(i) || (pu.busType[i] === 3 && genOn[i])) ref.push(i);
    else if (pu.busType[i] === 2 && genOn[i]) pv.push(i);
    else pq.push(i);
  }
  const genAtBus = new Uint8Array(nb);
  for (const i of ref) genAtBus[i] = genOn[i];
  for (const i of pv) genAtBus[i] = 1;

  const tapRe = new Float64Array(pu.nl);
  const tapIm = new Float64Array(pu.nl);
  for (let l = 0; l < pu.nl; l++) {
    tapRe[l] = pu.brTap[l] * Math.cos(pu.brShift[l]);
    tapIm[l] = pu.brTap[l] * Math.sin(pu.brShift[l]);
  }
  const controllingGenerators = new Map<number, number[]>();
  for (let g = 0; g < pu.ng; g++) {
    const b = pu.genBus[g];
    if (!pu.genStatus[g] || !genAtBus[b]) continue;
    const list = controllingGenerators.get(b) ?? [];
    list.push(g);
    controllingGenerators.set(b, list);
  }
  return { energized, islandedBuses, activeBranch, ref: Int32Array.from(ref), pv: Int32Array.from(pv), pq: Int32Array.from(pq), genAtBus, controllingGenerators, tapRe, tapIm };
}
