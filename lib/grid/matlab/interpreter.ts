import { formatCount, MATPOWER_LIMITS, type MatpowerLimits } from "../../limits";
import { checkTextBytes } from "../../limits/json-scan";
import { GridFormatError, GridLimitError } from "../errors";
import { checkAllocation, currentBudget, EvalBudget, withBudget } from "./budget";
import { matlabStatements, type Expr, type LPath, type MatRow, type Stmt } from "./parser";
import { MATPOWER_INDEX_FUNCTIONS } from "./matpower-constants";

/**
 * A small evaluator for the MATLAB statements MATPOWER case files contain: matrix
 * literals with expressions (135/sqrt(3)), the idx_* column constants and the unit
 * conversions at the end of distribution cases, e.g.
 *   mpc.branch(:, [BR_R BR_X]) = mpc.branch(:, [BR_R BR_X]) / (Vbase^2 / Sbase);
 *   mpc.bus(:, QD) = mpc.bus(:, PD) * sin(acos(pf));
 * Values are real matrices (column-major, as MATLAB), strings, cells and structs.
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

export interface ProgramResult {
  /** Variables at the end of the program. */
  vars: Map<string, Value>;
  /** Outputs of the function header (e.g. ["mpc"]), if there was one. */
  outputs: string[];
  /** Name in the function header (`function mpc = case9` → "case9"), if there was one. */
  functionName?: string;
  /** Line where each top-level variable or struct field was last assigned. */
  assignedAt: Map<string, number>;
}

type EndCtx = { value: Value; dim: number; ndims: number };

/**
 * Run a case file's statements as they are parsed: the first bad line stops it before
 * the rest is read. Every limit of MATPOWER_LIMITS (lib/limits) holds, each checked
 * before the allocation or work it guards; a file beyond one is a GridFormatError
 * naming the line and the limit.
 */
export function runMatlab(src: string, limits: MatpowerLimits = MATPOWER_LIMITS): ProgramResult {
  const tooLarge = checkTextBytes(src, limits.fileBytes);
  if (tooLarge) throw new GridLimitError(tooLarge);
  const budget = new EvalBudget(limits);
  return withBudget(budget, () => {
    const interp = new Interpreter();
    let count = 0;
    for (const s of matlabStatements(src, limits)) {
      if (++count > limits.statements) {
        throw new GridLimitError(`more than ${formatCount(limits.statements)} statements: not a MATPOWER case file`, { line: s.line });
      }
      budget.line = s.line;
      interp.exec(s);
    }
    return { vars: interp.vars, outputs: interp.outputs, functionName: interp.functionName, assignedAt: interp.assignedAt };
  });
}

/** Account `n` element operations against the evaluation's budget. */
function spend(n: number): void {
  currentBudget()?.spend(n);
}

class Interpreter {
  vars = new Map<string, Value>();
  outputs: string[] = [];
  functionName: string | undefined;
  assignedAt = new Map<string, number>();
  private endStack: EndCtx[] = [];

  exec(s: Stmt): void {
    switch (s.t) {
      case "function":
        this.outputs = s.outputs;
        this.functionName ??= s.name || undefined;
        return;
      case "expr": {
        // A bare call such as define_constants; its value is discarded.
        if (s.e.t === "id" && !this.vars.has(s.e.name)) {
          const fn = MATPOWER_INDEX_FUNCTIONS[s.e.name];
          if (s.e.name === "define_constants") {
            for (const f of ["idx_bus", "idx_brch", "idx_gen", "idx_cost"]) {
              for (const [k, v] of MATPOWER_INDEX_FUNCTIONS[f]) this.vars.set(k, Mat.scalar(v));
            }
            return;
          }
          if (fn) return;
        }
        this.eval(s.e);
        return;
      }
      case "multi": {
        if (s.rhs.t !== "id" || !MATPOWER_INDEX_FUNCTIONS[s.rhs.name]) {
          throw new GridFormatError("multiple assignment is only supported from idx_bus, idx_brch, idx_gen or idx_cost", {
            line: s.line,
          });
        }
        const outs = MATPOWER_INDEX_FUNCTIONS[s.rhs.name];
        if (s.targets.length > outs.length) {
          throw new GridFormatError(`${s.rhs.name} returns ${outs.length} values, ${s.targets.length} requested`, {
            line: s.line,
          });
        }
        s.targets.forEach((name, k) => {
          if (name !== "~") this.vars.set(name, Mat.scalar(outs[k][1]));
        });
        return;
      }
      case "assign": {
        const rhs = this.eval(s.rhs);
        const current = this.vars.get(s.base);
        const updated = this.assignPath(current, s.path, rhs, s.line, s.base);
        this.vars.set(s.base, updated);
        const key = s.base + s.path.map((p) => (p.kind === "field" ? `.${p.name}` : "")).join("");
        this.assignedAt.set(key, s.line);
        return;
      }
    }
  }

