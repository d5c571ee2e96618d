import { formatCount, MATPOWER_LIMITS, type MatpowerLimits } from "../../limits";
import { checkTextBytes } from "../../limits/json-scan";
import { GridFormatError, GridLimitError } from "../errors";
import { applyOperator, hcat, map1, transpose } from "./arithmetic";
import { checkAllocation, EvalBudget, withBudget } from "./budget";
import { callBuiltin } from "./builtins";
import { assignIndex, readIndex } from "./indexing";
import type { Expr, LPath, MatRow, Stmt } from "./ast";
import { matlabStatements } from "./parser";
import { MATPOWER_INDEX_FUNCTIONS } from "./matpower-constants";
import { dimExtent, logicalScalar, Mat, scalarOf, spend, toNumeric, type Struct, type Value } from "./values";

/**
 * A small evaluator for the MATLAB statements MATPOWER case files contain: matrix
 * literals with expressions (135/sqrt(3)), the idx_* column constants and the unit
 * conversions at the end of distribution cases, e.g.
 *   mpc.branch(:, [BR_R BR_X]) = mpc.branch(:, [BR_R BR_X]) / (Vbase^2 / Sbase);
 *   mpc.bus(:, QD) = mpc.bus(:, PD) * sin(acos(pf));
 * This module runs statements and evaluates expressions; the values are in values.ts,
 * operators in arithmetic.ts, subscripts in indexing.ts and functions in builtins.ts.
 */

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
    return assignIndex(base, head.args, rhs, line, name, this.subscript);
  }

  /** Zero-based positions selected by one subscript of `a`. */
  private readonly subscript = (a: Value, arg: Expr, dim: number, ndims: number, line: number): number[] => {
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
  };

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
        return callBuiltin(e.name, [], e.line);
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
        const a = toNumeric(this.eval(e.a), e.line);
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
        const a = scalarOf(toNumeric(this.eval(e.a), e.line), e.line);
        const step = e.step ? scalarOf(toNumeric(this.eval(e.step), e.line), e.line) : 1;
        const b = scalarOf(toNumeric(this.eval(e.b), e.line), e.line);
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
          return callBuiltin(e.target.name, args, e.line);
        }
        const t = this.eval(e.target);
        return readIndex(t, e.args, e.brace, e.line, this.subscript);
      }
    }
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

  private binary(op: string, ea: Expr, eb: Expr, line: number): Value {
    if (op === "&&" || op === "||") {
      const a = scalarOf(toNumeric(this.eval(ea), line), line) !== 0;
      if (op === "&&" && !a) return logicalScalar(false);
      if (op === "||" && a) return logicalScalar(true);
      return logicalScalar(scalarOf(toNumeric(this.eval(eb), line), line) !== 0);
    }
    const a = toNumeric(this.eval(ea), line);
    const b = toNumeric(this.eval(eb), line);
    return applyOperator(op, a, b, line);
  }
}
