import { formatCount, MATPOWER_LIMITS } from "../../limits";
import { GridFormatError, GridLimitError } from "../errors";
import { checkAllocation, currentBudget } from "./budget";

/**
 * The values of the case-file evaluator: real matrices (column-major, as MATLAB),
 * strings, cells and structs, and the small helpers every part of the evaluator
 * uses on them (sizes, scalars, character codes, the evaluation's budget).
 */

export class Mat {
  readonly kind = "mat" as const;
  logical = false;
  /** Source line of each row, when the matrix came from a literal (for error messages). */
  rowLines?: number[];
  constructor(
    public rows: number,
    public cols: number,
    public data: Float64Array,
  ) {}
  static scalar(v: number): Mat {
    return new Mat(1, 1, Float64Array.of(v));
  }
  /** A rows×cols matrix of zeros, within the evaluation's budget (checked before allocating). */
  static zeros(r: number, c: number): Mat {
    checkAllocation(r, c);
    return new Mat(r, c, new Float64Array(r * c));
  }
  /** A 1×n (or n×1) matrix of `n` values produced by `f`, within the budget. */
  static vector(n: number, f: (k: number) => number, column = false): Mat {
    const m = column ? Mat.zeros(n, 1) : Mat.zeros(1, n);
    for (let k = 0; k < n; k++) m.data[k] = f(k);
    return m;
  }
  get numel(): number {
    return this.rows * this.cols;
  }
  get(r: number, c: number): number {
    return this.data[c * this.rows + r];
  }
  isScalar(): boolean {
    return this.rows === 1 && this.cols === 1;
  }
  /** Row-major copy as number[][] (what the case importer consumes). */
  toRows(): number[][] {
    const out: number[][] = [];
    for (let r = 0; r < this.rows; r++) {
      const row = new Array<number>(this.cols);
      for (let c = 0; c < this.cols; c++) row[c] = this.data[c * this.rows + r];
      out.push(row);
    }
    return out;
  }
}

export interface Str {
  kind: "str";
  value: string;
}
export interface Cell {
  kind: "cell";
  rows: number;
  cols: number;
  items: Value[]; // column-major
}
export interface Struct {
  kind: "struct";
  fields: Map<string, Value>;
}
export type Value = Mat | Str | Cell | Struct;

/** Rows and columns of a value as MATLAB's size reports them (a struct is 1×1). */
export function sizeOf(a: Value): [number, number] {
  return a.kind === "mat" ? [a.rows, a.cols] : a.kind === "cell" ? [a.rows, a.cols] : a.kind === "str" ? [1, a.value.length] : [1, 1];
}

/** Extent of dimension `dim` of `a` indexed with `ndims` subscripts (one subscript: every element). */
export function dimExtent(a: Value, dim: number, ndims: number): number {
  const [r, c] = sizeOf(a);
  if (ndims === 1) return r * c;
  return dim === 0 ? r : c;
}

/** Account `n` element operations against the evaluation's budget. */
export function spend(n: number): void {
  currentBudget()?.spend(n);
}

/** A value used in arithmetic: a matrix as it is, a string as its character codes. */
export function toNumeric(v: Value, line: number): Mat {
  if (v.kind === "mat") return v;
  if (v.kind === "str") return charCodes(v.value);
  throw new GridFormatError(`a ${v.kind} value used in arithmetic`, { line });
}

/** A copy of `a` enlarged to r×c with zeros (r ≥ a.rows, c ≥ a.cols). */
export function grow(a: Mat, r: number, c: number): Mat {
  const out = Mat.zeros(r, c);
  for (let cc = 0; cc < a.cols; cc++) for (let rr = 0; rr < a.rows; rr++) out.data[cc * r + rr] = a.data[cc * a.rows + rr];
  out.rowLines = a.rowLines;
  return out;
}

export function scalarOf(m: Mat, line: number): number {
  if (m.numel !== 1) throw new GridFormatError(`expected a scalar, got a ${m.rows}x${m.cols} matrix`, { line });
  return m.data[0];
}

export function logicalScalar(b: boolean): Mat {
  const m = Mat.scalar(b ? 1 : 0);
  m.logical = true;
  return m;
}

export function checkStringLength(n: number, line: number): void {
  const max = currentBudget()?.limits.stringLength ?? MATPOWER_LIMITS.stringLength;
  if (n > max) throw new GridLimitError(`a string of ${formatCount(n)} characters; the limit is ${formatCount(max)}`, { line });
}

/** A string's character codes as a 1×n matrix. */
export function charCodes(s: string): Mat {
  return Mat.vector(s.length, (k) => s.charCodeAt(k));
}

/** The string of a matrix of character codes (as MATLAB's char), within the string limit. */
export function fromCharCodes(codes: Float64Array, line: number): string {
  checkStringLength(codes.length, line);
  let s = "";
  for (const c of codes) s += String.fromCharCode(c);
  return s;
}
