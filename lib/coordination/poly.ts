/**
 * Polynomials in the PCC exchange (p, q) or (p, q, v), as the TSO's OPF uses them: the DSO's
 * cost over its region and the PQV region's implicit polynomial f ≤ 0. A polynomial is
 * Σ_m c_m Π_d x̃_d^e_md with x̃ = (x − centre)/scale (MW, MVAr, p.u.; centre 0 and scale 1
 * for a polynomial in physical units).
 */
export interface Poly {
  exps: number[][];
  coeffs: number[];
  centre: number[];
  scale: number[];
}

export function physicalPoly(dims: number, terms: [number[], number][]): Poly {
  return { exps: terms.map(([e]) => e), coeffs: terms.map(([, c]) => c), centre: new Array(dims).fill(0), scale: new Array(dims).fill(1) };
}

/** Value, gradient (length d) and packed lower-triangular Hessian (d(d+1)/2) at x, in physical units. */
export function polyDerivs(poly: Poly, x: ArrayLike<number>, grad?: Float64Array, hess?: Float64Array): number {
  const d = poly.centre.length;
  const t = new Float64Array(d);
  for (let i = 0; i < d; i++) t[i] = (x[i] - poly.centre[i]) / poly.scale[i];
  grad?.fill(0, 0, d);
  hess?.fill(0, 0, (d * (d + 1)) / 2);
  let f = 0;
  const pw = (b: number, e: number) => (e <= 0 ? 1 : e === 1 ? b : b ** e);
  for (let m = 0; m < poly.exps.length; m++) {
    const e = poly.exps[m];
    const c = poly.coeffs[m];
    if (c === 0) continue;
    let mono = c;
    for (let i = 0; i < d; i++) mono *= pw(t[i], e[i]);
    f += mono;
    if (!grad) continue;
    for (let i = 0; i < d; i++) {
      if (e[i] === 0) continue;
      let gi = c * e[i] * pw(t[i], e[i] - 1);
      for (let k = 0; k < d; k++) if (k !== i) gi *= pw(t[k], e[k]);
      grad[i] += gi / poly.scale[i];
      if (!hess) continue;
      for (let j = 0; j <= i; j++) {
        let h: number;
        if (j === i) {
          if (e[i] < 2) continue;
          h = c * e[i] * (e[i] - 1) * pw(t[i], e[i] - 2);
          for (let k = 0; k < d; k++) if (k !== i) h *= pw(t[k], e[k]);
        } else {
          if (e[j] === 0) continue;
          h = c * e[i] * e[j] * pw(t[i], e[i] - 1) * pw(t[j], e[j] - 1);
          for (let k = 0; k < d; k++) if (k !== i && k !== j) h *= pw(t[k], e[k]);
        }
        hess[(i * (i + 1)) / 2 + j] += h / (poly.scale[i] * poly.scale[j]);
      }
    }
  }
  return f;
}

/** Sparse polynomial arithmetic in physical units (exponent key "i,j[,k]" → coefficient). */
export class PolyBuilder {
  readonly terms = new Map<string, number>();
  constructor(readonly dims: number) {}

  static constant(dims: number, c: number): PolyBuilder {
    return new PolyBuilder(dims).add(new Array(dims).fill(0), c);
  }

  /** Σ a_i x_i + c. */
  static affine(coeffs: number[], c: number): PolyBuilder {
    const b = PolyBuilder.constant(coeffs.length, c);
    coeffs.forEach((a, i) => {
      const e = new Array(coeffs.length).fill(0);
      e[i] = 1;
      b.add(e, a);
    });
    return b;
  }

  add(exps: number[], c: number): this {
    if (c === 0) return this;
    const k = exps.join(",");
    this.terms.set(k, (this.terms.get(k) ?? 0) + c);
    return this;
  }

  plus(o: PolyBuilder, w = 1): PolyBuilder {
    const r = this.clone();
    for (const [k, c] of o.terms) r.add(k.split(",").map(Number), w * c);
    return r;
  }

  times(o: PolyBuilder): PolyBuilder {
    const r = new PolyBuilder(this.dims);
    for (const [ka, ca] of this.terms) {
      const ea = ka.split(",").map(Number);
      for (const [kb, cb] of o.terms) {
        const eb = kb.split(",").map(Number);
        r.add(
          ea.map((x, i) => x + eb[i]),
          ca * cb,
        );
      }
    }
    return r;
  }

  scaled(w: number): PolyBuilder {
    return new PolyBuilder(this.dims).plus(this, w);
  }

  clone(): PolyBuilder {
    const r = new PolyBuilder(this.dims);
    for (const [k, c] of this.terms) r.terms.set(k, c);
    return r;
  }

  /** c0 + c1 u + c2 u² … of this polynomial u (ascending coefficients). */
  compose(ascending: number[]): PolyBuilder {
    let acc = PolyBuilder.constant(this.dims, 0);
    let pow = PolyBuilder.constant(this.dims, 1);
    ascending.forEach((c, k) => {
      if (k > 0) pow = pow.times(this);
      acc = acc.plus(pow, c);
    });
    return acc;
  }

  build(): Poly {
    const entries = [...this.terms].filter(([, c]) => c !== 0);
    return physicalPoly(
      this.dims,
      entries.map(([k, c]) => [k.split(",").map(Number), c]),
    );
  }
}
