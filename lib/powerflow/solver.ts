import type { PuNetwork } from "../grid/per-unit";
import { BlockLU2 } from "../sparse/block-lu";
import type { CscMatrix } from "../sparse/csc";
import { SparseLU } from "../sparse/lu";
import { fillJacobian, jacobianPattern, scalarJacobian, type ElectricalState, type JacobianPattern } from "./jacobian";
import { analyzeTopology } from "./topology";
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
  /** The Jacobian's block pattern (lib/powerflow/jacobian.ts): one 2x2 block per energized non-slack bus. */
  private readonly pattern: JacobianPattern;
  /** Block of each bus in the Jacobian (-1 for slack and de-energized buses). */
  readonly blockOf: Int32Array;
  /** Bus of each block. */
  readonly blockBus: Int32Array;
  readonly nBlocks: number;
  /** Block pattern (CSC over blocks) and 4 values per block, row-major. */
  readonly jacPtr: Int32Array;
  readonly jacRow: Int32Array;
  readonly jacValues: Float64Array;
  /** Slot of each Ybus entry in the LU storage (-1 if none). */
  private readonly ybusSlot: Int32Array;
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
  /** The work arrays above, as fillJacobian reads them. */
  private readonly electrical: ElectricalState;

  constructor(pu: PuNetwork) {
    this.pu = pu;
    const nb = pu.nb;
    const topo = analyzeTopology(pu);
    this.energized = topo.energized;
    this.islandedBuses = topo.islandedBuses;
    this.activeBranch = topo.activeBranch;
    this.ref = topo.ref;
    this.pv = topo.pv;
    this.pq = topo.pq;
    this.genAtBus = topo.genAtBus;
    this.controllingGenerators = topo.controllingGenerators;
    this.tapRe = topo.tapRe;
    this.tapIm = topo.tapIm;
    this.branchY = branchAdmittances(pu, topo.activeBranch);
    // Shunts of de-energized buses do not matter; their rows stay out of the Jacobian.
    this.ybus = buildYbus(pu, this.branchY, topo.activeBranch);

    const pattern = jacobianPattern(this.ybus, nb, topo.pv, topo.pq);
    this.pattern = pattern;
    this.blockOf = pattern.blockOf;
    this.blockBus = pattern.blockBus;
    this.nBlocks = pattern.nBlocks;
    this.isPv = pattern.isPv;
    this.jacPtr = pattern.jacPtr;
    this.jacRow = pattern.jacRow;
    this.jacValues = new Float64Array(4 * pattern.jacPtr[pattern.nBlocks]);
    this.lu = new BlockLU2(pattern.jacPtr, pattern.jacRow);
    this.ybusSlot = Int32Array.from(pattern.ybusBlock, (o) => (o < 0 ? -1 : this.lu.inputSlot[o]));

    this.vr = new Float64Array(nb);
    this.vi = new Float64Array(nb);
    this.ir = new Float64Array(nb);
    this.ii = new Float64Array(nb);
    this.vabs = new Float64Array(nb);
    this.f = new Float64Array(2 * pattern.nBlocks);
    this.dx = new Float64Array(2 * pattern.nBlocks);
    this.electrical = { vr: this.vr, vi: this.vi, vabs: this.vabs, ir: this.ir, ii: this.ii };
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
      fillJacobian(this.lu.values, this.ybusSlot, this.ybus, this.pattern, this.electrical);
      if (this.lu.factor()) return true;
    }
    // A 2x2 diagonal block is (near) singular: use the scalar LU with pivoting.
    this.useFallback = true;
    fillJacobian(this.jacValues, this.pattern.ybusBlock, this.ybus, this.pattern, this.electrical);
    this.fallback ??= this.buildFallback();
    const fb = this.fallback;
    const v = fb.jac.values;
    for (let p = 0; p < v.length; p++) v[p] = this.jacValues[fb.map[p]];
    if (fb.lu.refactor(v)) return true;
    return fb.lu.factor(v) === "ok";
  }

  private buildFallback(): { lu: SparseLU; map: Int32Array; jac: CscMatrix } {
    const { jac, map } = scalarJacobian(this.pattern);
    const order = new Int32Array(2 * this.nBlocks);
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
}
