import type { PublishedPqRegion } from "../regions/published";
import type { Poly } from "./poly";
import { CoordinationInputError, toPhysicalPoly } from "./representation";

/** The cost model a PQ region is published with (lib/regions/published.ts): Σ c·p^i·q^j, $/h with MW and MVAr. */
export type PublishedCostModel = NonNullable<PublishedPqRegion["costModel"]>;

/** Limits of the published form: degree ≤ 4 in each of p and q, at most 15 terms. */
const MAX_EXPONENT = 4;
const MAX_TERMS = 15;

/**
 * A DSO's cost of the exchange (paper 000 section IV-A) in the form it is published: the
 * polynomial expanded to physical units (p in MW, q in MVAr), exponents and coefficients
 * only. The inverse of fromPublished's cost (lib/coordination/representation.ts).
 */
export function publishedCostModel(poly: Poly, basis: PublishedCostModel["basis"], r2: number | null): PublishedCostModel {
  if (poly.centre.length !== 2) throw new CoordinationInputError(`a PQ region's cost is a polynomial in (p, q), not in ${poly.centre.length} variables`);
  const physical = poly.centre.every((c) => c === 0) && poly.scale.every((s) => s === 1) ? poly : toPhysicalPoly(poly);
  const terms = physical.exps.map((e, k) => [e, physical.coeffs[k]] as const).filter(([, c]) => c !== 0);
  if (terms.length === 0) terms.push([[0, 0], 0]);
  const tooHigh = terms.find(([e]) => e[0] > MAX_EXPONENT || e[1] > MAX_EXPONENT);
  if (tooHigh)
    throw new CoordinationInputError(`the cost has a term p^${tooHigh[0][0]}·q^${tooHigh[0][1]}: a published cost has exponents up to ${MAX_EXPONENT} (units with at most quadratic gencost)`);
  if (terms.length > MAX_TERMS) throw new CoordinationInputError(`the cost has ${terms.length} terms; a published cost has at most ${MAX_TERMS}`);
  return { basis, exponents: terms.map(([e]) => [e[0], e[1]] as [number, number]), coefficients: terms.map(([, c]) => c), r2 };
}
