import { GridFormatError } from "../errors";
import { broadcast, map1 } from "./arithmetic";
import { checkAllocation } from "./budget";
import { MATPOWER_INDEX_FUNCTIONS } from "./matpower-constants";
import { logicalScalar, Mat, scalarOf, sizeOf, spend, toNumeric, type Value } from "./values";

/**
 * The built-in functions case files call: constants (pi, Inf), element-wise math
 * (sqrt, acos, mod), constructors (zeros, ones, eye, repmat), size queries and
 * reductions (sum, max, find). Lookups are by Map, so a name such as "constructor"
 * is an unknown function rather than an Object property.
 */

/** One call: its name, arguments and line, with the argument checks every built-in uses. */
class Call {
  constructor(
    readonly name: string,
    readonly args: Value[],
    readonly line: number,
  ) {}

  /** Throws unless the call has from `min` to `max` arguments. */
  arity(min: number, max: number): void {
    if (this.args.length < min || this.args.length > max) {
      const want = min === max ? `${min}` : `${min} to ${max}`;
      throw new GridFormatError(`${this.name} takes ${want} argument${max === 1 ? "" : "s"}, got ${this.args.length}`, { line: this.line });
    }
  }

  /** The arguments as numeric matrices. */
  nums(): Mat[] {
    return this.args.map((a) => toNumeric(a, this.line));
  }

  /** A scalar argument as a matrix dimension (floored, negative as 0). */
  dim(m: Mat): number {
    const x = scalarOf(m, this.line);
    if (Number.isNaN(x)) throw new GridFormatError(`${this.name}: a dimension is NaN`, { line: this.line });
    return Math.max(0, Math.floor(x));
  }

  /** `(r, c)`, `(n)` meaning n×n, or `()` meaning 1×1, as zeros, ones and eye read them. */
  dims2(): [number, number] {
    this.arity(0, 2);
    const dims = this.nums().map((m) => this.dim(m));
    const r = dims[0] ?? 1;
    return [r, dims.length > 1 ? dims[1] : r];
  }
}

const CONSTANTS = new Map<string, () => Mat>([
  ["pi", () => Mat.scalar(Math.PI)],
  ["Inf", () => Mat.scalar(Infinity)],
  ["inf", () => Mat.scalar(Infinity)],
  ["NaN", () => Mat.scalar(NaN)],
  ["nan", () => Mat.scalar(NaN)],
  ["eps", () => Mat.scalar(Number.EPSILON)],
  ["true", () => logicalScalar(true)],
  ["false", () => logicalScalar(false)],
]);

/** Functions of one argument applied to each element. */
const ELEMENTWISE = new Map<string, (x: number) => number>([
  ["sqrt", Math.sqrt],
  ["abs", Math.abs],
  ["exp", Math.exp],
  ["log", Math.log],
  ["log10", Math.log10],
  ["sin", Math.sin],
  ["cos", Math.cos],
  ["tan", Math.tan],
  ["asin", Math.asin],
  ["acos", Math.acos],
  ["atan", Math.atan],
  ["sinh", Math.sinh],
  ["cosh", Math.cosh],
  ["tanh", Math.tanh],
  ["floor", Math.floor],
  ["ceil", Math.ceil],
  ["round", (x) => Math.sign(x) * Math.round(Math.abs(x))],
  ["fix", Math.trunc],
  ["sign", Math.sign],
  ["real", (x) => x],
  ["imag", () => 0],
  ["deg2rad", (x) => (x * Math.PI) / 180],
  ["rad2deg", (x) => (x * 180) / Math.PI],
  ["double", (x) => x],
]);

/** Functions of two arguments applied to each pair of elements (with implicit expansion). */
const ELEMENTWISE_2 = new Map<string, (x: number, y: number) => number>([
  ["atan2", Math.atan2],
  ["mod", (x, y) => (y === 0 ? x : x - Math.floor(x / y) * y)],
  ["rem", (x, y) => (y === 0 ? x : x - Math.trunc(x / y) * y)],
  ["hypot", Math.hypot],
]);

/** Reductions over a vector, or over each column of a matrix. */
const REDUCTIONS = new Map<string, (vals: Float64Array) => number>([
  ["sum", (vals) => vals.reduce((s, x) => s + x, 0)],
  ["prod", (vals) => vals.reduce((s, x) => s * x, 1)],
  ["max", (vals) => (vals.length ? vals.reduce((m, x) => Math.max(m, x), -Infinity) : NaN)],
  ["min", (vals) => (vals.length ? vals.reduce((m, x) => Math.min(m, x), Infinity) : NaN)],
  ["any", (vals) => (vals.some((x) => x !== 0) ? 1 : 0)],
  ["all", (vals) => (vals.every((x) => x !== 0) ? 1 : 0)],
]);