  private assignPath(target: Value | undefined, path: LPath[], rhs: Value, line: number, name: string): Value {
    if (path.length === 0) return rhs;
    const [head, ...rest] = path;
    if (head.kind === "field") {
      let st: Struct;
      if (target === undefined || (target.kind === "mat" && target.numel === 0)) {
        st = { kind: "struct", fields: new Map() };
      } else if (target.kind === "struct") {
        st = target;
      } else {
        throw new GridFormatError(`'${name}' is not a struct, cannot set field '${head.name}'`, { line });
      }
      const child = st.fields.get(head.name);
      st.fields.set(head.name, this.assignPath(child, rest, rhs, line, `${name}.${head.name}`));
      return st;
    }
    if (rest.length > 0) {
      throw new GridFormatError(`indexed assignment into a sub-element of '${name}' is not supported`, { line });
    }
    if (head.brace) throw new GridFormatError(`cell assignment to '${name}' is not supported`, { line });
    const base = target ?? Mat.zeros(0, 0);
    if (base.kind !== "mat") throw new GridFormatError(`'${name}' is not a numeric matrix`, { line });
    if (rhs.kind !== "mat") throw new GridFormatError(`cannot assign a non-numeric value into '${name}'`, { line });
    return this.assignIndex(base, head.args, rhs, line, name);
  }

