import { formatCount, MATPOWER_LIMITS, type MatpowerLimits } from "../../limits";
import { GridFormatError, GridLimitError } from "../errors";
import { lexTokens, type Token } from "./lexer";

/** AST for the MATLAB subset of MATPOWER case files. */
export type Expr =
  | { t: "num"; v: number; line: number }
  | { t: "str"; v: string; line: number }
  | { t: "id"; name: string; line: number }
  | { t: "colon"; line: number }
  | { t: "end"; line: number }
  | { t: "matrix"; rows: MatRow[]; line: number }
  | { t: "cell"; rows: Expr[][]; line: number }
  | { t: "bin"; op: string; a: Expr; b: Expr; line: number }
  | { t: "un"; op: string; a: Expr; line: number }
  | { t: "post"; op: string; a: Expr; line: number }
  | { t: "range"; a: Expr; step: Expr | null; b: Expr; line: number }
  | { t: "index"; target: Expr; args: Expr[]; brace: boolean; line: number }
  | { t: "field"; target: Expr; name: string; line: number };

/** A row of a matrix literal: plain numbers (fast path) or general expressions. */
export interface MatRow {
  line: number;
  nums: number[] | null;
  exprs: Expr[] | null;
}

export type LPath = { kind: "field"; name: string } | { kind: "index"; args: Expr[]; brace: boolean };

export type Stmt =
  | { t: "assign"; base: string; path: LPath[]; rhs: Expr; line: number }
  | { t: "multi"; targets: string[]; rhs: Expr; line: number }
  | { t: "expr"; e: Expr; line: number }
  | { t: "function"; outputs: string[]; name: string; line: number };

const UNSUPPORTED = new Set(["if", "for", "while", "switch", "try", "parfor", "do", "unwind_protect", "global", "persistent"]);

/**
 * The statements of a source text, one at a time as the lexer reads them: a caller
 * that runs each before asking for the next stops at the first bad line of a
 * large file without having read the rest.
 */
export function matlabStatements(src: string, limits: MatpowerLimits = MATPOWER_LIMITS): Generator<Stmt, void, undefined> {
  return new Parser(new TokenBuffer(lexTokens(src, limits)), limits).program();
}

/** Depth of each inner syntax-tree node (leaves are 1 and not recorded). */
const DEPTH = new WeakMap<Expr, number>();
const depthOf = (e: Expr): number => DEPTH.get(e) ?? 1;

/**
 * Lookahead over a lazy token stream: the parser reads ahead and backtracks within a
 * statement; the tokens of finished statements are released.
 */
class TokenBuffer {
  private buf: Token[] = [];
  /** Absolute index of buf[0]. */
  private base = 0;
  private last: Token | null = null;

  constructor(private readonly source: Iterator<Token, void>) {}

  /** The token at absolute index i; past the end, the final (eof) token. */
  at(i: number): Token {
    while (i - this.base >= this.buf.length) {
      const r = this.source.next();
      if (r.done) break;
      this.buf.push(r.value);
      this.last = r.value;
    }
    const k = i - this.base;
    return k < this.buf.length ? this.buf[k] : this.last!;
  }

  /** Forget the tokens before absolute index i. */
  release(i: number): void {
    const k = Math.min(i - this.base, this.buf.length);
    if (k <= 0) return;
    // All consumed (the common case in a numeric table): empty in place, no new array.
    if (k === this.buf.length) this.buf.length = 0;
    else this.buf = this.buf.slice(k);
    this.base += k;
  }
}

class Parser {
  private pos = 0;
  /** Depth of index/call argument lists, where `end` and bare `:` are allowed. */
  private indexDepth = 0;
  /** Open parentheses, brackets, braces, argument lists and unary signs (the parser's recursion). */
  private nesting = 0;
  /** Syntax-tree nodes of the statement being parsed. */
  private nodes = 0;
  /** Inside a guess that may be rewound (assignment targets): tokens must be kept. */
  private speculative = 0;

