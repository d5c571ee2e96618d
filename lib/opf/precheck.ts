import type { OpfModel } from "./model";

/**
 * Infeasibility that needs no iteration: the fixed demand (with shunt consumption at
 * its smallest within the voltage bounds) exceeds what the generators can produce at
 * Pmax. Branch losses are never negative for passive branches, so such a case has no
 * solution. Returns the message or null. (case10ba and case118zh as shipped: their
 * load exceeds their single generator's 10 MW.)
 */
export function infeasibilityPrecheck(model: OpfModel, xmin: Float64Array, xmax: Float64Array): string | null {
  const base = model.baseMVA;
  let demand = 0;
  for (let i = 0; i < model.nb; i++) {
    const gs = model.gs[i];
    const vlo = Math.max(0, xmin[model.iVm + i]);
    const vhi = xmax[model.iVm + i];
    demand += model.pd[i] + (gs >= 0 ? gs * vlo * vlo : gs * vhi * vhi);
  }
  let pmax = 0;
  for (let k = 0; k < model.ng; k++) {
    if (model.genLink[k] >= 0) return null; // a link moves power between buses: the sum says nothing
    pmax += xmax[model.iPg + k];
  }
  if (!Number.isFinite(pmax) || !Number.isFinite(demand)) return null;
  const tol = 1e-9 * Math.max(1, Math.abs(demand));
  if (demand > pmax + tol) {
    const d = (demand * base).toFixed(3);
    const g = (pmax * base).toFixed(3);
    return `the fixed demand of ${d} MW exceeds the ${model.ng} in-service generator${model.ng === 1 ? "'s" : "s'"} total Pmax of ${g} MW (before any losses), so no dispatch can balance it`;
  }
  return null;
}