  private assignIndex(a: Mat, args: Expr[], rhs: Mat, line: number, name: string): Mat {
    const deleting = rhs.numel === 0 && rhs.rows === 0 && rhs.cols === 0;
    if (args.length === 1) {
      const idx = this.indexList(a, args[0], 0, 1, line, deleting);
      if (deleting) {
        spend(a.numel + idx.length);
        const drop = new Uint8Array(a.numel);
        for (const k of idx) if (k < a.numel) drop[k] = 1;
        const keep: number[] = [];
        for (let k = 0; k < a.numel; k++) if (!drop[k]) keep.push(k);
        return Mat.vector(keep.length, (j) => a.data[keep[j]], !(a.rows === 1 || a.cols !== 1));
      }
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
    if (args.length !== 2) throw new GridFormatError(`'${name}' indexed with ${args.length} subscripts`, { line });
    const ri = this.indexList(a, args[0], 0, 2, line, deleting);
    const ci = this.indexList(a, args[1], 1, 2, line, deleting);
    if (deleting) {
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

  /** Zero-based positions selected by one subscript of `a`. */
  private indexList(a: Value, arg: Expr, dim: number, ndims: number, line: number, _deleting = false): number[] {
    const extent = dimExtent(a, dim, ndims);
    if (arg.t === "colon") {
      spend(extent);
      return [...Array(extent).keys()];
    }
    this.endStack.push({ value: a, dim, ndims });
    let v: Value;
    try {
      v = this.eval(arg);
    } finally {
      this.endStack.pop();
    }
    if (v.kind !== "mat") throw new GridFormatError("an index must be numeric", { line });
    spend(v.numel);
    const out: number[] = [];
    if (v.logical) {
      for (let k = 0; k < v.numel; k++) if (v.data[k] !== 0) out.push(k);
      return out;
    }
    for (let k = 0; k < v.numel; k++) {
      const x = v.data[k];
      if (!Number.isInteger(x) || x < 1) {
        throw new GridFormatError(`index ${x} is not a positive integer`, { line });
      }
      out.push(x - 1);
    }
    return out;
  }

  eval(e: Expr): Value {
    switch (e.t) {
      case "num":
        return Mat.scalar(e.v);
      case "str":
        return { kind: "str", value: e.v };
      case "colon":
        throw new GridFormatError("':' used outside of an index", { line: e.line });
      case "end": {
        const ctx = this.endStack[this.endStack.length - 1];
        if (!ctx) throw new GridFormatError("'end' outside of an index", { line: e.line });
        return Mat.scalar(dimExtent(ctx.value, ctx.dim, ctx.ndims));
      }
      case "id": {
        const v = this.vars.get(e.name);
        if (v) return v;
        return this.call(e.name, [], e.line);
      }
      case "matrix":
        return this.matrix(e.rows, e.line);
      case "cell": {
        const rows = e.rows.map((r) => r.map((x) => this.eval(x)));
        const nr = rows.length;
        const nc = nr ? rows[0].length : 0;
        if (rows.some((r) => r.length !== nc)) {
          throw new GridFormatError("cell array rows have different lengths", { line: e.line });
        }
        checkAllocation(nr, nc);
        const items: Value[] = [];
        for (let c = 0; c < nc; c++) for (let r = 0; r < nr; r++) items.push(rows[r][c]);
        return { kind: "cell", rows: nr, cols: nc, items };
      }
      case "un": {
        const a = this.num(this.eval(e.a), e.line);
        if (e.op === "+") return a;
        if (e.op === "-") return map1(a, (x) => -x);
        const r = map1(a, (x) => (x === 0 ? 1 : 0));
        r.logical = true;
        return r;
      }
      case "post": {
        const a = this.eval(e.a);
        if (a.kind === "cell") {
          checkAllocation(a.cols, a.rows);
          const items: Value[] = [];
          for (let r = 0; r < a.rows; r++) for (let c = 0; c < a.cols; c++) items.push(a.items[c * a.rows + r]);
          return { kind: "cell", rows: a.cols, cols: a.rows, items };
        }
        if (a.kind === "str") return a.value.length <= 1 ? a : { kind: "str", value: a.value };
        if (a.kind !== "mat") throw new GridFormatError("transpose of a struct", { line: e.line });
        return transpose(a);
      }
      case "range": {
        const a = scalarOf(this.num(this.eval(e.a), e.line), e.line);
        const step = e.step ? scalarOf(this.num(this.eval(e.step), e.line), e.line) : 1;
        const b = scalarOf(this.num(this.eval(e.b), e.line), e.line);
        if (step === 0 || Number.isNaN(a) || Number.isNaN(b) || Number.isNaN(step)) return Mat.zeros(1, 0);
        const n = Math.max(0, Math.floor((b - a) / step + 1e-10) + 1);
        if (!Number.isFinite(n)) throw new GridFormatError(`the range ${a}:${step}:${b} has no end`, { line: e.line });
        return Mat.vector(n, (k) => a + k * step);
      }
      case "bin":
        return this.binary(e.op, e.a, e.b, e.line);
      case "field": {
        const t = this.eval(e.target);
        if (t.kind !== "struct") throw new GridFormatError(`field '${e.name}' of a non-struct value`, { line: e.line });
        const v = t.fields.get(e.name);
        if (!v) throw new GridFormatError(`struct has no field '${e.name}'`, { line: e.line });
        return v;
      }
      case "index": {
        if (e.target.t === "id" && !this.vars.has(e.target.name)) {
          const args = e.args.map((a) => {
            if (a.t === "colon") throw new GridFormatError("':' in a function call", { line: e.line });
            return this.eval(a);
          });
          return this.call(e.target.name, args, e.line);
        }
        const t = this.eval(e.target);
        return this.index(t, e.args, e.brace, e.line);
      }
    }
  }

  private index(t: Value, args: Expr[], brace: boolean, line: number): Value {
    if (t.kind === "struct") throw new GridFormatError("indexing a struct is not supported", { line });
    if (t.kind === "str") {
      const sub = this.index(charCodes(t.value), args, false, line) as Mat;
      return { kind: "str", value: fromCharCodes(sub.data, line) };
    }
    if (t.kind === "cell") {
      const pos = this.positions(t, args, line);
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
    if (brace) throw new GridFormatError("brace indexing of a non-cell value", { line });
    if (args.length === 1) {
      const idx = this.indexList(t, args[0], 0, 1, line);
      for (const k of idx) {
        if (k >= t.numel) throw new GridFormatError(`index ${k + 1} exceeds the ${t.numel} elements`, { line });
      }
      // Shape: as the index for a matrix, as the source for vectors.
      const col = t.cols === 1 && t.rows !== 1;
      return Mat.vector(idx.length, (j) => t.data[idx[j]], col);
    }
    if (args.length !== 2) throw new GridFormatError(`${args.length} subscripts are not supported`, { line });
    const ri = this.indexList(t, args[0], 0, 2, line);
    const ci = this.indexList(t, args[1], 1, 2, line);
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

  private positions(t: Cell, args: Expr[], line: number): number[] {
    if (args.length === 1) return this.indexList(t, args[0], 0, 1, line);
    const ri = this.indexList(t, args[0], 0, 2, line);
    const ci = this.indexList(t, args[1], 1, 2, line);
    const out: number[] = [];
    for (const c of ci) for (const r of ri) out.push(c * t.rows + r);
    return out;
  }

  private matrix(rows: MatRow[], line: number): Value {
    // Fast path: a numeric table.
    if (rows.every((r) => r.nums)) {
      const nr = rows.length;
      if (nr === 0) return Mat.zeros(0, 0);
      const nc = rows[0].nums!.length;
      for (const r of rows) {
        if (r.nums!.length !== nc) {
          throw new GridFormatError(`this row has ${r.nums!.length} values, the matrix's first row has ${nc}`, {
            line: r.line,
          });
        }
      }
      const out = Mat.zeros(nr, nc);
      for (let r = 0; r < nr; r++) {
        const src = rows[r].nums!;
        for (let c = 0; c < nc; c++) out.data[c * nr + r] = src[c];
      }
      out.rowLines = rows.map((r) => r.line);
      return out;
    }
    const blocks: { m: Value; line: number }[] = [];
    for (const r of rows) {
      const parts = r.nums ? r.nums.map((v) => Mat.scalar(v) as Value) : r.exprs!.map((x) => this.eval(x));
      blocks.push({ m: hcat(parts, r.line), line: r.line });
    }
    const nonEmpty = blocks.filter((b) => !(b.m.kind === "mat" && b.m.numel === 0));
    if (nonEmpty.length === 0) return Mat.zeros(0, 0);
    if (nonEmpty.some((b) => b.m.kind === "str")) {
      if (nonEmpty.length === 1) return nonEmpty[0].m;
      throw new GridFormatError("character matrices are not supported", { line });
    }
    const mats = nonEmpty.map((b) => b.m as Mat);
    const nc = mats[0].cols;
    let nr = 0;
    for (let k = 0; k < mats.length; k++) {
      if (mats[k].cols !== nc) {
        throw new GridFormatError(`this row has ${mats[k].cols} values, the matrix's first row has ${nc}`, {
          line: nonEmpty[k].line,
        });
      }
      nr += mats[k].rows;
    }
    const out = Mat.zeros(nr, nc);
    const lines: number[] = [];
    let r0 = 0;
    for (let k = 0; k < mats.length; k++) {
      const m = mats[k];
      for (let c = 0; c < nc; c++) for (let r = 0; r < m.rows; r++) out.data[c * nr + r0 + r] = m.data[c * m.rows + r];
      for (let r = 0; r < m.rows; r++) lines.push(nonEmpty[k].line);
      r0 += m.rows;
    }
    out.rowLines = lines;
    return out;
  }

  private num(v: Value, line: number): Mat {
    if (v.kind === "mat") return v;
    if (v.kind === "str") return charCodes(v.value);
    throw new GridFormatError(`a ${v.kind} value used in arithmetic`, { line });
  }

  private binary(op: string, ea: Expr, eb: Expr, line: number): Value {
    if (op === "&&" || op === "||") {
      const a = scalarOf(this.num(this.eval(ea), line), line) !== 0;
      if (op === "&&" && !a) return logicalScalar(false);
      if (op === "||" && a) return logicalScalar(true);
      return logicalScalar(scalarOf(this.num(this.eval(eb), line), line) !== 0);
    }
    const a = this.num(this.eval(ea), line);
    const b = this.num(this.eval(eb), line);
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

  private call(name: string, args: Value[], line: number): Value {
    const idx = MATPOWER_INDEX_FUNCTIONS[name];
    if (idx) {
      if (args.length) throw new GridFormatError(`${name} takes no arguments`, { line });
      return Mat.scalar(idx[0][1]);
    }
    const nums = () => args.map((a) => this.num(a, line));
    const arity = (min: number, max: number) => {
      if (args.length < min || args.length > max) {
        const want = min === max ? `${min}` : `${min} to ${max}`;
        throw new GridFormatError(`${name} takes ${want} argument${max === 1 ? "" : "s"}, got ${args.length}`, { line });
      }
    };
    const dim = (m: Mat) => {
      const x = scalarOf(m, line);
      if (Number.isNaN(x)) throw new GridFormatError(`${name}: a dimension is NaN`, { line });
      return Math.max(0, Math.floor(x));
    };
    const one = (f: (x: number) => number): Value => {
      if (args.length !== 1) throw new GridFormatError(`${name} takes one argument`, { line });
      return map1(this.num(args[0], line), f);
    };
    switch (name) {
      case "pi":
        return Mat.scalar(Math.PI);
      case "Inf":
      case "inf":
        return Mat.scalar(Infinity);
      case "NaN":
      case "nan":
        return Mat.scalar(NaN);
      case "eps":
        return Mat.scalar(Number.EPSILON);
      case "true":
        return logicalScalar(true);
      case "false":
        return logicalScalar(false);
      case "sqrt":
        return one(Math.sqrt);
      case "abs":
        return one(Math.abs);
      case "exp":
        return one(Math.exp);
      case "log":
        return one(Math.log);
      case "log10":
        return one(Math.log10);
      case "sin":
        return one(Math.sin);
      case "cos":
        return one(Math.cos);
      case "tan":
        return one(Math.tan);
      case "asin":
        return one(Math.asin);
      case "acos":
        return one(Math.acos);
      case "atan":
        return one(Math.atan);
      case "sinh":
        return one(Math.sinh);
      case "cosh":
        return one(Math.cosh);
      case "tanh":
        return one(Math.tanh);
      case "floor":
        return one(Math.floor);
      case "ceil":
        return one(Math.ceil);
      case "round":
        return one((x) => Math.sign(x) * Math.round(Math.abs(x)));
      case "fix":
        return one(Math.trunc);
      case "sign":
        return one(Math.sign);
      case "real":
        return one((x) => x);
      case "imag":
        return one(() => 0);
      case "deg2rad":
        return one((x) => (x * Math.PI) / 180);
      case "rad2deg":
        return one((x) => (x * 180) / Math.PI);
      case "double":
        return one((x) => x);
      case "atan2": {
        arity(2, 2);
        const [a, b] = nums();
        return broadcast(a, b, Math.atan2, line);
      }
      case "mod": {
        arity(2, 2);
        const [a, b] = nums();
        return broadcast(a, b, (x, y) => (y === 0 ? x : x - Math.floor(x / y) * y), line);
      }
      case "rem": {
        arity(2, 2);
        const [a, b] = nums();
        return broadcast(a, b, (x, y) => (y === 0 ? x : x - Math.trunc(x / y) * y), line);
      }
      case "hypot": {
        arity(2, 2);
        const [a, b] = nums();
        return broadcast(a, b, Math.hypot, line);
      }
      case "zeros":
      case "ones": {
        arity(0, 2);
        const dims = nums().map(dim);
        const r = dims[0] ?? 1;
        const c = dims.length > 1 ? dims[1] : r;
        const m = Mat.zeros(r, c);
        if (name === "ones") m.data.fill(1);
        return m;
      }
      case "eye": {
        arity(0, 2);
        const dims = nums().map(dim);
        const r = dims[0] ?? 1;
        const c = dims.length > 1 ? dims[1] : r;
        const m = Mat.zeros(r, c);
        for (let k = 0; k < Math.min(r, c); k++) m.data[k * r + k] = 1;
        return m;
      }
      case "size": {
        arity(1, 2);
        const a = args[0];
        const [r, c] = a.kind === "mat" ? [a.rows, a.cols] : a.kind === "cell" ? [a.rows, a.cols] : a.kind === "str" ? [1, a.value.length] : [1, 1];
        if (args.length > 1) {
          const d = scalarOf(this.num(args[1], line), line);
          return Mat.scalar(d === 1 ? r : d === 2 ? c : 1);
        }
        return new Mat(1, 2, Float64Array.of(r, c));
      }
      case "length":
      case "numel": {
        arity(1, 1);
        const a = args[0];
        const [r, c] = a.kind === "mat" ? [a.rows, a.cols] : a.kind === "cell" ? [a.rows, a.cols] : a.kind === "str" ? [1, a.value.length] : [1, 1];
        return Mat.scalar(name === "numel" ? r * c : r * c === 0 ? 0 : Math.max(r, c));
      }
      case "isempty": {
        arity(1, 1);
        const a = args[0];
        const n = a.kind === "mat" ? a.numel : a.kind === "cell" ? a.items.length : a.kind === "str" ? a.value.length : 1;
        return logicalScalar(n === 0);
      }
      case "sum":
      case "prod":
      case "max":
      case "min":
      case "any":
      case "all":
        arity(1, name === "max" || name === "min" ? 2 : 1);
        return this.reduce(name, nums(), line);
      case "find": {
        arity(1, 1);
        const a = nums()[0];
        spend(a.numel);
        const idx: number[] = [];
        for (let k = 0; k < a.numel; k++) if (a.data[k] !== 0) idx.push(k + 1);
        return Mat.vector(idx.length, (j) => idx[j], a.rows !== 1);
      }
      case "repmat": {
        arity(2, 3);
        const [a, rm, cm] = nums();
        const R = dim(rm);
        const C = cm ? dim(cm) : R;
        checkAllocation(a.rows * R, a.cols * C);
        const out = Mat.zeros(a.rows * R, a.cols * C);
        for (let c = 0; c < out.cols; c++) for (let r = 0; r < out.rows; r++) out.data[c * out.rows + r] = a.data[(c % a.cols) * a.rows + (r % a.rows)];
        return out;
      }
      case "struct":
        arity(0, 0);
        return { kind: "struct", fields: new Map() };
      case "cell":
        arity(0, 0);
        return { kind: "cell", rows: 0, cols: 0, items: [] };
    }
    throw new GridFormatError(`unknown function or variable '${name}'`, { line });
  }

  private reduce(name: string, args: Mat[], line: number): Value {
    if (args.length === 2 && (name === "max" || name === "min")) {
      return broadcast(args[0], args[1], name === "max" ? Math.max : Math.min, line);
    }
    const a = args[0];
    spend(a.numel);
    const f = (vals: Float64Array): number => {
      switch (name) {
        case "sum":
          return vals.reduce((s, x) => s + x, 0);
        case "prod":
          return vals.reduce((s, x) => s * x, 1);
        case "max":
          return vals.length ? vals.reduce((m, x) => Math.max(m, x), -Infinity) : NaN;
        case "min":
          return vals.length ? vals.reduce((m, x) => Math.min(m, x), Infinity) : NaN;
        case "any":
          return vals.some((x) => x !== 0) ? 1 : 0;
        default:
          return vals.every((x) => x !== 0) ? 1 : 0;
      }
    };
    if (a.rows === 1 || a.cols === 1) return Mat.scalar(f(a.data));
    const out = Mat.zeros(1, a.cols);
    for (let c = 0; c < a.cols; c++) out.data[c] = f(a.data.subarray(c * a.rows, (c + 1) * a.rows));
    return out;
  }
}

function dimExtent(a: Value, dim: number, ndims: number): number {
  const [r, c] = a.kind === "mat" ? [a.rows, a.cols] : a.kind === "cell" ? [a.rows, a.cols] : a.kind === "str" ? [1, a.value.length] : [1, 1];
  if (ndims === 1) return r * c;
  return dim === 0 ? r : c;
}

function grow(a: Mat, r: number, c: number): Mat {
  const out = Mat.zeros(r, c);
  for (let cc = 0; cc < a.cols; cc++) for (let rr = 0; rr < a.rows; rr++) out.data[cc * r + rr] = a.data[cc * a.rows + rr];
  out.rowLines = a.rowLines;
  return out;
}

function map1(a: Mat, f: (x: number) => number): Mat {
  const out = Mat.zeros(a.rows, a.cols);
  for (let k = 0; k < a.numel; k++) out.data[k] = f(a.data[k]);
  return out;
}

function broadcast(a: Mat, b: Mat, f: (x: number, y: number) => number, line: number): Mat {
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

function transpose(a: Mat): Mat {
  const out = Mat.zeros(a.cols, a.rows);
  for (let c = 0; c < a.cols; c++) for (let r = 0; r < a.rows; r++) out.data[r * a.cols + c] = a.data[c * a.rows + r];
  return out;
}

function hcat(parts: Value[], line: number): Value {
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

function scalarOf(m: Mat, line: number): number {
  if (m.numel !== 1) throw new GridFormatError(`expected a scalar, got a ${m.rows}x${m.cols} matrix`, { line });
  return m.data[0];
}

function logicalScalar(b: boolean): Mat {
  const m = Mat.scalar(b ? 1 : 0);
  m.logical = true;
  return m;
}

function checkStringLength(n: number, line: number): void {
  const max = currentBudget()?.limits.stringLength ?? MATPOWER_LIMITS.stringLength;
  if (n > max) throw new GridLimitError(`a string of ${formatCount(n)} characters; the limit is ${formatCount(max)}`, { line });
}

/** A string's character codes as a 1×n matrix. */
function charCodes(s: string): Mat {
  return Mat.vector(s.length, (k) => s.charCodeAt(k));
}

/** The string of a matrix of character codes (as MATLAB's char), within the string limit. */
function fromCharCodes(codes: Float64Array, line: number): string {
  checkStringLength(codes.length, line);
  let s = "";
  for (const c of codes) s += String.fromCharCode(c);
  return s;
}
