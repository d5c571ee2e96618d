import type { GenCost, Network } from "../grid/types";
import { OpfInputError } from "./input-error";

/**
 * Generator cost curves of the OPF (MATPOWER's gencost): polynomial or piecewise linear
 * on Pg, and on Qg when a reactive cost block is given; a piecewise-linear curve gets
 * its own variable y ≥ each segment (MATPOWER's "CCV" formulation).
 */

/** A cost curve on one variable (Pg or Qg in p.u.), in $/h of the variable in MW/MVAr. */
export interface CostCurve {
  /** Variable index in x. */
  variable: number;
  /** 2: polynomial, coefficients c0, c1, ... (ascending, per MW^k); 1: piecewise linear. */
  model: 1 | 2;
  /** Polynomial coefficients, ascending powers of the MW value. */
  poly: Float64Array;
  /** Piecewise linear: breakpoints in MW/MVAr and $/h (n ≥ 2), and the y variable. */
  pwX: Float64Array;
  pwY: Float64Array;
  yVariable: number;
}

/** Variable offsets the costs refer to. */
interface CostVariables {
  iPg: number;
  iQg: number;
  iY: number;
}

/**
 * Costs: gencost rows of the in-service generators (P block, and the Q block when given),
 * with the y variables they add (ny). A generator without a cost is refused when
 * `requireCosts`; otherwise it makes `hasGenCosts` false.
 */
export function generatorCosts(net: Network, gens: Int32Array, at: CostVariables, requireCosts: boolean): { costs: CostCurve[]; ny: number; hasGenCosts: boolean } {
  const { iPg, iQg, iY } = at;
  const ng = gens.length;
  const costs: CostCurve[] = [];
  let ny = 0;
  let hasGenCosts = ng > 0;
  for (let j = 0; j < ng; j++) {
    const g = net.generators[gens[j]];
    if (!g.cost) {
      hasGenCosts = false;
      if (requireCosts) {
        throw new OpfInputError(`generator ${g.id} at bus ${g.bus} has no cost: the OPF needs mpc.gencost with a row for every generator`);
      }
      continue;
    }
    costs.push(costCurve(g.cost, iPg + j, `generator ${g.id} at bus ${g.bus}`, () => iY + ny++));
    if (g.qCost) costs.push(costCurve(g.qCost, iQg + j, `generator ${g.id} at bus ${g.bus} (reactive cost)`, () => iY + ny++));
  }
  return { costs, ny, hasGenCosts };
}

function costCurve(c: GenCost, variable: number, who: string, newY: () => number): CostCurve {
  if (c.model === 2) {
    if (c.coeffs.length === 0) throw new OpfInputError(`${who}: a polynomial cost needs at least one coefficient`);
    // MATPOWER lists c(n-1) ... c0; keep ascending powers.
    const poly = Float64Array.from(c.coeffs).reverse();
    return { variable, model: 2, poly, pwX: new Float64Array(0), pwY: new Float64Array(0), yVariable: -1 };
  }
  const n = c.coeffs.length / 2;
  if (!Number.isInteger(n) || n < 2) throw new OpfInputError(`${who}: a piecewise-linear cost needs at least two (MW, $/h) points`);
  const pwX = new Float64Array(n);
  const pwY = new Float64Array(n);
  for (let s = 0; s < n; s++) {
    pwX[s] = c.coeffs[2 * s];
    pwY[s] = c.coeffs[2 * s + 1];
  }
  let lastSlope = -Infinity;
  for (let s = 0; s + 1 < n; s++) {
    if (!(pwX[s + 1] > pwX[s])) throw new OpfInputError(`${who}: piecewise-linear cost points must have increasing MW values (${pwX[s]}, ${pwX[s + 1]})`);
    const m = (pwY[s + 1] - pwY[s]) / (pwX[s + 1] - pwX[s]);
    if (m < lastSlope - 1e-12 * Math.abs(lastSlope)) {
      throw new OpfInputError(`${who}: piecewise-linear cost is not convex (slope ${m} after ${lastSlope} $/MWh)`);
    }
    lastSlope = m;
  }
  return { variable, model: 1, poly: new Float64Array(0), pwX, pwY, yVariable: newY() };
}

/** Cost in $/h of a curve at its variable's value v (p.u.), with first and second derivatives w.r.t. v. */
export function polyCost(c: CostCurve, v: number, base: number): { f: number; df: number; d2f: number } {
  const p = v * base;
  const k = c.poly;
  let f = 0;
  let d = 0;
  let d2 = 0;
  for (let j = k.length - 1; j >= 0; j--) {
    d2 = d2 * p + 2 * d;
    d = d * p + f;
    f = f * p + k[j];
  }
  return { f, df: d * base, d2f: d2 * base * base };
}
