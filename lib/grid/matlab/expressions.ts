import { formatCount, type MatpowerLimits } from "../../limits";
import { GridFormatError, GridLimitError } from "../errors";
import type { Expr, MatRow } from "./ast";
import type { Token } from "./lexer";
import { describe, type TokenBuffer } from "./token-buffer";

/**
 * The expression half of the case-file parser: operator precedence from || down to
 * postfix indexing, matrix and cell literals, argument lists, and the cursor over the
 * tokens with the limits every node and nesting level is checked against. The
 * statement parser (parser.ts) extends it.
 */

/** Depth of each inner syntax-tree node (leaves are 1 and not recorded). */
const DEPTH = new WeakMap<Expr, number>();
const depthOf = (e: Expr): number => DEPTH.get(e) ?? 1;

export class ExpressionParser {
  protected pos = 0;
  /** Depth of index/call argument lists, where `end` and bare `:` are allowed. */
  private indexDepth = 0;
  /** Open parentheses, brackets, braces, argument lists and unary signs (the parser's recursion). */
  protected nesting = 0;
  /** Syntax-tree nodes of the statement being parsed. */
  protected nodes = 0;
  /** Inside a guess that may be rewound (assignment targets): tokens must be kept. */
  protected speculative = 0;

  constructor(
    protected readonly toks: TokenBuffer,
    protected readonly limits: MatpowerLimits,
  ) {}

  /** Enter one level of nesting; a file nested deeper than the limit is refused before the stack runs out. */
  private enter(line: number): void {
    if (++this.nesting > this.limits.nestingDepth) {
      throw new GridLimitError(
        `expression nested more than ${formatCount(this.limits.nestingDepth)} deep (parentheses, brackets, arguments or signs); the limit is ${formatCount(this.limits.nestingDepth)}`,
        { line },
      );
    }
  }
  private leave(): void {
    this.nesting--;
  }

  /** Count one node of the statement's syntax tree. */
  private count(line: number): void {
    if (++this.nodes > this.limits.statementNodes) {
      throw new GridLimitError(`a statement of more than ${formatCount(this.limits.statementNodes)} expressions; the limit is ${formatCount(this.limits.statementNodes)}`, { line });
    }
  }

  /** An inner node: its depth (1 + its deepest child) is recorded and checked, so evaluation cannot recurse past the limit. */
  private node<T extends Expr>(e: T, kids: Expr[]): T {
    let d = 0;
    for (const k of kids) d = Math.max(d, depthOf(k));
    return this.nodeOver(e, d);
  }

  /** An inner node over children at most `d` deep. */
  private nodeOver<T extends Expr>(e: T, d: number): T {
    this.count(e.line);
    if (d + 1 > this.limits.expressionDepth) {
      throw new GridLimitError(`expression more than ${formatCount(this.limits.expressionDepth)} levels deep (the limit)`, { line: e.line });
    }
    if (d > 0) DEPTH.set(e, d + 1);
    return e;
  }

  protected peek(o = 0): Token {
    return this.toks.at(this.pos + o);
  }
  protected next(): Token {
    return this.toks.at(this.pos++);
  }
  protected isOp(text: string, o = 0): boolean {
    const t = this.peek(o);
    return t.kind === "op" && t.text === text;
  }
  protected expectOp(text: string): Token {
    const t = this.next();
    if (t.kind !== "op" || t.text !== text) {
      throw new GridFormatError(`expected '${text}' but found ${describe(t)}`, { line: t.line });
    }
    return t;
  }

  protected expectId(): string {
    const t = this.next();
    if (t.kind !== "id") throw new GridFormatError(`expected a name but found ${describe(t)}`, { line: t.line });
    return t.text;
  }

  /** Comma-separated arguments up to the closing token (consumed). */
  protected argList(close: string): Expr[] {
    const args: Expr[] = [];
    this.indexDepth++;
    this.enter(this.peek().line);
    try {
      if (this.isOp(close)) {
        this.pos++;
        return args;
      }
      for (;;) {
        if (this.isOp(":") && (this.isOp(",", 1) || this.isOp(close, 1))) {
          args.push({ t: "colon", line: this.next().line });
        } else {
          args.push(this.expr());
        }
        if (this.isOp(",")) {
          this.pos++;
          continue;
        }
        this.expectOp(close);
        return args;
      }
    } finally {
      this.indexDepth--;
      this.leave();
    }
  }

