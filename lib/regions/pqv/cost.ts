import { ridgeSolve, type Vec3 } from "./fit";

/**
 * The DSO's cost over the PQV domain (paper 002): a quadratic
 *   c(p, q, v) = c0 + c1 p + c2 q + c3 v + c4 p² + c5 q² + c6 v² + c7 pq + c8 pv + c9 qv
 * in $/h with p and q in MW and MVAr and v in p.u. — the coefficient order of the published
 * model. Fitted by least squares in the normalized frame (well conditioned: v ∈ [0.95, 1.05]
 * makes 1, v and v² nearly collinear in physical units) and expanded to physical units.
 */
export interface CostModel {
  coefficients: number[];
  r2: number;
  /** Root-mean-square error over the samples ($/h). */
  rmse: number;
  samples: number;
}

/** Quadratic features in the order of the published coefficients. */
function features(x: Vec3): number[] {
  const [p, q, v] = x;
  return [1, p, q, v, p * p, q * q, v * v, p * q, p * v, q * v];
}

export function evalCost(coefficients: number[], p: number, q: number, v: number): number {
  const f = features([p, q, v]);
  let s = 0;
  for (let k = 0; k < 10; k++) s += coefficients[k] * f[k];
  return s;
}

/**
 * Expand a quadratic in x̃ = (x − centre)/scale into one in x: with x̃ = αx + β
 * (α = 1/scale, β = −centre/scale), x̃ᵢ² = αᵢ²xᵢ² + 2αᵢβᵢxᵢ + βᵢ² and
 * x̃ᵢx̃ⱼ = αᵢαⱼxᵢxⱼ + αᵢβⱼxᵢ + βᵢαⱼxⱼ + βᵢβⱼ.
 */
export function toPhysical(a: number[], centre: Vec3, scale: Vec3): number[] {
  const al = scale.map((s) => 1 / s);
  const be = centre.map((c, i) => -c / scale[i]);
  const out = new Array<number>(10).fill(0);
  out[0] += a[0];
  for (let i = 0; i < 3; i++) {
    // linear terms a[1+i] x̃ᵢ
    out[1 + i] += a[1 + i] * al[i];
    out[0] += a[1 + i] * be[i];
    // squares a[4+i] x̃ᵢ²
    out[4 + i] += a[4 + i] * al[i] * al[i];
    out[1 + i] += a[4 + i] * 2 * al[i] * be[i];
    out[0] += a[4 + i] * be[i] * be[i];
  }
  const pairs: [number, number, number][] = [
    [7, 0, 1],
    [8, 0, 2],
    [9, 1, 2],
  ];
  for (const [k, i, j] of pairs) {
    out[k] += a[k] * al[i] * al[j];
    out[1 + i] += a[k] * al[i] * be[j];
    out[1 + j] += a[k] * be[i] * al[j];
    out[0] += a[k] * be[i] * be[j];
  }
  return out;
}

/** Fit the cost quadratic to (p, q, v) samples and their costs. */
export function fitCost(samples: { p: number; q: number; v: number; cost: number }[], centre: Vec3, scale: Vec3): CostModel {
  const n = samples.length;
  if (n < 10) throw new RangeError(`a quadratic cost needs at least 10 samples, got ${n}`);
  const A = new Float64Array(n * 10);
  const b = new Float64Array(n);
  samples.forEach((s, k) => {
    const f = features([(s.p - centre[0]) / scale[0], (s.q - centre[1]) / scale[1], (s.v - centre[2]) / scale[2]]);
    A.set(f, k * 10);
    b[k] = s.cost;
  });
  const a = Array.from(ridgeSolve(A, b, n, 10, 1e-12));
  const coefficients = toPhysical(a, centre, scale);
  const mean = samples.reduce((t, s) => t + s.cost, 0) / n;
  let ssRes = 0;
  let ssTot = 0;
  for (const s of samples) {
    const e = evalCost(coefficients, s.p, s.q, s.v) - s.cost;
    ssRes += e * e;
    ssTot += (s.cost - mean) ** 2;
  }
  return { coefficients, r2: ssTot > 0 ? 1 - ssRes / ssTot : 1, rmse: Math.sqrt(ssRes / n), samples: n };
}
