import { fromTriplets, type CscMatrix } from "../sparse/csc";
import type { Ybus } from "./ybus";

/**
 * The power-flow Jacobian in 2×2 blocks: its pattern, built once per topology, and its
 * values, refilled at every Newton iteration from the voltages and currents.
 *
 * Every block holds a bus's angle and magnitude: rows (P_i, Q_i) and columns (Va_i, Vm_i).
 * For PV buses the Q row is replaced by dVm_i = 0, which leaves the Newton step identical
 * to MATPOWER's reduced Jacobian while keeping 2×2 blocks.
 */
export interface JacobianPattern {
  /** Block of each bus (-1 for slack and de-energized buses). */
  blockOf: Int32Array;
  /** Bus of each block. */
  blockBus: Int32Array;
  nBlocks: number;
  /** Block pattern (CSC over blocks). */
  jacPtr: Int32Array;
  jacRow: Int32Array;
  /** Row of each Ybus entry, and its block position in the pattern (-1 if none). */
  ybusRow: Int32Array;
  ybusBlock: Int32Array;
  isPv: Uint8Array;
}

/** One block per energized non-slack bus, in bus order; block (i, k) wherever Y_ik ≠ 0 (Ybus is structurally symmetric). */
export function jacobianPattern(ybus: Ybus, nb: number, pv: Int32Array, pq: Int32Array): JacobianPattern {
  const blockOf = new Int32Array(nb).fill(-1);
  const blockBus: number[] = [];
  for (const i of [...pv, ...pq].sort((a, b) => a - b)) {
    blockOf[i] = blockBus.length;
    blockBus.push(i);
  }
  const nB = blockBus.length;
  const isPv = new Uint8Array(nb);
  for (const i of pv) isPv[i] = 1;

  const nnzY = ybus.rowPtr[nb];
  const ybusRow = new Int32Array(nnzY);
  for (let i = 0; i < nb; i++) for (let p = ybus.rowPtr[i]; p < ybus.rowPtr[i + 1]; p++) ybusRow[p] = i;
  const jacPtr = new Int32Array(nB + 1);
  for (let b = 0; b < nB; b++) {
    const k = blockBus[b];
    let c = 0;
    for (let p = ybus.rowPtr[k]; p < ybus.rowPtr[k + 1]; p++) if (blockOf[ybus.colIdx[p]] >= 0) c++;
    jacPtr[b + 1] = jacPtr[b] + c;
  }
  const jacRow = new Int32Array(jacPtr[nB]);
  const slot = new Map<number, number>();
  for (let b = 0; b < nB; b++) {
    const k = blockBus[b];
    let o = jacPtr[b];
    for (let p = ybus.rowPtr[k]; p < ybus.rowPtr[k + 1]; p++) {
      const i = ybus.colIdx[p];
      if (blockOf[i] < 0) continue;
      jacRow[o] = blockOf[i];
      slot.set(blockOf[i] * nB + b, o);
      o++;
    }
  }
  const ybusBlock = new Int32Array(nnzY).fill(-1);
  for (let p = 0; p < nnzY; p++) {
    const bi = blockOf[ybusRow[p]];
    const bk = blockOf[ybus.colIdx[p]];
    if (bi >= 0 && bk >= 0) ybusBlock[p] = slot.get(bi * nB + bk)!;
  }
  return { blockOf, blockBus: Int32Array.from(blockBus), nBlocks: nB, jacPtr, jacRow, ybusRow, ybusBlock, isPv };
}

/** Rectangular voltages, their magnitudes and the bus currents I = Ybus V. */
export interface ElectricalState {
  vr: Float64Array;
  vi: Float64Array;
  vabs: Float64Array;
  ir: Float64Array;
  ii: Float64Array;
}

/**
 * Jacobian values from the voltages and currents (MATPOWER's dSbus_dV), 4 per block
 * row-major, at J[4·slots[p]] for Ybus entry p (entries with slot -1 are skipped):
 *   dS/dVa = j diag(V) conj(diag(I) - Y diag(V)),
 *   dS/dVm = diag(V) conj(Y diag(V/|V|)) + conj(diag(I)) diag(V/|V|).
 */
export function fillJacobian(J: Float64Array, slots: Int32Array, ybus: Ybus, pattern: JacobianPattern, s: ElectricalState): void {
  const { re, im, colIdx } = ybus;
  const { ybusRow, isPv } = pattern;
  const { vr, vi, ir, ii, vabs } = s;
  const nnz = colIdx.length;
  for (let p = 0; p < nnz; p++) {
    const o = slots[p];
    if (o < 0) continue;
    const i = ybusRow[p];
    const k = colIdx[p];
    // W = Y_ik V_k ; V_i conj(W) = a + jb
    const wr = re[p] * vr[k] - im[p] * vi[k];
    const wi = re[p] * vi[k] + im[p] * vr[k];
    const a = vr[i] * wr + vi[i] * wi;
    const b = vi[i] * wr - vr[i] * wi;
    // -j (a + jb) = b - ja
    let dPa = b;
    let dQa = -a;
    const vmk = vabs[k];
    let dPm = a / vmk;
    let dQm = b / vmk;
    if (i === k) {
      // c + jd = V_i conj(I_i)
      const c = vr[i] * ir[i] + vi[i] * ii[i];
      const d = vi[i] * ir[i] - vr[i] * ii[i];
      dPa -= d;
      dQa += c;
      dPm += c / vmk;
      dQm += d / vmk;
    }
    const q = 4 * o;
    const pvk = isPv[k];
    J[q] = dPa;
    J[q + 1] = pvk ? 0 : dPm;
    if (isPv[i]) {
      J[q + 2] = 0;
      J[q + 3] = i === k ? 1 : 0;
    } else {
      J[q + 2] = dQa;
      J[q + 3] = pvk ? 0 : dQm;
    }
  }
}

/** The block pattern as a scalar CSC matrix (2 rows and columns per block), and the block value each entry takes. */
export function scalarJacobian(pattern: JacobianPattern): { jac: CscMatrix; map: Int32Array } {
  const { nBlocks: nB, jacPtr, jacRow } = pattern;
  const ti: number[] = [];
  const tj: number[] = [];
  const src: number[] = [];
  for (let b = 0; b < nB; b++) {
    for (let o = jacPtr[b]; o < jacPtr[b + 1]; o++) {
      const r = jacRow[o];
      for (let e = 0; e < 4; e++) {
        ti.push(2 * r + (e >> 1));
        tj.push(2 * b + (e & 1));
        src.push(4 * o + e);
      }
    }
  }
  // Positions are unique, so fromTriplets keeps one entry per triplet; map them back.
  const jac = fromTriplets(
    2 * nB,
    2 * nB,
    ti,
    tj,
    Float64Array.from(src, (_, k) => k),
  );
  return { jac, map: Int32Array.from(jac.values, (k) => src[k]) };
}
