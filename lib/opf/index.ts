import type { Network } from "../grid/types";
import { AcOpf, type OpfSolveOptions } from "./solver";
import type { OpfSolution } from "./solution";

export { AcOpf, type OpfSolveOptions, type OpfWarmStart } from "./solver";
export { OpfInputError } from "./input-error";
export type { LinearConstraint, LocalFunction } from "./layout";
export type { OpfObjective } from "./kkt";
export type { BindingConstraint, OpfSolution } from "./solution";

/** AC optimal power flow of a network with its generator costs (MATPOWER's runopf). */
export function solveOpf(net: Network, opts: OpfSolveOptions = {}): OpfSolution {
  return new AcOpf(net).solve(opts);
}
