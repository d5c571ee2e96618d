import type { PuNetwork } from "../grid/per-unit";
import { BlockLU2 } from "../sparse/block-lu";
import { fromTriplets, type CscMatrix } from "../sparse/csc";
import { SparseLU } from "../sparse/lu";
import { branchAdmittances, buildYbus, type BranchAdmittances, type Ybus } from "./ybus";

export type PowerFlowStatus = "converged" | "max_iterations" | "diverged" | "singular" | "no_slack";

export interface NewtonOptions {
  /** Largest allowed |mismatch| in p.u. (MATPOWER's pf.tol). */
  tol?: number;
  maxIterations?: number;
}

export interface NewtonSolution {
  status: PowerFlowStatus;
  iterations: number;
  maxMismatchPu: number;
  /** Bus voltages, all buses in file order (0 for de-energized buses). */
  vm: Float64Array;
  va: Float64Array;
}

/** Injections that change between solves on one topology (p.u.). */
export interface Injections {
  /** Net fixed demand per bus. */
  pd: Float64Array;
  qd: Float64Array;
  /** Generator set-points (p.u.); defaults to the network's. */
  genPg?: Float64Array;
  genQg?: Float64Array;
}

/**
 * Newton–Raphson AC power flow in polar coordinates (MATPOWER's newtonpf) with
 * everything that depends only on the topology and bus types built once: Ybus, the
 * Jacobian pattern with the position of every entry, and the sparse LU's ordering
 * and pivot sequence. Repeated solves (Newton iterations, operating points, batch
 * scenarios, finite differences) only refill values and refactorize.
 *
 * Buses not connected to a slack bus through in-service branches are de-energized
 * (voltage 0) and listed in `islandedBuses`; isolated buses (type 4) likewise.
 */
export class PowerFlowSolver {
  readonly pu: PuNetwork;
  readonly ybus: Ybus;
  readonly branchY: BranchAdmittances;
  readonly energized: Uint8Array;
  /** Indices of buses cut off from every slack bus (excluding type-4 buses). */
  readonly islandedBuses: number[];
  readonly ref: Int32Array;
  readonly pv: Int32Array;
  readonly pq: Int32Array;
  /**
   * Block of each bus in the Jacobian (-1 for slack and de-energized buses). Every
   * block holds the bus's angle and magnitude: rows (P_i, Q_i) and columns
   * (Va_i, Vm_i). For PV buses the Q row is replaced by dVm_i = 0, which leaves the
   * Newton step identical to MATPOWER's reduced Jacobian while keeping 2x2 blocks.
   */
  readonly blockOf: Int32Array;
  /** Bus of each block. */
  readonly blockBus: Int32Array;
  readonly nBlocks: number;
  /** Block pattern (CSC over blocks) and 4 values per block, row-major. */
  readonly jacPtr: Int32Array;
  readonly jacRow: Int32Array;
  readonly jacValues: Float64Array;
  /** Block position of each Ybus entry in the Jacobian pattern (-1 if none), and its slot in the LU storage. */
  private readonly ybusBlock: Int32Array;
  private readonly ybusSlot: Int32Array;
  private readonly ybusRow: Int32Array;
  private readonly isPv: Uint8Array;
  readonly lu: BlockLU2;
  /** Pivoting scalar LU, built only if a 2x2 diagonal block turns singular. */
  private fallback: { lu: SparseLU; map: Int32Array; jac: CscMatrix } | null = null;
  private useFallback = false;
  /** Buses with an in-service generator that fixes their voltage (ref or pv). */
  private readonly genAtBus: Uint8Array;
  readonly activeBranch: Uint8Array;
  /** Complex off-nominal ratio t = tap·e^{j·shift} of each branch. */
  readonly tapRe: Float64Array;
  readonly tapIm: Float64Array;
  /** In-service generators at each slack or PV bus, in file order. */
  readonly controllingGenerators: Map<number, number[]>;
  // Work arrays.
  private readonly vr: Float64Array;
  private readonly vi: Float64Array;
  private readonly ir: Float64Array;
  private readonly ii: Float64Array;
  private readonly vabs: Float64Array;
  private readonly f: Float64Array;
  private evaluated: NewtonSolution | null = null;
  private readonly dx: Float64Array;

