import { GridFormatError } from "../errors";
import { checkStringLength, charCodes, Mat, spend, type Str, type Value } from "./values";

/**
 * Arithmetic of the case-file evaluator: element-wise operations with MATLAB's
 * implicit expansion, comparisons, the matrix product, transposition and
 * horizontal concatenation.
 */

/** The value of a binary operator (all but the short-circuit && and ||) on two numeric operands. */
export function applyOperator(op: string, a: Mat, b: Mat, line: number): Mat {
  switch (op) {
    case "+":
      return broadcast(a, b, (x, y) => x + y, line);
    case "-":
      return broadcast(a, b, (x, y) => x - y, line);
    case ".*":
      return broadcast(a, b, (x, y) => x * y, line);
    case "./":
      return broadcast(a, b, (x, y) => x / y, line);
    case ".\\":
      return broadcast(a, b, (x, y) => y / x, line);
    case ".^":
      return broadcast(a, b, (x, y) => x ** y, line);
    case "*":
      if (a.isScalar() || b.isScalar()) return broadcast(a, b, (x, y) => x * y, line);
      return matmul(a, b, line);
    case "/":
      if (b.isScalar()) return broadcast(a, b, (x, y) => x / y, line);
      throw new GridFormatError("matrix right division is not supported", { line });
    case "\\":
      if (a.isScalar()) return broadcast(a, b, (x, y) => y / x, line);
      throw new GridFormatError("matrix left division is not supported", { line });
    case "^":
      if (a.isScalar() && b.isScalar()) return Mat.scalar(a.data[0] ** b.data[0]);
      throw new GridFormatError("matrix power is not supported (use .^)", { line });
    case "==":
      return cmp(a, b, (x, y) => x === y, line);
    case "~=":
      return cmp(a, b, (x, y) => x !== y, line);
    case "<":
      return cmp(a, b, (x, y) => x < y, line);
    case "<=":
      return cmp(a, b, (x, y) => x <= y, line);
    case ">":
      return cmp(a, b, (x, y) => x > y, line);
    case ">=":
      return cmp(a, b, (x, y) => x >= y, line);
    case "&":
      return cmp(a, b, (x, y) => x !== 0 && y !== 0, line);
    case "|":
      return cmp(a, b, (x, y) => x !== 0 || y !== 0, line);
  }
  throw new GridFormatError(`operator '${op}' is not supported`, { line });
}

/** `f` applied to each element of `a`. */
export function map1(a: Mat, f: (x: number) => number): Mat {
  const out = Mat.zeros(a.rows, a.cols);
  for (let k = 0; k < a.numel; k++) out.data[k] = f(a.data[k]);
  return out;
}

/** `f` of the elements of `a` and `b` pairwise, a scalar or a row or column vector expanded to the other's size. */
export function broadcast(a: Mat, b: Mat, f: (x: number, y: number) => number, line: number): Mat {
  if (a.isScalar() && !b.isScalar()) {
    const x = a.data[0];
    return map1(b, (y) => f(x, y));
  }
  if (b.isScalar()) {
    const y = b.data[0];
    return map1(a, (x) => f(x, y));
  }
  if (a.rows === b.rows && a.cols === b.cols) {
    const out = Mat.zeros(a.rows, a.cols);
    for (let k = 0; k < a.numel; k++) out.data[k] = f(a.data[k], b.data[k]);
    return out;
  }
  // Implicit expansion of a row or column vector.
  const R = a.rows === b.rows ? a.rows : a.rows === 1 ? b.rows : b.rows === 1 ? a.rows : -1;
  const C = a.cols === b.cols ? a.cols : a.cols === 1 ? b.cols : b.cols === 1 ? a.cols : -1;
  if (R < 0 || C < 0) {
    throw new GridFormatError(`sizes ${a.rows}x${a.cols} and ${b.rows}x${b.cols} do not match`, { line });
  }
  const out = Mat.zeros(R, C);
  for (let c = 0; c < C; c++) {
    for (let r = 0; r < R; r++) {
      const x = a.data[(a.cols === 1 ? 0 : c) * a.rows + (a.rows === 1 ? 0 : r)];
      const y = b.data[(b.cols === 1 ? 0 : c) * b.rows + (b.rows === 1 ? 0 : r)];
      out.data[c * R + r] = f(x, y);
    }
  }
  return out;
}

/** A comparison as a logical matrix (see broadcast). */
function cmp(a: Mat, b: Mat, f: (x: number, y: number) => boolean, line: number): Mat {
  const out = broadcast(a, b, (x, y) => (f(x, y) ? 1 : 0), line);
  out.logical = true;
  return out;
}

function matmul(a: Mat, b: Mat, line: number): Mat {
  if (a.cols !== b.rows) {
    throw new GridFormatError(`matrix product of ${a.rows}x${a.cols} and ${b.rows}x${b.cols}`, { line });
  }
  spend(a.rows * a.cols * b.cols);
  const out = Mat.zeros(a.rows, b.cols);
  for (let j = 0; j < b.cols; j++) {
    for (let k = 0; k < a.cols; k++) {
      const bkj = b.data[j * b.rows + k];
      if (bkj === 0) continue;
      for (let i = 0; i < a.rows; i++) out.data[j * a.rows + i] += a.data[k * a.rows + i] * bkj;
    }
  }
  return out;
}

export function transpose(a: Mat): Mat {
  const out = Mat.zeros(a.cols, a.rows);
  for (let c = 0; c < a.cols; c++) for (let r = 0; r < a.rows; r++) out.data[r * a.cols + c] = a.data[c * a.rows + r];
  return out;
}

/** `[a, b, ...]`: strings joined, or numeric blocks with the same row count side by side. */
export function hcat(parts: Value[], line: number): Value {
  const nonEmpty = parts.filter((p) => !(p.kind === "mat" && p.numel === 0));
  if (nonEmpty.length === 0) return Mat.zeros(0, 0);
  if (nonEmpty.every((p) => p.kind === "str")) {
    const length = nonEmpty.reduce((s, p) => s + (p as Str).value.length, 0);
    checkStringLength(length, line);
    return { kind: "str", value: nonEmpty.map((p) => (p as Str).value).join("") };
  }
  const mats = nonEmpty.map((p) => {
    if (p.kind === "mat") return p;
    if (p.kind === "str") return charCodes(p.value);
    throw new GridFormatError(`a ${p.kind} value inside a numeric matrix`, { line });
  });
  const nr = mats[0].rows;
  let nc = 0;
  for (const m of mats) {
    if (m.rows !== nr) throw new GridFormatError("horizontal concatenation of blocks with different row counts", { line });
    nc += m.cols;
  }
  const out = Mat.zeros(nr, nc);
  let off = 0;
  for (const m of mats) {
    out.data.set(m.data, off * nr);
    off += m.cols;
  }
  return out;
}
