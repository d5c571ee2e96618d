import { formatCount, MATPOWER_LIMITS, type MatpowerLimits } from "../../limits";
import { GridFormatError, GridLimitError } from "../errors";
import type { Expr, LPath, Stmt } from "./ast";
import { ExpressionParser } from "./expressions";
import { lexTokens } from "./lexer";
import { TokenBuffer, describe } from "./token-buffer";

/**
 * The statement half of the case-file parser: assignments (to fields and indices),
 * multiple assignment from the idx_* functions, the function header and bare
 * expressions, one statement at a time.
 */

const UNSUPPORTED = new Set(["if", "for", "while", "switch", "try", "parfor", "do", "unwind_protect", "global", "persistent"]);

/**
 * The statements of a source text, one at a time as the lexer reads them: a caller
 * that runs each before asking for the next stops at the first bad line of a
 * large file without having read the rest.
 */
export function matlabStatements(src: string, limits: MatpowerLimits = MATPOWER_LIMITS): Generator<Stmt, void, undefined> {
  return new Parser(new TokenBuffer(lexTokens(src, limits)), limits).program();
}

class Parser extends ExpressionParser {
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
}