  constructor(pu: PuNetwork) {
    this.pu = pu;
    const nb = pu.nb;
    const genOn = new Uint8Array(nb);
    for (let g = 0; g < pu.ng; g++) if (pu.genStatus[g]) genOn[pu.genBus[g]] = 1;

    // Energized buses: reachable from a slack bus with a generator.
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
      // MATPOWER's bustypes: without a slack bus, the first PV bus becomes the reference.
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
    this.energized = energized;
    this.islandedBuses = [];
    for (let i = 0; i < nb; i++) if (!energized[i] && pu.busType[i] !== 4) this.islandedBuses.push(i);
    const active = new Uint8Array(pu.nl);
    for (let l = 0; l < pu.nl; l++) active[l] = pu.brStatus[l] && energized[pu.brFrom[l]] && energized[pu.brTo[l]] ? 1 : 0;
    this.activeBranch = active;

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
    this.ref = Int32Array.from(ref);
    this.pv = Int32Array.from(pv);
    this.pq = Int32Array.from(pq);
    this.genAtBus = new Uint8Array(nb);
    for (const i of ref) this.genAtBus[i] = genOn[i];
    for (const i of pv) this.genAtBus[i] = 1;

    this.tapRe = new Float64Array(pu.nl);
    this.tapIm = new Float64Array(pu.nl);
    for (let l = 0; l < pu.nl; l++) {
      this.tapRe[l] = pu.brTap[l] * Math.cos(pu.brShift[l]);
      this.tapIm[l] = pu.brTap[l] * Math.sin(pu.brShift[l]);
    }
    this.controllingGenerators = new Map();
    for (let g = 0; g < pu.ng; g++) {
      const b = pu.genBus[g];
      if (!pu.genStatus[g] || !this.genAtBus[b]) continue;
      const list = this.controllingGenerators.get(b) ?? [];
      list.push(g);
      this.controllingGenerators.set(b, list);
    }
    this.branchY = branchAdmittances(pu, active);
    const ybus = buildYbus(pu, this.branchY, active);
    // Shunts of de-energized buses do not matter; keep their rows out of the Jacobian.
    this.ybus = ybus;

    // Jacobian blocks: one per energized non-slack bus, in bus order.
    const blockOf = new Int32Array(nb).fill(-1);
    const blockBus: number[] = [];
    for (const i of [...pv, ...pq].sort((a, b) => a - b)) {
      blockOf[i] = blockBus.length;
      blockBus.push(i);
    }
    this.blockOf = blockOf;
    this.blockBus = Int32Array.from(blockBus);
    const nB = blockBus.length;
    this.nBlocks = nB;
    this.isPv = new Uint8Array(nb);
    for (const i of pv) this.isPv[i] = 1;

    const nnzY = ybus.rowPtr[nb];
    const ybusRow = new Int32Array(nnzY);
    for (let i = 0; i < nb; i++) for (let p = ybus.rowPtr[i]; p < ybus.rowPtr[i + 1]; p++) ybusRow[p] = i;
    this.ybusRow = ybusRow;
    // Block pattern by block column k: rows i with Y_ik != 0 (Ybus is structurally symmetric).
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
    this.jacPtr = jacPtr;
    this.jacRow = jacRow;
    this.jacValues = new Float64Array(4 * jacPtr[nB]);
    this.ybusBlock = new Int32Array(nnzY).fill(-1);
    for (let p = 0; p < nnzY; p++) {
      const bi = blockOf[ybusRow[p]];
      const bk = blockOf[ybus.colIdx[p]];
      if (bi >= 0 && bk >= 0) this.ybusBlock[p] = slot.get(bi * nB + bk)!;
    }
    this.lu = new BlockLU2(jacPtr, jacRow);
    this.ybusSlot = Int32Array.from(this.ybusBlock, (o) => (o < 0 ? -1 : this.lu.inputSlot[o]));

    this.vr = new Float64Array(nb);
    this.vi = new Float64Array(nb);
    this.ir = new Float64Array(nb);
    this.ii = new Float64Array(nb);
    this.vabs = new Float64Array(nb);
    this.f = new Float64Array(2 * nB);
    this.dx = new Float64Array(2 * nB);
  }

  /** The network's own injections (p.u.). */
  baseInjections(): Injections {
    return { pd: this.pu.pd, qd: this.pu.qd };
  }