  expr(): Expr {
    return this.oror();
  }

  private binaryLevel(ops: string[], sub: () => Expr): Expr {
    let a = sub();
    while (this.peek().kind === "op" && ops.includes(this.peek().text)) {
      const op = this.next();
      const b = sub();
      a = this.node({ t: "bin", op: op.text, a, b, line: op.line }, [a, b]);
    }
    return a;
  }

  private oror = (): Expr => this.binaryLevel(["||"], this.andand);
  private andand = (): Expr => this.binaryLevel(["&&"], this.or);
  private or = (): Expr => this.binaryLevel(["|"], this.and);
  private and = (): Expr => this.binaryLevel(["&"], this.compare);
  private compare = (): Expr => this.binaryLevel(["==", "~=", "<", "<=", ">", ">="], this.range);

  private range = (): Expr => {
    const a = this.additive();
    if (!this.isOp(":")) return a;
    // In an argument list, "x(:)" is handled by argList; here ':' is a range.
    const line = this.next().line;
    const b = this.additive();
    if (this.isOp(":")) {
      this.pos++;
      const c = this.additive();
      return this.node({ t: "range", a, step: b, b: c, line }, [a, b, c]);
    }
    return this.node({ t: "range", a, step: null, b, line }, [a, b]);
  };

  private additive = (): Expr => this.binaryLevel(["+", "-"], this.multiplicative);
  private multiplicative = (): Expr => this.binaryLevel(["*", "/", ".*", "./", "\\", ".\\"], this.unary);

  private unary = (): Expr => {
    const t = this.peek();
    if (t.kind === "op" && (t.text === "-" || t.text === "+" || t.text === "~")) {
      this.pos++;
      this.enter(t.line);
      const a = this.unary();
      this.leave();
      return this.node({ t: "un", op: t.text, a, line: t.line }, [a]);
    }
    return this.power();
  };

  private power = (): Expr => {
    let a = this.postfix();
    while (this.isOp("^") || this.isOp(".^")) {
      const op = this.next();
      // MATLAB: 2^-1 is allowed; the exponent may carry a unary sign.
      let b: Expr;
      const t = this.peek();
      if (t.kind === "op" && (t.text === "-" || t.text === "+")) {
        this.pos++;
        const x = this.postfix();
        b = this.node({ t: "un", op: t.text, a: x, line: t.line }, [x]);
      } else {
        b = this.postfix();
      }
      a = this.node({ t: "bin", op: op.text, a, b, line: op.line }, [a, b]);
    }
    return a;
  };

  private postfix = (): Expr => {
    let e = this.primary();
    for (;;) {
      const t = this.peek();
      if (t.kind !== "op") break;
      if (t.text === "(" || t.text === "{") {
        this.pos++;
        const args = this.argList(t.text === "(" ? ")" : "}");
        e = this.node({ t: "index", target: e, args, brace: t.text === "{", line: t.line }, [e, ...args]);
      } else if (t.text === "." && this.peek(1).kind === "id") {
        this.pos++;
        e = this.node({ t: "field", target: e, name: this.next().text, line: t.line }, [e]);
      } else if (t.text === "'" || t.text === ".'") {
        this.pos++;
        e = this.node({ t: "post", op: t.text, a: e, line: t.line }, [e]);
      } else {
        break;
      }
    }
    return e;
  };

  private primary(): Expr {
    const t = this.next();
    this.count(t.line);
    switch (t.kind) {
      case "num":
        return { t: "num", v: t.value, line: t.line };
      case "str":
        return { t: "str", v: t.text, line: t.line };
      case "id":
        if (t.text === "end") {
          if (this.indexDepth > 0) return { t: "end", line: t.line };
          throw new GridFormatError("'end' outside of an index", { line: t.line });
        }
        return { t: "id", name: t.text, line: t.line };
      case "op":
        if (t.text === "(") {
          const saveDepth = this.indexDepth;
          this.indexDepth = 0;
          this.enter(t.line);
          const e = this.expr();
          this.leave();
          this.indexDepth = saveDepth;
          this.expectOp(")");
          return e;
        }
        if (t.text === "[" || t.text === "{") {
          this.enter(t.line);
          const e = t.text === "[" ? this.matrix(t.line) : this.cell(t.line);
          this.leave();
          return e;
        }
        if (t.text === ":" && this.indexDepth > 0) return { t: "colon", line: t.line };
        break;
      default:
        break;
    }
    throw new GridFormatError(`unexpected ${describe(t)}`, { line: t.line });
  }

