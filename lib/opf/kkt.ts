import { endFlow, newEndFlow, type EndFlow } from "./branch-flow";
import { RowKind, type KktLayout, type LinearConstraint, type LocalFunction } from "./layout";
import { polyCost } from "./costs";
import type { OpfModel } from "./model";

/** What the OPF minimizes besides (or instead of) the generators' costs. */
export interface OpfObjective {
  /** Include the case's gencost curves (default true). */
  genCosts: boolean;
  /** Extra linear terms, $/h per p.u. of each variable (length nx), or null. */
  linear: Float64Array | null;
  /** Extra nonlinear terms in $/h. */
  extra: LocalFunction[];
  /** Separable quadratic terms Σ w_k (x_k − c_k)² in $/h (p.u. variables), or absent. */
  diagonal?: { vars: Int32Array; weight: Float64Array; centre: Float64Array };
}

/** The primal-dual point of the interior-point method (MIPS's x, λ, μ, z). */
export interface IpmPoint {
  x: Float64Array;
  lam: Float64Array;
  mu: Float64Array;
  z: Float64Array;
}

/**
 * Evaluation of the OPF at a primal-dual point and assembly of MIPS's Newton system
 *
 *   [ M   Jgᵀ ] [Δx]   [−N]      M = ∇²L + Σ (μ/z) ∇h ∇hᵀ,
 *   [ Jg  0   ] [Δλ] = [−g],     N = ∇L + Σ ∇h (μ h + γ)/z,
 *
 * straight into the block LDLᵀ storage of the layout, in one pass over the buses,
 * generators, branches and inequality rows.
 */
export class KktSystem {
  /** Power balance mismatch per bus (P, Q interleaved), p.u. */
  readonly g: Float64Array;
  /** Inequality values h(x) ≤ 0. */
  readonly h: Float64Array;
  /** Gradient of the Lagrangian f + λᵀg + μᵀh w.r.t. all variables (fixed ones are ignored). */
  readonly lx: Float64Array;
  /** MIPS's N over all variables. */
  readonly n: Float64Array;
  private readonly from: EndFlow = newEndFlow();
  private readonly to: EndFlow = newEndFlow();
  private readonly hb = new Float64Array(10);
  private readonly swapTmp = new Float64Array(10);
  private readonly local = new Float64Array(64);
  private readonly grad = new Float64Array(64);
  private readonly hess = new Float64Array(64 * 65);

  constructor(
    readonly model: OpfModel,
    readonly layout: KktLayout,
    readonly objective: OpfObjective,
    readonly xmin: Float64Array,
    readonly xmax: Float64Array,
    readonly extraConstraints: LocalFunction[],
    readonly linearConstraints: LinearConstraint[],
    /** Multiplies the objective (MIPS's cost_mult: 1e-4 for OPF) so that multipliers are O(1). */
    readonly costScale: number,
  ) {
    this.g = new Float64Array(2 * model.nb);
    this.h = new Float64Array(layout.nRows);
    this.lx = new Float64Array(model.nx);
    this.n = new Float64Array(model.nx);
    for (const fn of [...objective.extra, ...extraConstraints]) {
      if (fn.vars.length > 64) throw new RangeError(`${fn.label}: at most 64 variables per function`);
    }
  }

  /**
   * Evaluate at `p` with barrier parameter γ: fills g, h, lx, n and the KKT values
   * (Hessian of the Lagrangian, constraint Jacobian, barrier terms). Returns the
   * objective in $/h (unscaled).
   */
  evaluate(p: IpmPoint, gamma: number): number {
    this.layout.ldl.values.fill(0);
    this.lx.fill(0);
    const f = this.objectiveTerms(p.x);
    this.balanceTerms(p);
    this.branchTerms(p);
    this.rowTerms(p, gamma);
    return f;
  }

