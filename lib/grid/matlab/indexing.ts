import { GridFormatError } from "../errors";
import { checkAllocation } from "./budget";
import type { Expr } from "./ast";
import { charCodes, fromCharCodes, grow, Mat, spend, type Cell, type Value } from "./values";

/**
 * Indexing of the case-file evaluator: reading `a(i)`, `a(i, j)` and `c{i}`, and
 * assigning `a(i, j) = b`, which grows a matrix as MATLAB does, or deletes rows or
 * columns when `b` is `[]`. The subscripts are evaluated by the caller's
 * `SubscriptOf`, which knows what `end` means inside them.
 */

/** Zero-based positions that subscript `arg` (number `dim` of `ndims`) selects in `a`. */
export type SubscriptOf = (a: Value, arg: Expr, dim: number, ndims: number, line: number) => number[];

/** `t(args)`, or `t{args}` with `brace`. */
export function readIndex(t: Value, args: Expr[], brace: boolean, line: number, sub: SubscriptOf): Value {
  if (t.kind === "struct") throw new GridFormatError("indexing a struct is not supported", { line });
  if (t.kind === "str") {
    const sub1 = readIndex(charCodes(t.value), args, false, line, sub) as Mat;
    return { kind: "str", value: fromCharCodes(sub1.data, line) };
  }
  if (t.kind === "cell") return readCells(t, args, brace, line, sub);
  if (brace) throw new GridFormatError("brace indexing of a non-cell value", { line });
  if (args.length === 1) {
    const idx = sub(t, args[0], 0, 1, line);
    for (const k of idx) {
      if (k >= t.numel) throw new GridFormatError(`index ${k + 1} exceeds the ${t.numel} elements`, { line });
    }
    // Shape: as the index for a matrix, as the source for vectors.
    const col = t.cols === 1 && t.rows !== 1;
    return Mat.vector(idx.length, (j) => t.data[idx[j]], col);
  }
  if (args.length !== 2) throw new GridFormatError(`${args.length} subscripts are not supported`, { line });
  const ri = sub(t, args[0], 0, 2, line);
  const ci = sub(t, args[1], 1, 2, line);
  for (const r of ri) {
    if (r >= t.rows) throw new GridFormatError(`row index ${r + 1} exceeds the ${t.rows} rows`, { line });
  }
  for (const c of ci) {
    if (c >= t.cols) throw new GridFormatError(`column index ${c + 1} exceeds the ${t.cols} columns`, { line });
  }
  const out = Mat.zeros(ri.length, ci.length);
  for (let cj = 0; cj < ci.length; cj++) {
    for (let rj = 0; rj < ri.length; rj++) out.data[cj * ri.length + rj] = t.data[ci[cj] * t.rows + ri[rj]];
  }
  return out;
}

/** `c(args)` as a 1×n cell, or `c{i}` as the one cell's value. */
function readCells(t: Cell, args: Expr[], brace: boolean, line: number, sub: SubscriptOf): Value {
  const pos = cellPositions(t, args, line, sub);
  for (const p of pos) {
    if (p >= t.items.length) throw new GridFormatError(`index ${p + 1} exceeds the ${t.items.length} cells`, { line });
  }
  if (brace) {
    if (pos.length !== 1) throw new GridFormatError("a brace index must select one cell", { line });
    return t.items[pos[0]];
  }
  checkAllocation(1, pos.length);
  return { kind: "cell", rows: 1, cols: pos.length, items: pos.map((p) => t.items[p]) };
}

/** Column-major positions of the cells that one or two subscripts select. */
function cellPositions(t: Cell, args: Expr[], line: number, sub: SubscriptOf): number[] {
  if (args.length === 1) return sub(t, args[0], 0, 1, line);
  const ri = sub(t, args[0], 0, 2, line);
  const ci = sub(t, args[1], 1, 2, line);
  const out: number[] = [];
  for (const c of ci) for (const r of ri) out.push(c * t.rows + r);
  return out;
}