  private matrix(line: number): Expr {
    const rows: MatRow[] = [];
    const saveDepth = this.indexDepth;
    this.indexDepth = 0;
    let row: Expr[] = [];
    let nums: number[] | null = [];
    let rowLine = this.peek().line;
    let elements = 0;
    let depth = 0;
    const flush = () => {
      if (row.length > 0 || (nums && nums.length > 0)) {
        rows.push(nums ? { line: rowLine, nums, exprs: null } : { line: rowLine, nums: null, exprs: row });
      }
      row = [];
      nums = [];
      rowLine = this.peek().line;
    };
    for (;;) {
      const t = this.peek();
      if (t.kind === "op" && t.text === "]") {
        this.pos++;
        flush();
        break;
      }
      if (t.kind === "op" && t.text === ";") {
        this.pos++;
        flush();
        continue;
      }
      if (t.kind === "op" && t.text === ",") {
        this.pos++;
        continue;
      }
      if (t.kind === "eof") throw new GridFormatError("matrix opened with '[' is never closed", { line });
      if (row.length === 0 && (!nums || nums.length === 0)) rowLine = t.line;
      // Fast path: a plain (optionally signed) number followed by a separator.
      const sign = t.kind === "op" && (t.text === "-" || t.text === "+") ? 1 : 0;
      const numTok = this.peek(sign);
      const after = this.peek(sign + 1);
      if (numTok.kind === "num" && after.kind === "op" && (after.text === "," || after.text === ";" || after.text === "]")) {
        const v = sign && t.text === "-" ? -numTok.value : numTok.value;
        this.pos += sign + 1;
        this.countElement(++elements, numTok.line);
        if (nums) nums.push(v);
        else {
          this.count(numTok.line);
          row.push({ t: "num", v, line: numTok.line });
        }
        // A large numeric table is read in constant token memory: consumed tokens are let go.
        if (this.speculative === 0) this.toks.release(this.pos);
        continue;
      }
      if (nums) {
        for (let k = 0; k < nums.length; k++) this.count(rowLine);
        row = nums.map((v) => ({ t: "num", v, line: rowLine }) as Expr);
        nums = null;
      }
      const e = this.expr();
      this.countElement(++elements, e.line);
      depth = Math.max(depth, depthOf(e));
      row.push(e);
    }
    this.indexDepth = saveDepth;
    const m: Expr = { t: "matrix", rows, line };
    return depth > 0 ? this.nodeOver(m, depth) : m;
  }

  private cell(line: number): Expr {
    const rows: Expr[][] = [];
    const saveDepth = this.indexDepth;
    this.indexDepth = 0;
    let row: Expr[] = [];
    let elements = 0;
    let depth = 0;
    for (;;) {
      const t = this.peek();
      if (t.kind === "op" && t.text === "}") {
        this.pos++;
        if (row.length) rows.push(row);
        break;
      }
      if (t.kind === "op" && t.text === ";") {
        this.pos++;
        if (row.length) rows.push(row);
        row = [];
        continue;
      }
      if (t.kind === "op" && t.text === ",") {
        this.pos++;
        continue;
      }
      if (t.kind === "eof") throw new GridFormatError("cell array opened with '{' is never closed", { line });
      const e = this.expr();
      this.countElement(++elements, e.line);
      depth = Math.max(depth, depthOf(e));
      row.push(e);
    }
    this.indexDepth = saveDepth;
    return this.nodeOver({ t: "cell", rows, line }, depth);
  }

  /** The `n`th element of a matrix or cell literal, within the per-matrix limit. */
  private countElement(n: number, line: number): void {
    if (n > this.limits.matrixElements) {
      throw new GridLimitError(`a matrix literal of more than ${formatCount(this.limits.matrixElements)} elements; the limit is ${formatCount(this.limits.matrixElements)} per matrix`, { line });
    }
  }
}
