import type { PuNetwork } from "../grid/per-unit";
import { fromTriplets, type CscMatrix } from "../sparse/csc";
import { SparseLU } from "../sparse/lu";
import { minimumDegreeOrder } from "../sparse/ordering";
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
  /** Jacobian variable of each bus's angle / magnitude (-1 if none). */
  readonly angVar: Int32Array;
  readonly magVar: Int32Array;
  readonly nvar: number;
  readonly jac: CscMatrix;
  /** Positions in jac.values of dP_i/dVa_k, dQ_i/dVa_k, dP_i/dVm_k, dQ_i/dVm_k per Ybus entry. */
  private readonly posPa: Int32Array;
  private readonly posQa: Int32Array;
  private readonly posPm: Int32Array;
  private readonly posQm: Int32Array;
  private readonly ybusRow: Int32Array;
  readonly lu: SparseLU;
  private luReady = false;
  /** Buses with an in-service generator that fixes their voltage (ref or pv). */
  private readonly genAtBus: Uint8Array;
  readonly activeBranch: Uint8Array;
  // Work arrays.
  private readonly vr: Float64Array;
  private readonly vi: Float64Array;
  private readonly ir: Float64Array;
  private readonly ii: Float64Array;
  private readonly f: Float64Array;
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

    this.branchY = branchAdmittances(pu, active);
    const ybus = buildYbus(pu, this.branchY, active);
    // Shunts of de-energized buses do not matter; keep their rows out of the Jacobian.
    this.ybus = ybus;

    // Jacobian variables in MATPOWER's order: angles of [pv pq], then magnitudes of pq.
    const angVar = new Int32Array(nb).fill(-1);
    const magVar = new Int32Array(nb).fill(-1);
    let nv = 0;
    for (const i of pv) angVar[i] = nv++;
    for (const i of pq) angVar[i] = nv++;
    for (const i of pq) magVar[i] = nv++;
    this.angVar = angVar;
    this.magVar = magVar;
    this.nvar = nv;

    // Jacobian pattern from the Ybus pattern.
    const nnzY = ybus.rowPtr[nb];
    const ybusRow = new Int32Array(nnzY);
    for (let i = 0; i < nb; i++) for (let p = ybus.rowPtr[i]; p < ybus.rowPtr[i + 1]; p++) ybusRow[p] = i;
    this.ybusRow = ybusRow;
    const ti: number[] = [];
    const tj: number[] = [];
    for (let p = 0; p < nnzY; p++) {
      const i = ybusRow[p];
      const k = ybus.colIdx[p];
      if (!energized[i] || !energized[k]) continue;
      for (const r of [angVar[i], magVar[i]]) {
        if (r < 0) continue;
        for (const c of [angVar[k], magVar[k]]) {
          if (c < 0) continue;
          ti.push(r);
          tj.push(c);
        }
      }
    }
    this.jac = fromTriplets(nv, nv, ti, tj, new Float64Array(ti.length));
    const find = (r: number, c: number): number => {
      if (r < 0 || c < 0) return -1;
      const { colPtr, rowIdx } = this.jac;
      let lo = colPtr[c];
      let hi = colPtr[c + 1] - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (rowIdx[mid] === r) return mid;
        if (rowIdx[mid] < r) lo = mid + 1;
        else hi = mid - 1;
      }
      return -1;
    };
    this.posPa = new Int32Array(nnzY);
    this.posQa = new Int32Array(nnzY);
    this.posPm = new Int32Array(nnzY);
    this.posQm = new Int32Array(nnzY);
    for (let p = 0; p < nnzY; p++) {
      const i = ybusRow[p];
      const k = ybus.colIdx[p];
      this.posPa[p] = find(angVar[i], angVar[k]);
      this.posQa[p] = find(magVar[i], angVar[k]);
      this.posPm[p] = find(angVar[i], magVar[k]);
      this.posQm[p] = find(magVar[i], magVar[k]);
    }

    // Fill-reducing order on the bus graph, expanded to each bus's variables.
    const nonRef: number[] = [];
    const local = new Int32Array(nb).fill(-1);
    for (let i = 0; i < nb; i++) {
      if (angVar[i] >= 0) {
        local[i] = nonRef.length;
        nonRef.push(i);
      }
    }
    const busAdj = nonRef.map((i) => {
      const out: number[] = [];
      for (let p = ybus.rowPtr[i]; p < ybus.rowPtr[i + 1]; p++) {
        const k = ybus.colIdx[p];
        if (k !== i && local[k] >= 0) out.push(local[k]);
      }
      return Int32Array.from(out);
    });
    const busOrder = minimumDegreeOrder(busAdj);
    const order = new Int32Array(nv);
    let o = 0;
    for (let k = 0; k < busOrder.length; k++) {
      const i = nonRef[busOrder[k]];
      order[o++] = angVar[i];
      if (magVar[i] >= 0) order[o++] = magVar[i];
    }
    this.lu = SparseLU.analyze(this.jac, { order });

    this.vr = new Float64Array(nb);
    this.vi = new Float64Array(nb);
    this.ir = new Float64Array(nb);
    this.ii = new Float64Array(nb);
    this.f = new Float64Array(nv);
    this.dx = new Float64Array(nv);
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
    let normF = this.mismatch(vm, va, pinj, qinj);
    let it = 0;
    let status: PowerFlowStatus = normF < tol ? "converged" : "max_iterations";
    while (status !== "converged" && it < maxIt) {
      it++;
      this.fillJacobian();
      if (!this.factorize()) {
        status = "singular";
        break;
      }
      this.lu.solve(this.f, this.dx);
      const dx = this.dx;
      for (const i of this.pv) va[i] -= dx[this.angVar[i]];
      for (const i of this.pq) {
        va[i] -= dx[this.angVar[i]];
        vm[i] -= dx[this.magVar[i]];
      }
      normF = this.mismatch(vm, va, pinj, qinj);
      if (!Number.isFinite(normF) || normF > 1e10) {
        status = "diverged";
        break;
      }
      if (normF < tol) status = "converged";
    }
    return { status, iterations: it, maxMismatchPu: normF, vm, va };
  }

  /** Jacobian at the last mismatch evaluation, factorized; for sensitivities. */
  factorizeAt(vm: Float64Array, va: Float64Array): boolean {
    this.setVoltage(vm, va);
    this.currents();
    this.fillJacobian();
    return this.factorize();
  }

  private factorize(): boolean {
    const values = this.jac.values;
    if (this.luReady && this.lu.refactor(values)) return true;
    this.luReady = this.lu.factor(values) === "ok";
    return this.luReady;
  }

  private setVoltage(vm: Float64Array, va: Float64Array): void {
    for (let i = 0; i < this.pu.nb; i++) {
      this.vr[i] = vm[i] * Math.cos(va[i]);
      this.vi[i] = vm[i] * Math.sin(va[i]);
    }
  }

  private currents(): void {
    const { rowPtr, colIdx, re, im } = this.ybus;
    const { vr, vi, ir, ii } = this;
    for (let i = 0; i < this.pu.nb; i++) {
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
    const { vr, vi, ir, ii, f, angVar, magVar } = this;
    let norm = 0;
    for (let i = 0; i < this.pu.nb; i++) {
      const a = angVar[i];
      if (a < 0) continue;
      // S = V conj(I)
      const pc = vr[i] * ir[i] + vi[i] * ii[i];
      const dp = pc - pinj[i];
      f[a] = dp;
      if (!(Math.abs(dp) <= norm)) norm = Math.abs(dp);
      const m = magVar[i];
      if (m >= 0) {
        const qc = vi[i] * ir[i] - vr[i] * ii[i];
        const dq = qc - qinj[i];
        f[m] = dq;
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
  private fillJacobian(): void {
    const J = this.jac.values;
    J.fill(0);
    const { re, im, colIdx } = this.ybus;
    const { vr, vi, ir, ii, posPa, posQa, posPm, posQm, ybusRow } = this;
    const nnz = colIdx.length;
    for (let p = 0; p < nnz; p++) {
      const i = ybusRow[p];
      const k = colIdx[p];
      const pPa = posPa[p];
      const pQa = posQa[p];
      const pPm = posPm[p];
      const pQm = posQm[p];
      if (pPa < 0 && pQa < 0 && pPm < 0 && pQm < 0) continue;
      // W = Y_ik V_k ; V_i conj(W) = a + jb
      const wr = re[p] * vr[k] - im[p] * vi[k];
      const wi = re[p] * vi[k] + im[p] * vr[k];
      const a = vr[i] * wr + vi[i] * wi;
      const b = vi[i] * wr - vr[i] * wi;
      // -j (a + jb) = b - ja
      let dPa = b;
      let dQa = -a;
      const vmk = Math.hypot(vr[k], vi[k]);
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
      if (pPa >= 0) J[pPa] = dPa;
      if (pQa >= 0) J[pQa] = dQa;
      if (pPm >= 0) J[pPm] = dPm;
      if (pQm >= 0) J[pQm] = dQm;
    }
  }
}