/** `a(args) = rhs`; with `rhs` = `[]`, deletion of the selected elements, rows or columns. */
export function assignIndex(a: Mat, args: Expr[], rhs: Mat, line: number, name: string, sub: SubscriptOf): Mat {
  const deleting = rhs.numel === 0 && rhs.rows === 0 && rhs.cols === 0;
  if (args.length === 1) {
    const idx = sub(a, args[0], 0, 1, line);
    return deleting ? deleteElements(a, idx) : assignElements(a, idx, rhs, line, name);
  }
  if (args.length !== 2) throw new GridFormatError(`'${name}' indexed with ${args.length} subscripts`, { line });
  const ri = sub(a, args[0], 0, 2, line);
  const ci = sub(a, args[1], 1, 2, line);
  if (deleting) return deleteRowsOrColumns(a, args, ri, ci, line, name);
  const n = ri.length * ci.length;
  spend(n);
  if (!rhs.isScalar() && rhs.numel !== n) {
    throw new GridFormatError(`${name}(...) = ...: the left side is ${ri.length}x${ci.length}, the right side ${rhs.rows}x${rhs.cols}`, { line });
  }
  const needR = Math.max(
    a.rows,
    ri.reduce((m, r) => Math.max(m, r + 1), 0),
  );
  const needC = Math.max(
    a.cols,
    ci.reduce((m, c) => Math.max(m, c + 1), 0),
  );
  const out = needR > a.rows || needC > a.cols ? grow(a, needR, needC) : a;
  let k = 0;
  for (let cj = 0; cj < ci.length; cj++) {
    for (let rj = 0; rj < ri.length; rj++) {
      out.data[ci[cj] * out.rows + ri[rj]] = rhs.isScalar() ? rhs.data[0] : rhs.data[k];
      k++;
    }
  }
  return out;
}

/** `a(idx) = []`: the elements left, as a row (a column stays a column). */
function deleteElements(a: Mat, idx: number[]): Mat {
  spend(a.numel + idx.length);
  const drop = new Uint8Array(a.numel);
  for (const k of idx) if (k < a.numel) drop[k] = 1;
  const keep: number[] = [];
  for (let k = 0; k < a.numel; k++) if (!drop[k]) keep.push(k);
  return Mat.vector(keep.length, (j) => a.data[keep[j]], !(a.rows === 1 || a.cols !== 1));
}

/** `a(idx) = rhs` with one subscript: a vector grows to fit, a matrix does not. */
function assignElements(a: Mat, idx: number[], rhs: Mat, line: number, name: string): Mat {
  if (!rhs.isScalar() && rhs.numel !== idx.length) {
    throw new GridFormatError(`${name}(...) = ...: ${idx.length} elements on the left, ${rhs.numel} on the right`, {
      line,
    });
  }
  spend(idx.length);
  const maxK = idx.reduce((m, k) => Math.max(m, k), -1);
  let out = a;
  if (maxK >= a.numel) {
    if (a.rows <= 1) out = grow(a, 1, maxK + 1);
    else if (a.cols === 1) out = grow(a, maxK + 1, 1);
    else throw new GridFormatError(`index ${maxK + 1} exceeds the ${a.rows}x${a.cols} matrix '${name}'`, { line });
  }
  idx.forEach((k, j) => {
    out.data[k] = rhs.isScalar() ? rhs.data[0] : rhs.data[j];
  });
  return out;
}

/** `a(:, j) = []` or `a(i, :) = []`. */
function deleteRowsOrColumns(a: Mat, args: Expr[], ri: number[], ci: number[], line: number, name: string): Mat {
  const allRows = args[0].t === "colon";
  const allCols = args[1].t === "colon";
  if (allCols) {
    const drop = new Set(ri);
    const keepRows = [...Array(a.rows).keys()].filter((r) => !drop.has(r));
    const out = Mat.zeros(keepRows.length, a.cols);
    for (let c = 0; c < a.cols; c++) keepRows.forEach((r, k) => (out.data[c * out.rows + k] = a.data[c * a.rows + r]));
    if (a.rowLines) out.rowLines = keepRows.map((r) => a.rowLines![r]);
    return out;
  }
  if (allRows) {
    const drop = new Set(ci);
    const keepCols = [...Array(a.cols).keys()].filter((c) => !drop.has(c));
    const out = Mat.zeros(a.rows, keepCols.length);
    keepCols.forEach((c, k) => out.data.set(a.data.subarray(c * a.rows, (c + 1) * a.rows), k * a.rows));
    out.rowLines = a.rowLines;
    return out;
  }
  throw new GridFormatError(`deleting elements of '${name}' needs ':' in one subscript`, { line });
}