/**
 * The value of built-in `name` called with `args` (a MATPOWER idx_* function gives its
 * first constant); an unknown name is a GridFormatError.
 */
export function callBuiltin(name: string, args: Value[], line: number): Value {
  const idx = MATPOWER_INDEX_FUNCTIONS[name];
  if (idx) {
    if (args.length) throw new GridFormatError(`${name} takes no arguments`, { line });
    return Mat.scalar(idx[0][1]);
  }
  const constant = CONSTANTS.get(name);
  if (constant) return constant();
  const call = new Call(name, args, line);
  const f1 = ELEMENTWISE.get(name);
  if (f1) {
    if (args.length !== 1) throw new GridFormatError(`${name} takes one argument`, { line });
    return map1(toNumeric(args[0], line), f1);
  }
  const f2 = ELEMENTWISE_2.get(name);
  if (f2) {
    call.arity(2, 2);
    const [a, b] = call.nums();
    return broadcast(a, b, f2, line);
  }
  const reduction = REDUCTIONS.get(name);
  if (reduction) {
    call.arity(1, name === "max" || name === "min" ? 2 : 1);
    return reduce(name, reduction, call.nums(), line);
  }
  return callOther(call);
}

/** Constructors, size queries, find and the empty struct and cell. */
function callOther(call: Call): Value {
  const { name, args, line } = call;
  switch (name) {
    case "zeros":
    case "ones": {
      const [r, c] = call.dims2();
      const m = Mat.zeros(r, c);
      if (name === "ones") m.data.fill(1);
      return m;
    }
    case "eye": {
      const [r, c] = call.dims2();
      const m = Mat.zeros(r, c);
      for (let k = 0; k < Math.min(r, c); k++) m.data[k * r + k] = 1;
      return m;
    }
    case "size": {
      call.arity(1, 2);
      const [r, c] = sizeOf(args[0]);
      if (args.length > 1) {
        const d = scalarOf(toNumeric(args[1], line), line);
        return Mat.scalar(d === 1 ? r : d === 2 ? c : 1);
      }
      return new Mat(1, 2, Float64Array.of(r, c));
    }
    case "length":
    case "numel": {
      call.arity(1, 1);
      const [r, c] = sizeOf(args[0]);
      return Mat.scalar(name === "numel" ? r * c : r * c === 0 ? 0 : Math.max(r, c));
    }
    case "isempty": {
      call.arity(1, 1);
      const a = args[0];
      const n = a.kind === "mat" ? a.numel : a.kind === "cell" ? a.items.length : a.kind === "str" ? a.value.length : 1;
      return logicalScalar(n === 0);
    }
    case "find": {
      call.arity(1, 1);
      const a = call.nums()[0];
      spend(a.numel);
      const idx: number[] = [];
      for (let k = 0; k < a.numel; k++) if (a.data[k] !== 0) idx.push(k + 1);
      return Mat.vector(idx.length, (j) => idx[j], a.rows !== 1);
    }
    case "repmat":
      return repmat(call);
    case "struct":
      call.arity(0, 0);
      return { kind: "struct", fields: new Map() };
    case "cell":
      call.arity(0, 0);
      return { kind: "cell", rows: 0, cols: 0, items: [] };
  }
  throw new GridFormatError(`unknown function or variable '${name}'`, { line });
}

/** `repmat(a, r)` or `repmat(a, r, c)`: `a` tiled r×c times (r×r with one count). */
function repmat(call: Call): Mat {
  call.arity(2, 3);
  const [a, rm, cm] = call.nums();
  const R = call.dim(rm);
  const C = cm ? call.dim(cm) : R;
  checkAllocation(a.rows * R, a.cols * C);
  const out = Mat.zeros(a.rows * R, a.cols * C);
  for (let c = 0; c < out.cols; c++) for (let r = 0; r < out.rows; r++) out.data[c * out.rows + r] = a.data[(c % a.cols) * a.rows + (r % a.rows)];
  return out;
}

/** A reduction of a vector to a scalar, of a matrix to a row; max and min of two arguments element-wise. */
function reduce(name: string, f: (vals: Float64Array) => number, args: Mat[], line: number): Value {
  if (args.length === 2 && (name === "max" || name === "min")) {
    return broadcast(args[0], args[1], name === "max" ? Math.max : Math.min, line);
  }
  const a = args[0];
  spend(a.numel);
  if (a.rows === 1 || a.cols === 1) return Mat.scalar(f(a.data));
  const out = Mat.zeros(1, a.cols);
  for (let c = 0; c < a.cols; c++) out.data[c] = f(a.data.subarray(c * a.rows, (c + 1) * a.rows));
  return out;
}
