import { formatCount, MATPOWER_LIMITS, type MatpowerLimits } from "../../limits";
import { GridFormatError, GridLimitError } from "../errors";

/**
 * What one evaluation of a case file may spend: elements per matrix, elements allocated
 * in total, element operations in total. Every allocation and every loop over elements
 * asks first, so `ones(3e4, 3e4)` is refused before 7 GB are requested and `x*x` on a
 * large matrix before its cubic work starts. One budget per runMatlab call; the
 * evaluator is synchronous, so the active budget is module state (see withBudget).
 */
export class EvalBudget {
  allocated = 0;
  operations = 0;
  /** Line of the statement being run, for messages. */
  line = 0;

  constructor(readonly limits: MatpowerLimits = MATPOWER_LIMITS) {}

  /** Room for a rows×cols matrix (or cell array); throws naming the line and the limit. */
  allocate(rows: number, cols: number, line = this.line): void {
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
      throw new GridFormatError(`matrix dimensions ${rows}x${cols} must be non-negative integers`, { line });
    }
    const n = rows * cols;
    if (n > this.limits.matrixElements) {
      throw new GridLimitError(`a ${formatCount(rows)}x${formatCount(cols)} matrix has ${formatCount(n)} elements; the limit is ${formatCount(this.limits.matrixElements)} per matrix`, { line });
    }
    this.allocated += n;
    if (this.allocated > this.limits.totalElements) {
      throw new GridLimitError(`the file allocates more than ${formatCount(this.limits.totalElements)} matrix elements in total (the limit)`, { line });
    }
    this.spend(n, line);
  }

  /** Account `n` element operations; throws once the total passes its limit. */
  spend(n: number, line = this.line): void {
    this.operations += n;
    if (!(this.operations <= this.limits.operations)) {
      throw new GridLimitError(`the file needs more than ${formatCount(this.limits.operations)} element operations to evaluate (the limit)`, { line });
    }
  }
}

let active: EvalBudget | null = null;

/** Run `f` with `budget` as the one every allocation is checked against. */
export function withBudget<T>(budget: EvalBudget, f: () => T): T {
  const outer = active;
  active = budget;
  try {
    return f();
  } finally {
    active = outer;
  }
}

/** The budget of the evaluation in progress; outside one (tests building matrices), none is enforced. */
export function currentBudget(): EvalBudget | null {
  return active;
}

/**
 * Check a rows×cols allocation: against the active budget during an evaluation, else
 * (a matrix built outside one) against the per-matrix limit alone.
 */
export function checkAllocation(rows: number, cols: number): void {
  (active ?? new EvalBudget()).allocate(rows, cols);
}