  /**
   * MATPOWER's initial voltage: bus Vm/Va from the case, generator set-points Vg on
   * buses whose voltage a generator controls (the last such generator wins).
   */
  initialVoltage(): { vm: Float64Array; va: Float64Array } {
    const pu = this.pu;
    const vm = Float64Array.from(pu.vm0);
    const va = Float64Array.from(pu.va0);
    for (let g = 0; g < pu.ng; g++) {
      const b = pu.genBus[g];
      if (pu.genStatus[g] && this.genAtBus[b] && this.energized[b]) vm[b] = pu.genVg[g];
    }
    for (let i = 0; i < pu.nb; i++) {
      if (!this.energized[i]) {
        vm[i] = 0;
        va[i] = 0;
      }
    }
    return { vm, va };
  }

  /** Net complex injection (generation - demand) per bus, p.u. */
  netInjection(inj: Injections): { p: Float64Array; q: Float64Array } {
    const pu = this.pu;
    const p = new Float64Array(pu.nb);
    const q = new Float64Array(pu.nb);
    const pg = inj.genPg ?? pu.genPg;
    const qg = inj.genQg ?? pu.genQg;
    for (let g = 0; g < pu.ng; g++) {
      if (!pu.genStatus[g]) continue;
      p[pu.genBus[g]] += pg[g];
      q[pu.genBus[g]] += qg[g];
    }
    for (let i = 0; i < pu.nb; i++) {
      p[i] -= inj.pd[i];
      q[i] -= inj.qd[i];
    }
    return { p, q };
  }

  /**
   * Solve from the given start (default: MATPOWER's initial voltage). The returned
   * arrays are new; the solver's work arrays are reused.
   */
  solve(inj: Injections = this.baseInjections(), opts: NewtonOptions = {}, start?: { vm: Float64Array; va: Float64Array }): NewtonSolution {
    const tol = opts.tol ?? 1e-8;
    const maxIt = opts.maxIterations ?? 10;
    const s0 = start ?? this.initialVoltage();
    const vm = Float64Array.from(s0.vm);
    const va = Float64Array.from(s0.va);
    const { p: pinj, q: qinj } = this.netInjection(inj);
    if (this.ref.length === 0) {
      return { status: "no_slack", iterations: 0, maxMismatchPu: Infinity, vm, va };
    }
    this.useFallback = false;
    let normF = this.mismatch(vm, va, pinj, qinj);
    let it = 0;
    let status: PowerFlowStatus = normF < tol ? "converged" : "max_iterations";
    while (status !== "converged" && it < maxIt) {
      it++;
      if (!this.factorize()) {
        status = "singular";
        break;
      }
      this.solveJacobian(this.f, this.dx);
      const dx = this.dx;
      const blockBus = this.blockBus;
      const isPv = this.isPv;
      for (let b = 0; b < blockBus.length; b++) {
        const i = blockBus[b];
        va[i] -= dx[2 * b];
        if (!isPv[i]) vm[i] -= dx[2 * b + 1];
      }
      normF = this.mismatch(vm, va, pinj, qinj);
      if (!Number.isFinite(normF) || normF > 1e10) {
        status = "diverged";
        break;
      }
      if (normF < tol) status = "converged";
    }
    const sol: NewtonSolution = { status, iterations: it, maxMismatchPu: normF, vm, va };
    this.evaluated = sol;
    return sol;
  }

  /** Jacobian at the last mismatch evaluation, factorized; for sensitivities. */
  factorizeAt(vm: Float64Array, va: Float64Array): boolean {
    this.evaluate(vm, va);
    this.useFallback = false;
    return this.factorize();
  }

  /** Jacobian at the current state, factorized (block LU, or scalar LU with pivoting if a block is singular). */
  private factorize(): boolean {
    if (!this.useFallback) {
      this.lu.clearFill();
      this.fillJacobian(this.lu.values, this.ybusSlot);
      if (this.lu.factor()) return true;
    }
    // A 2x2 diagonal block is (near) singular: use the scalar LU with pivoting.
    this.useFallback = true;
    this.fillJacobian(this.jacValues, this.ybusBlock);
    this.fallback ??= this.buildFallback();
    const fb = this.fallback;
    const v = fb.jac.values;
    for (let p = 0; p < v.length; p++) v[p] = this.jacValues[fb.map[p]];
    if (fb.lu.refactor(v)) return true;
    return fb.lu.factor(v) === "ok";
  }