  private objectiveTerms(x: Float64Array): number {
    const { model, objective, layout } = this;
    const cm = this.costScale;
    const v = layout.ldl.values;
    const lx = this.lx;
    let f = 0;
    if (objective.genCosts) {
      for (const c of model.costs) {
        if (c.model === 2) {
          const r = polyCost(c, x[c.variable], model.baseMVA);
          f += r.f;
          lx[c.variable] += cm * r.df;
          const d = layout.diagOfVar[c.variable];
          if (d >= 0) v[d] += cm * r.d2f;
        } else {
          f += x[c.yVariable];
          lx[c.yVariable] += cm;
        }
      }
    }
    const lin = objective.linear;
    if (lin) {
      for (let k = 0; k < lin.length; k++) {
        if (lin[k] === 0) continue;
        f += lin[k] * x[k];
        lx[k] += cm * lin[k];
      }
    }
    const dq = objective.diagonal;
    if (dq) {
      for (let k = 0; k < dq.vars.length; k++) {
        const v = dq.vars[k];
        const d = x[v] - dq.centre[k];
        f += dq.weight[k] * d * d;
        lx[v] += cm * 2 * dq.weight[k] * d;
        const o = layout.diagOfVar[v];
        if (o >= 0) layout.ldl.values[o] += cm * 2 * dq.weight[k];
      }
    }
    objective.extra.forEach((fn, t) => {
      const val = this.evalLocal(fn, x);
      f += val;
      const m = fn.vars.length;
      for (let a = 0; a < m; a++) lx[fn.vars[a]] += cm * this.grad[a];
      const pairs = layout.objPairs[t];
      for (let q = 0; q < pairs.length; q++) if (pairs[q] >= 0) v[pairs[q]] += cm * this.hess[q];
    });
    return f;
  }

  private evalLocal(fn: LocalFunction, x: Float64Array): number {
    const m = fn.vars.length;
    const xl = this.local;
    for (let a = 0; a < m; a++) xl[a] = x[fn.vars[a]];
    this.grad.fill(0, 0, m);
    this.hess.fill(0, 0, (m * (m + 1)) / 2);
    const val = fn.evaluate(xl.subarray(0, m), this.grad.subarray(0, m), this.hess.subarray(0, (m * (m + 1)) / 2));
    return val;
  }

  /** Fixed demand, shunts and generators in the power balance g = S_branches + S_shunt + S_d − S_g. */
  private balanceTerms(p: IpmPoint): void {
    const { model, layout, g, lx } = this;
    const { x, lam } = p;
    const v = layout.ldl.values;
    const { iVm, iPg, iQg } = model;
    for (let i = 0; i < model.nb; i++) {
      const vm = x[iVm + i];
      const gs = model.gs[i];
      const bs = model.bs[i];
      g[2 * i] = model.pd[i] + gs * vm * vm;
      g[2 * i + 1] = model.qd[i] - bs * vm * vm;
      const jp = 2 * gs * vm;
      const jq = -2 * bs * vm;
      lx[iVm + i] += jp * lam[2 * i] + jq * lam[2 * i + 1];
      if (layout.offVmLamP[i] >= 0) {
        v[layout.offVmLamP[i]] += jp;
        v[layout.offVmLamQ[i]] += jq;
        v[layout.diagOfVar[iVm + i]] += 2 * gs * lam[2 * i] - 2 * bs * lam[2 * i + 1];
      }
    }
    for (let k = 0; k < model.ng; k++) {
      const b = model.genBus[k];
      g[2 * b] -= x[iPg + k];
      g[2 * b + 1] -= x[iQg + k];
      lx[iPg + k] -= lam[2 * b];
      lx[iQg + k] -= lam[2 * b + 1];
      if (layout.offPgLam[k] >= 0) v[layout.offPgLam[k]] -= 1;
      if (layout.offQgLam[k] >= 0) v[layout.offQgLam[k]] -= 1;
      const lb = model.genLink[k];
      if (lb < 0) continue;
      g[2 * lb] += x[iPg + k];
      g[2 * lb + 1] += x[iQg + k];
      lx[iPg + k] += lam[2 * lb];
      lx[iQg + k] += lam[2 * lb + 1];
      if (layout.offPgLinkLam[k] >= 0) v[layout.offPgLinkLam[k]] += 1;
      if (layout.offQgLinkLam[k] >= 0) v[layout.offQgLinkLam[k]] += 1;
    }
  }

