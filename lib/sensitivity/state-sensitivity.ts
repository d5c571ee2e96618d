import type { PowerFlowSolver } from "../powerflow";

/**
 * The state's response to injections through the converged Newton Jacobian J of a power
 * flow solver. For an injection e at bus i the state moves by dx = J⁻¹ e (the mismatch
 * is S_calc − S_spec, so raising S_spec by dP gives J dx = e dP); a monitored quantity g
 * with gradient ∇g has the sensitivities y = J⁻ᵀ ∇g for all injections at once.
 * Holds the right-hand side and the solution vector, so repeated solves allocate nothing.
 */
export class StateSensitivity {
  private readonly rhs: Float64Array;
  /** The last solve's solution (overwritten by the next). */
  readonly dx: Float64Array;
  private readonly pvSet: Set<number>;
  private readonly base: number;

  constructor(private readonly solver: PowerFlowSolver) {
    const nB = solver.nBlocks;
    this.rhs = new Float64Array(2 * nB);
    this.dx = new Float64Array(2 * nB);
    this.pvSet = new Set(solver.pv);
    this.base = solver.pu.baseMVA;
  }

  /** Offset of theta of bus i in the state vector (-1 for slack/fixed). */
  thetaIdx(i: number): number {
    const b = this.solver.blockOf[i];
    return b < 0 ? -1 : 2 * b;
  }

  /** Offset of v of bus i in the state vector (-1 for slack/fixed and voltage-controlled buses). */
  vIdx(i: number): number {
    const b = this.solver.blockOf[i];
    return b < 0 || this.pvSet.has(i) ? -1 : 2 * b + 1;
  }

  /** State offsets of (theta_f, theta_t, v_f, v_t) of each branch, 4 per branch. */
  branchStateIndex(branches: ArrayLike<number>): Int32Array {
    const pu = this.solver.pu;
    const idx = new Int32Array(4 * branches.length);
    for (let m = 0; m < branches.length; m++) {
      const b = branches[m];
      idx[4 * m] = this.thetaIdx(pu.brFrom[b]);
      idx[4 * m + 1] = this.thetaIdx(pu.brTo[b]);
      idx[4 * m + 2] = this.vIdx(pu.brFrom[b]);
      idx[4 * m + 3] = this.vIdx(pu.brTo[b]);
    }
    return idx;
  }

  /** Factor J at a converged solution; throws naming the operating point when it is singular. */
  factorizeAt(vm: Float64Array, va: Float64Array, opId: string): void {
    if (!this.solver.factorizeAt(vm, va)) throw new Error(`singular Jacobian at operating point '${opId}'`);
  }

  /** dx = J⁻¹ e_r / baseMVA: the state's response to 1 MW (or MVAr) at state row r. */
  solveUnitInjection(r: number): Float64Array {
    this.rhs.fill(0);
    this.rhs[r] = 1 / this.base;
    this.solver.solveJacobian(this.rhs, this.dx);
    return this.dx;
  }

  /** dx = J⁻ᵀ ∇g, with `fill` writing ∇g into a zeroed right-hand side. */
  solveTransposed(fill: (rhs: Float64Array) => void): Float64Array {
    this.rhs.fill(0);
    fill(this.rhs);
    this.solver.solveJacobianTranspose(this.rhs, this.dx);
    return this.dx;
  }
}

/** Change of branch m's loading (%) for the state change dx: its gradient g (4 per branch) at the state offsets idx. */
export function loadingResponse(g: Float64Array, idx: Int32Array, m: number, dx: Float64Array): number {
  let s = 0;
  for (let e = 0; e < 4; e++) {
    const q = idx[4 * m + e];
    if (q >= 0) s += g[4 * m + e] * dx[q];
  }
  return s;
}
