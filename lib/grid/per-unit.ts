import type { Network } from "./types";

/**
 * The one place where engineering units become per-unit (system base baseMVA) and
 * element lists become typed arrays indexed by position. Solvers work on this.
 */
export interface PuNetwork {
  baseMVA: number;
  nb: number;
  nl: number;
  ng: number;
  busIds: Int32Array;
  busIndex: Map<number, number>;
  /** 1 PQ, 2 PV, 3 REF, 4 isolated (as in the file). */
  busType: Uint8Array;
  /** Net fixed demand per bus (bus Pd + loads - scheduled FPU injection), p.u. */
  pd: Float64Array;
  qd: Float64Array;
  gs: Float64Array;
  bs: Float64Array;
  vm0: Float64Array;
  /** Radians. */
  va0: Float64Array;
  vmax: Float64Array;
  vmin: Float64Array;
  brFrom: Int32Array;
  brTo: Int32Array;
  brR: Float64Array;
  brX: Float64Array;
  brB: Float64Array;
  /** rateA in p.u. of baseMVA; 0 = unlimited. */
  brRate: Float64Array;
  /** Effective off-nominal ratio (1 where the file says 0). */
  brTap: Float64Array;
  /** Radians. */
  brShift: Float64Array;
  brStatus: Uint8Array;
  genBus: Int32Array;
  genPg: Float64Array;
  genQg: Float64Array;
  genQmax: Float64Array;
  genQmin: Float64Array;
  genVg: Float64Array;
  genStatus: Uint8Array;
}

const TYPE_CODE = { PQ: 1, PV: 2, REF: 3, NONE: 4 } as const;
const DEG = Math.PI / 180;

export function toPerUnit(net: Network): PuNetwork {
  const base = net.baseMVA;
  const nb = net.buses.length;
  const nl = net.branches.length;
  const ng = net.generators.length;
  const busIndex = new Map<number, number>();
  net.buses.forEach((b, i) => busIndex.set(b.id, i));
  const idx = (id: number) => {
    const i = busIndex.get(id);
    if (i === undefined) throw new Error(`unknown bus ${id}`);
    return i;
  };
  const pu: PuNetwork = {
    baseMVA: base,
    nb,
    nl,
    ng,
    busIds: Int32Array.from(net.buses, (b) => b.id),
    busIndex,
    busType: Uint8Array.from(net.buses, (b) => TYPE_CODE[b.type]),
    pd: Float64Array.from(net.buses, (b) => b.pdMw / base),
    qd: Float64Array.from(net.buses, (b) => b.qdMvar / base),
    gs: Float64Array.from(net.buses, (b) => b.gsMw / base),
    bs: Float64Array.from(net.buses, (b) => b.bsMvar / base),
    vm0: Float64Array.from(net.buses, (b) => b.vmPu),
    va0: Float64Array.from(net.buses, (b) => b.vaDeg * DEG),
    vmax: Float64Array.from(net.buses, (b) => b.vmaxPu),
    vmin: Float64Array.from(net.buses, (b) => b.vminPu),
    brFrom: Int32Array.from(net.branches, (br) => idx(br.from)),
    brTo: Int32Array.from(net.branches, (br) => idx(br.to)),
    brR: Float64Array.from(net.branches, (br) => br.rPu),
    brX: Float64Array.from(net.branches, (br) => br.xPu),
    brB: Float64Array.from(net.branches, (br) => br.bPu),
    brRate: Float64Array.from(net.branches, (br) => br.rateAMva / base),
    brTap: Float64Array.from(net.branches, (br) => (br.tap === 0 ? 1 : br.tap)),
    brShift: Float64Array.from(net.branches, (br) => br.shiftDeg * DEG),
    brStatus: Uint8Array.from(net.branches, (br) => (br.inService ? 1 : 0)),
    genBus: Int32Array.from(net.generators, (g) => idx(g.bus)),
    genPg: Float64Array.from(net.generators, (g) => g.pgMw / base),
    genQg: Float64Array.from(net.generators, (g) => g.qgMvar / base),
    genQmax: Float64Array.from(net.generators, (g) => g.qmaxMvar / base),
    genQmin: Float64Array.from(net.generators, (g) => g.qminMvar / base),
    genVg: Float64Array.from(net.generators, (g) => g.vgPu),
    genStatus: Uint8Array.from(net.generators, (g) => (g.inService ? 1 : 0)),
  };
  for (const l of net.loads) {
    const i = idx(l.bus);
    pu.pd[i] += l.pMw / base;
    pu.qd[i] += l.qMvar / base;
  }
  for (const f of net.fpus) {
    const i = idx(f.bus);
    pu.pd[i] -= f.pMw / base;
    pu.qd[i] -= f.qMvar / base;
  }
  return pu;
}