  /** Branch flows in the balance, their Jacobian and λ-weighted Hessian, and the |S|² flow limit rows. */
  private branchTerms(p: IpmPoint): void {
    const { model, layout, g, h, lx, from, to, hb } = this;
    const { x, lam, mu } = p;
    const v = layout.ldl.values;
    const y = model.y;
    const iVm = model.iVm;
    const rowGrad = layout.rowGrad;
    for (let l = 0; l < model.nl; l++) {
      const f = model.brFrom[l];
      const t = model.brTo[l];
      const af = x[f];
      const vf = x[iVm + f];
      const at = x[t];
      const vt = x[iVm + t];
      endFlow(y.yffRe[l], y.yffIm[l], y.yftRe[l], y.yftIm[l], af, vf, at, vt, from);
      endFlow(y.yttRe[l], y.yttIm[l], y.ytfRe[l], y.ytfIm[l], at, vt, af, vf, to);
      // The to end's local order is (θt, Vt, θf, Vf); bring it to (θf, Vf, θt, Vt).
      swapEnds(to, this.swapTmp);
      g[2 * f] += from.p;
      g[2 * f + 1] += from.q;
      g[2 * t] += to.p;
      g[2 * t + 1] += to.q;
      const lPf = lam[2 * f];
      const lQf = lam[2 * f + 1];
      const lPt = lam[2 * t];
      const lQt = lam[2 * t + 1];
      const jb = 16 * l;
      const vb = 4 * l;
      for (let a = 0; a < 4; a++) {
        const va = layout.brVar[vb + a];
        lx[va] += from.dp[a] * lPf + from.dq[a] * lQf + to.dp[a] * lPt + to.dq[a] * lQt;
        const o0 = layout.brJac[jb + a];
        if (o0 < 0) continue;
        v[o0] += from.dp[a];
        v[layout.brJac[jb + 4 + a]] += from.dq[a];
        v[layout.brJac[jb + 8 + a]] += to.dp[a];
        v[layout.brJac[jb + 12 + a]] += to.dq[a];
      }
      // λ-weighted Hessian; the flow limits add 2μ(P ∇²P + Q ∇²Q + ∇P∇Pᵀ + ∇Q∇Qᵀ).
      let wPf = lPf;
      let wQf = lQf;
      let wPt = lPt;
      let wQt = lQt;
      const rf = layout.flowRowF[l];
      const rt = layout.flowRowT[l];
      const rate2 = model.rate[l] * model.rate[l];
      let mf = 0;
      let mt = 0;
      if (rf >= 0) {
        mf = mu[rf];
        mt = mu[rt];
        h[rf] = from.p * from.p + from.q * from.q - rate2;
        h[rt] = to.p * to.p + to.q * to.q - rate2;
        const gf = layout.rowPtr[rf];
        const gt = layout.rowPtr[rt];
        for (let a = 0; a < 4; a++) {
          rowGrad[gf + a] = 2 * (from.p * from.dp[a] + from.q * from.dq[a]);
          rowGrad[gt + a] = 2 * (to.p * to.dp[a] + to.q * to.dq[a]);
        }
        wPf += 2 * mf * from.p;
        wQf += 2 * mf * from.q;
        wPt += 2 * mt * to.p;
        wQt += 2 * mt * to.q;
      }
      let q = 0;
      for (let a = 0; a < 4; a++) {
        for (let b = 0; b <= a; b++) {
          let e = wPf * from.hp[q] + wQf * from.hq[q] + wPt * to.hp[q] + wQt * to.hq[q];
          if (rf >= 0) {
            e += 2 * mf * (from.dp[a] * from.dp[b] + from.dq[a] * from.dq[b]);
            e += 2 * mt * (to.dp[a] * to.dp[b] + to.dq[a] * to.dq[b]);
          }
          hb[q++] = e;
        }
      }
      const hbOff = 10 * l;
      for (let k = 0; k < 10; k++) {
        const o = layout.brHess[hbOff + k];
        if (o >= 0) v[o] += hb[k];
      }
    }
  }