  constructor(
    private readonly toks: TokenBuffer,
    private readonly limits: MatpowerLimits,
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

  private peek(o = 0): Token {
    return this.toks.at(this.pos + o);
  }
  private next(): Token {
    return this.toks.at(this.pos++);
  }
  private isOp(text: string, o = 0): boolean {
    const t = this.peek(o);
    return t.kind === "op" && t.text === text;
  }
  private expectOp(text: string): Token {
    const t = this.next();
    if (t.kind !== "op" || t.text !== text) {
      throw new GridFormatError(`expected '${text}' but found ${describe(t)}`, { line: t.line });
    }
    return t;
  }

  *program(): Generator<Stmt, void, undefined> {
    for (;;) {
      this.toks.release(this.pos);
      const t = this.peek();
      if (t.kind === "eof") break;
      if (t.kind === "nl" || (t.kind === "op" && (t.text === ";" || t.text === ","))) {
        this.pos++;
        continue;
      }
      this.nodes = 0;
      const stmt = this.statement();
      const end = this.peek();
      if (!(end.kind === "nl" || end.kind === "eof" || (end.kind === "op" && (end.text === ";" || end.text === ",")))) {
        throw new GridFormatError(`unexpected ${describe(end)} after a complete statement`, { line: end.line });
      }
      yield stmt;
    }
  }

  private statement(): Stmt {
    const t = this.peek();
    if (t.kind === "id") {
      if (t.text === "function") return this.functionHeader();
      if (t.text === "end" || t.text === "endfunction" || t.text === "return") {
        this.pos++;
        return { t: "expr", e: { t: "num", v: 0, line: t.line }, line: t.line };
      }
      if (UNSUPPORTED.has(t.text)) {
        throw new GridFormatError(`'${t.text}' statements are not supported in case files`, { line: t.line });
      }
    }
    // Multiple assignment: [A, B, C] = f
    if (t.kind === "op" && t.text === "[") {
      const save = this.pos;
      this.speculative++;
      let targets: string[] | null;
      try {
        targets = this.tryTargetList();
      } finally {
        this.speculative--;
      }
      if (targets && this.isOp("=") && !this.isOp("=", 1)) {
        this.pos++;
        const rhs = this.expr();
        return { t: "multi", targets, rhs, line: t.line };
      }
      this.pos = save;
    }
    // Assignment: lvalue = expr
    if (t.kind === "id") {
      const save = this.pos;
      this.speculative++;
      let lv: { base: string; path: LPath[] } | null;
      try {
        lv = this.tryLValue();
      } finally {
        this.speculative--;
      }
      if (lv && this.isOp("=")) {
        this.pos++;
        const rhs = this.expr();
        return { t: "assign", base: lv.base, path: lv.path, rhs, line: t.line };
      }
      this.pos = save;
    }
    const e = this.expr();
    return { t: "expr", e, line: t.line };
  }

  private functionHeader(): Stmt {
    const line = this.next().line;
    let outputs: string[] = [];
    let name = "";
    // function out = name(...) | function [a, b] = name(...) | function name(...)
    if (this.isOp("[")) {
      const targets = this.tryTargetList();
      if (!targets) throw new GridFormatError("malformed function header", { line });
      outputs = targets;
      this.expectOp("=");
      name = this.expectId();
    } else {
      const first = this.expectId();
      if (this.isOp("=")) {
        this.pos++;
        outputs = [first];
        name = this.expectId();
      } else {
        name = first;
      }
    }
    // Skip arguments, if any, to the end of the line.
    while (this.peek().kind !== "nl" && this.peek().kind !== "eof") this.pos++;
    return { t: "function", outputs, name, line };
  }

  private expectId(): string {
    const t = this.next();
    if (t.kind !== "id") throw new GridFormatError(`expected a name but found ${describe(t)}`, { line: t.line });
    return t.text;
  }

  private tryTargetList(): string[] | null {
    if (!this.isOp("[")) return null;
    this.pos++;
    const names: string[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind === "id") {
        names.push(t.text);
        this.pos++;
      } else if (t.kind === "op" && t.text === "~") {
        names.push("~");
        this.pos++;
      } else if (t.kind === "op" && t.text === ",") {
        this.pos++;
      } else if (t.kind === "op" && t.text === ";") {
        this.pos++; // a line break inside the list
      } else if (t.kind === "op" && t.text === "]") {
        this.pos++;
        return names;
      } else {
        return null;
      }
    }
  }

  private tryLValue(): { base: string; path: LPath[] } | null {
    const base = this.next();
    if (base.kind !== "id") return null;
    const path: LPath[] = [];
    for (;;) {
      if (this.isOp(".") && this.peek(1).kind === "id") {
        this.pos++;
        path.push({ kind: "field", name: this.next().text });
        if (path.length > this.limits.nestingDepth) {
          throw new GridLimitError(`an assignment target of more than ${formatCount(this.limits.nestingDepth)} fields and indices; the limit is ${formatCount(this.limits.nestingDepth)}`, {
            line: base.line,
          });
        }
      } else if (this.isOp("(") || this.isOp("{")) {
        const brace = this.isOp("{");
        this.pos++;
        let args: Expr[];
        const nesting = this.nesting;
        try {
          args = this.argList(brace ? "}" : ")");
        } catch (e) {
          // A limit is final; any other error only means this is not an assignment target.
          if (e instanceof GridLimitError) throw e;
          this.nesting = nesting;
          return null;
        }
        path.push({ kind: "index", args, brace });
      } else {
        break;
      }
      if (path.length > this.limits.nestingDepth) {
        throw new GridLimitError(`an assignment target of more than ${formatCount(this.limits.nestingDepth)} fields and indices; the limit is ${formatCount(this.limits.nestingDepth)}`, {
          line: base.line,
        });
      }
    }
    return { base: base.text, path };
  }

  /** Comma-separated arguments up to the closing token (consumed). */
  private argList(close: string): Expr[] {
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

function describe(t: Token): string {
  switch (t.kind) {
    case "eof":
      return "end of file";
    case "nl":
      return "end of line";
    case "num":
      return `number ${t.text}`;
    case "id":
      return `'${t.text}'`;
    case "str":
      return `string '${t.text}'`;
    default:
      return `'${t.text}'`;
  }
}