  private buildFallback(): { lu: SparseLU; map: Int32Array; jac: CscMatrix } {
    const nB = this.nBlocks;
    const ti: number[] = [];
    const tj: number[] = [];
    const src: number[] = [];
    for (let b = 0; b < nB; b++) {
      for (let o = this.jacPtr[b]; o < this.jacPtr[b + 1]; o++) {
        const r = this.jacRow[o];
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
    const map = Int32Array.from(jac.values, (k) => src[k]);
    const order = new Int32Array(2 * nB);
    this.lu.perm.forEach((b, k) => {
      order[2 * k] = 2 * b;
      order[2 * k + 1] = 2 * b + 1;
    });
    return { lu: SparseLU.analyze(jac, { order, pivotTol: 0.1 }), map, jac };
  }

  /** Solve J x = rhs for the last factorized Jacobian (2 entries per block: angle, magnitude). */
  solveJacobian(rhs: Float64Array, out: Float64Array = new Float64Array(2 * this.nBlocks)): Float64Array {
    if (this.useFallback) return this.fallback!.lu.solve(rhs, out);
    return this.lu.solve(rhs, out);
  }

  /** Solve J^T x = rhs for the last factorized Jacobian. */
  solveJacobianTranspose(rhs: Float64Array, out: Float64Array = new Float64Array(2 * this.nBlocks)): Float64Array {
    if (this.useFallback) return this.fallback!.lu.solveTranspose(rhs, out);
    return this.lu.solveTranspose(rhs, out);
  }

  private setVoltage(vm: Float64Array, va: Float64Array): void {
    const { vr, vi, vabs } = this;
    const n = this.pu.nb;
    for (let i = 0; i < n; i++) {
      const m = vm[i];
      vr[i] = m * Math.cos(va[i]);
      vi[i] = m * Math.sin(va[i]);
      vabs[i] = Math.abs(m);
    }
  }

  /**
   * Set the solver's state to (vm, va): rectangular voltages and bus currents
   * I = Ybus V, readable through `state` (for results and sensitivities).
   */
  evaluate(vm: Float64Array, va: Float64Array): void {
    this.setVoltage(vm, va);
    this.currents();
    this.evaluated = null;
  }

  /** Rectangular voltages and currents of the last evaluation (views of work arrays). */
  get state(): { vr: Float64Array; vi: Float64Array; ir: Float64Array; ii: Float64Array } {
    return { vr: this.vr, vi: this.vi, ir: this.ir, ii: this.ii };
  }

  /** True if the solver's state is still that of this solution's final iterate. */
  holdsStateOf(sol: NewtonSolution): boolean {
    return this.evaluated === sol;
  }

  private currents(): void {
    const { rowPtr, colIdx, re, im } = this.ybus;
    const { vr, vi, ir, ii } = this;
    const n = this.pu.nb;
    for (let i = 0; i < n; i++) {
      let sr = 0;
      let si = 0;
      for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
        const k = colIdx[p];
        sr += re[p] * vr[k] - im[p] * vi[k];
        si += re[p] * vi[k] + im[p] * vr[k];
      }
      ir[i] = sr;
      ii[i] = si;
    }
  }

  /** Fills this.f with the mismatch at (vm, va) and returns its infinity norm. */
  private mismatch(vm: Float64Array, va: Float64Array, pinj: Float64Array, qinj: Float64Array): number {
    this.setVoltage(vm, va);
    this.currents();
    const { vr, vi, ir, ii, f, blockBus, isPv } = this;
    let norm = 0;
    for (let b = 0; b < blockBus.length; b++) {
      const i = blockBus[b];
      // S = V conj(I)
      const dp = vr[i] * ir[i] + vi[i] * ii[i] - pinj[i];
      f[2 * b] = dp;
      if (!(Math.abs(dp) <= norm)) norm = Math.abs(dp);
      if (isPv[i]) {
        f[2 * b + 1] = 0;
      } else {
        const dq = vi[i] * ir[i] - vr[i] * ii[i] - qinj[i];
        f[2 * b + 1] = dq;
        if (!(Math.abs(dq) <= norm)) norm = Math.abs(dq);
      }
    }
    return norm;
  }

  /**
   * Jacobian values from the current voltage and currents (MATPOWER's dSbus_dV):
   *   dS/dVa = j diag(V) conj(diag(I) - Y diag(V)),
   *   dS/dVm = diag(V) conj(Y diag(V/|V|)) + conj(diag(I)) diag(V/|V|).
   */
  private fillJacobian(J: Float64Array, slots: Int32Array): void {
    const { re, im, colIdx } = this.ybus;
    const { vr, vi, ir, ii, ybusRow, isPv, vabs } = this;
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
}