  /** Inequality rows: values (except flows), μ-terms of ∇L, barrier terms of M and N. */
  private rowTerms(p: IpmPoint, gamma: number): void {
    const { model, layout, h, lx, n, xmin, xmax } = this;
    const { x, mu, z } = p;
    const v = layout.ldl.values;
    const { rowPtr, rowVar, rowGrad, rowPairPtr, rowPair, rowKind, rowRef } = layout;
    n.fill(0);
    for (let j = 0; j < layout.nRows; j++) {
      const r0 = rowPtr[j];
      switch (rowKind[j] as RowKind) {
        case RowKind.VarUpper:
          h[j] = x[rowRef[j]] - xmax[rowRef[j]];
          rowGrad[r0] = 1;
          break;
        case RowKind.VarLower:
          h[j] = xmin[rowRef[j]] - x[rowRef[j]];
          rowGrad[r0] = -1;
          break;
        case RowKind.FlowFrom:
        case RowKind.FlowTo:
          break; // filled by branchTerms
        case RowKind.AngleUpper: {
          const a = model.angleLimits[rowRef[j]];
          h[j] = x[rowVar[r0]] - x[rowVar[r0 + 1]] - a.hi;
          rowGrad[r0] = 1;
          rowGrad[r0 + 1] = -1;
          break;
        }
        case RowKind.AngleLower: {
          const a = model.angleLimits[rowRef[j]];
          h[j] = a.lo - (x[rowVar[r0]] - x[rowVar[r0 + 1]]);
          rowGrad[r0] = -1;
          rowGrad[r0 + 1] = 1;
          break;
        }
        case RowKind.Pwl: {
          const c = model.costs[rowRef[j]];
          const s = layout.rowSeg[j];
          const m = (c.pwY[s + 1] - c.pwY[s]) / (c.pwX[s + 1] - c.pwX[s]);
          h[j] = m * (model.baseMVA * x[c.variable] - c.pwX[s]) + c.pwY[s] - x[c.yVariable];
          rowGrad[r0] = m * model.baseMVA;
          rowGrad[r0 + 1] = -1;
          break;
        }
        case RowKind.Linear: {
          const lc = this.linearConstraints[rowRef[j]];
          let v0 = -lc.upper;
          for (let a = 0; a < lc.vars.length; a++) {
            v0 += lc.coeffs[a] * x[lc.vars[a]];
            rowGrad[r0 + a] = lc.coeffs[a];
          }
          h[j] = v0;
          break;
        }
        case RowKind.Extra: {
          const fn = this.extraConstraints[rowRef[j]];
          h[j] = this.evalLocal(fn, x);
          const m = fn.vars.length;
          for (let a = 0; a < m; a++) rowGrad[r0 + a] = this.grad[a];
          const pp = rowPairPtr[j];
          for (let q = 0; q < (m * (m + 1)) / 2; q++) if (rowPair[pp + q] >= 0) v[rowPair[pp + q]] += mu[j] * this.hess[q];
          break;
        }
      }
      const w = mu[j] / z[j];
      const c = (mu[j] * h[j] + gamma) / z[j];
      const r1 = rowPtr[j + 1];
      let pp = rowPairPtr[j];
      for (let a = r0; a < r1; a++) {
        const ga = rowGrad[a];
        const va = rowVar[a];
        lx[va] += mu[j] * ga;
        n[va] += c * ga;
        for (let b = r0; b <= a; b++) {
          const o = rowPair[pp++];
          if (o >= 0) v[o] += w * ga * rowGrad[b];
        }
      }
    }
    for (let k = 0; k < model.nx; k++) n[k] += lx[k];
  }
}

/** Reorder a to-end's derivatives from (θt, Vt, θf, Vf) to (θf, Vf, θt, Vt). */
function swapEnds(e: EndFlow, o: Float64Array): void {
  swapPairs(e.dp);
  swapPairs(e.dq);
  swapPacked(e.hp, o);
  swapPacked(e.hq, o);
}

function swapPairs(d: Float64Array): void {
  let t = d[0];
  d[0] = d[2];
  d[2] = t;
  t = d[1];
  d[1] = d[3];
  d[3] = t;
}

/** Packed (i,j) → (π(i), π(j)) with π = [2, 3, 0, 1]. */
function swapPacked(hh: Float64Array, o: Float64Array): void {
  o.set(hh);
  hh[0] = o[5]; // (0,0) ← (2,2)
  hh[1] = o[8]; // (1,0) ← (3,2)
  hh[2] = o[9]; // (1,1) ← (3,3)
  hh[3] = o[3]; // (2,0) ← (0,2)
  hh[4] = o[6]; // (2,1) ← (0,3)
  hh[5] = o[0]; // (2,2) ← (0,0)
  hh[6] = o[4]; // (3,0) ← (1,2)
  hh[7] = o[7]; // (3,1) ← (1,3)
  hh[8] = o[1]; // (3,2) ← (1,0)
  hh[9] = o[2]; // (3,3) ← (1,1)
}
