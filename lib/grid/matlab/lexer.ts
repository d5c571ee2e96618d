import { formatCount, MATPOWER_LIMITS } from "../../limits";
import { GridFormatError, GridLimitError } from "../errors";

/**
 * Tokenizer for the subset of MATLAB/Octave found in MATPOWER case files.
 * Handles comments (% and #, block %{ %}), continuation (...), the quote
 * ambiguity (transpose vs. string) and, inside [] and {}, MATLAB's rule that
 * whitespace separates elements ([1 -2] is two elements, [1 - 2] is one).
 */

export type TokenKind = "num" | "id" | "str" | "op" | "nl" | "eof";

export interface Token {
  kind: TokenKind;
  /** Operator text, identifier name or string value. */
  text: string;
  value: number;
  line: number;
}

const TWO_CHAR_OPS = new Set([".*", "./", ".^", ".'", "==", "~=", "!=", "<=", ">=", "&&", "||", ".\\"]);
const ONE_CHAR_OPS = new Set("+-*/\\^'<>&|~!=:,;()[]{}.@".split(""));

function isDigit(c: string): boolean {
  return c >= "0" && c <= "9";
}
function isIdStart(c: string): boolean {
  return (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_";
}
function isIdChar(c: string): boolean {
  return isIdStart(c) || isDigit(c);
}

/** True when the token ends an operand, so a following quote is a transpose. */
function endsOperand(t: Token | undefined): boolean {
  if (!t) return false;
  if (t.kind === "num" || t.kind === "id" || t.kind === "str") return true;
  return t.kind === "op" && (t.text === ")" || t.text === "]" || t.text === "}" || t.text === "'" || t.text === ".'");
}

/** At most `max` characters of a source excerpt for a message. */
function excerpt(text: string, max = 40): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** The limits the lexer checks: longest string and longest number or name. */
type LexLimits = { stringLength: number; tokenLength: number };

/**
 * The tokens of a source text, produced as they are read: the parser holds one
 * statement's tokens at a time, so a large file costs memory in proportion to its
 * largest statement, not to its length.
 */
export function* lexTokens(src: string, limits: LexLimits = MATPOWER_LIMITS): Generator<Token, void, undefined> {
  const lexer = new Lexer(src, limits);
  const pending = lexer.pending;
  while (lexer.i < src.length) {
    if (pending.length) {
      // An index loop: `yield*` over the array costs an iterator per token (numeric tables have millions).
      for (let q = 0; q < pending.length; q++) yield pending[q];
      pending.length = 0;
    }
    lexer.step();
  }
  lexer.finish();
  yield* pending;
}

/** The lexer's position in the source and the state its rules depend on. */
class Lexer {
  /** Tokens read and not yet handed out. */
  readonly pending: Token[] = [];
  /** Position of the next character. */
  i: number;
  private line = 1;
  private last: Token | undefined;
  /** Stack of open "[", "{" and "(". */
  private readonly brackets: string[] = [];
  /** Whitespace since the last token (inside [] and {}, it may separate elements). */
  private sawSpace = false;

  constructor(
    private readonly src: string,
    private readonly limits: LexLimits,
  ) {
    // A UTF-8 byte-order mark (files saved by Windows editors) is not part of the program.
    this.i = src.charCodeAt(0) === 0xfeff ? 1 : 0;
  }

  /** Read one token, line break, blank, comment or continuation at `i`. */
  step(): void {
    const src = this.src;
    const i = this.i;
    const code = src.charCodeAt(i);
    // Numbers first: a case file is mostly numeric tables.
    if ((code >= 48 && code <= 57) || (code === 46 && isDigitCode(src.charCodeAt(i + 1)))) {
      this.number();
      return;
    }
    const c = src[i];
    if (c === "\n" || c === "\r") this.lineBreak(c);
    else if (c === " " || c === "\t" || c === "\f" || c === "\v") {
      this.sawSpace = true;
      this.i++;
    } else if (c === "%" || c === "#") this.comment();
    else if (c === "." && src[i + 1] === "." && src[i + 2] === ".") this.continuation();
    else if (isIdStart(c)) this.identifier();
    else if (c === "'") this.quote();
    else if (c === '"') this.string('"');
    else this.operator(c);
  }

  /** The end of the source: every bracket closed, then a final line break and eof. */
  finish(): void {
    const { brackets, line } = this;
    if (brackets.length > 0) {
      throw new GridFormatError(`'${brackets[brackets.length - 1]}' opened but never closed before the end of the file`, { line });
    }
    this.emit({ kind: "nl", text: "\n", value: 0, line });
    this.emit({ kind: "eof", text: "", value: 0, line });
  }

  private tooLong(what: string, n: number, max: number): never {
    throw new GridLimitError(`${what} of more than ${formatCount(n)} characters; the limit is ${formatCount(max)}`, { line: this.line });
  }

  private emit(t: Token): void {
    this.pending.push(t);
    this.last = t;
  }

  /** Inside [] or {} (not inside a parenthesis there), where whitespace may separate elements. */
  private inList(): boolean {
    const brackets = this.brackets;
    return brackets.length > 0 && brackets[brackets.length - 1] !== "(";
  }

  /** Emit a token, with the comma MATLAB implies when whitespace separates two elements of a list. */
  private push(kind: TokenKind, text: string, value = 0): void {
    if (this.inList() && this.sawSpace && endsOperand(this.last) && this.startsElement(kind, text)) {
      this.emit({ kind: "op", text: ",", value: 0, line: this.line });
    }
    this.emit({ kind, text, value, line: this.line });
    this.sawSpace = false;
  }

  /** Inside a list, does this token start a new element after whitespace? */
  private startsElement(kind: TokenKind, text: string): boolean {
    if (kind === "num" || kind === "id" || kind === "str") return true;
    if (kind !== "op") return false;
    if (text === "(" || text === "[" || text === "{" || text === "@") return true;
    if (text === "+" || text === "-") {
      const next = this.src[this.i + 1];
      return next !== undefined && next !== " " && next !== "\t";
    }
    if (text === "~" || text === "!") return this.src[this.i + 1] !== "=";
    return false;
  }

  private number(): void {
    const { src, i, limits, line } = this;
    const n = src.length;
    const j = scanNumber(src, i);
    if (j - i > limits.tokenLength) this.tooLong("a number", limits.tokenLength, limits.tokenLength);
    const after = src.charCodeAt(j);
    if (j < n && (isIdStartCode(after) || (after === 46 && isDigitCode(src.charCodeAt(j + 1))))) {
      let k = j;
      while (k < n && k - i <= limits.tokenLength && (isIdChar(src[k]) || src[k] === ".")) k++;
      throw new GridFormatError(`'${excerpt(src.slice(i, k))}' is not a number`, { line });
    }
    const raw = src.slice(i, j);
    const text = scannedD ? raw.replace(/[dD]/, "e") : raw;
    const value = Number(text);
    if (Number.isNaN(value)) throw new GridFormatError(`'${excerpt(raw)}' is not a number`, { line });
    this.push("num", text, value);
    this.i = j;
  }

  /** A line break: a new row inside [] or {}, the end of a statement outside any bracket. */
  private lineBreak(c: string): void {
    if (c === "\r" && this.src[this.i + 1] === "\n") this.i++;
    this.i++;
    const last = this.last;
    if (this.inList()) {
      if (last && !(last.kind === "op" && (last.text === ";" || last.text === "[" || last.text === "{"))) {
        this.emit({ kind: "op", text: ";", value: 0, line: this.line });
      }
    } else if (this.brackets.length === 0) {
      this.emit({ kind: "nl", text: "\n", value: 0, line: this.line });
    }
    this.line++;
    this.sawSpace = false;
  }

  /** A comment to the end of the line; block comments are %{ or #{ alone on a line, up to the matching %} or #}. */
  private comment(): void {
    const src = this.src;
    const n = src.length;
    if (!(src[this.i + 1] === "{" && lineIsOnly(src, this.i, 2))) {
      this.i = nextEol(src, this.i);
      return;
    }
    let depth = 0;
    while (this.i < n) {
      const eol = nextEol(src, this.i);
      const text = src.slice(this.i, eol).trim();
      if (text === "%{" || text === "#{") depth++;
      else if (text === "%}" || text === "#}") depth--;
      this.i = eol;
      if (depth === 0) break;
      this.skipLineBreak();
      while (this.i < n && (src[this.i] === " " || src[this.i] === "\t")) this.i++;
    }
  }

  /** Continuation: "..." ignores the rest of the line and the line break. */
  private continuation(): void {
    this.i = nextEol(this.src, this.i);
    this.skipLineBreak();
    this.sawSpace = true;
  }

  /** Past the line break at `i` (\r\n counts as one), if any. */
  private skipLineBreak(): void {
    const src = this.src;
    if (src[this.i] === "\r" && src[this.i + 1] === "\n") this.i++;
    if (this.i < src.length) {
      this.i++;
      this.line++;
    }
  }

  private identifier(): void {
    const { src, i, limits } = this;
    let j = i + 1;
    while (j < src.length && isIdChar(src[j])) j++;
    if (j - i > limits.tokenLength) this.tooLong("a name", limits.tokenLength, limits.tokenLength);
    this.push("id", src.slice(i, j));
    this.i = j;
  }

  /** Quote: transpose after an operand (with no space), else a string. */
  private quote(): void {
    if (endsOperand(this.last) && (!this.sawSpace || !this.inList())) {
      this.push("op", "'");
      this.i++;
      return;
    }
    this.string("'");
  }

  /** A string in single quotes, or in double quotes with backslash escapes; a doubled quote is one quote. */
  private string(quote: "'" | '"'): void {
    const { src, limits, line } = this;
    const n = src.length;
    const escapes = quote === '"';
    let j = this.i + 1;
    let s = "";
    for (;;) {
      if (j >= n || src[j] === "\n" || src[j] === "\r") throw new GridFormatError("unterminated string", { line });
      if (src[j] === quote) {
        if (src[j + 1] === quote) {
          s += quote;
          j += 2;
          continue;
        }
        break;
      }
      if (escapes && src[j] === "\\" && j + 1 < n) {
        s += src[j + 1];
        j += 2;
        continue;
      }
      s += src[j++];
      if (s.length > limits.stringLength) this.tooLong("a string", limits.stringLength, limits.stringLength);
    }
    if (s.length > limits.stringLength) this.tooLong("a string", limits.stringLength, limits.stringLength);
    this.push("str", s);
    this.i = j + 1;
  }

  /** An operator; brackets are tracked so line breaks and blanks inside them mean what they should. */
  private operator(c: string): void {
    const two = this.src.slice(this.i, this.i + 2);
    if (TWO_CHAR_OPS.has(two)) {
      this.push("op", two === "!=" ? "~=" : two);
      this.i += 2;
      return;
    }
    if (!ONE_CHAR_OPS.has(c)) throw new GridFormatError(`unexpected character '${c}'`, { line: this.line });
    if (c === "[" || c === "{" || c === "(") {
      this.push("op", c);
      this.brackets.push(c);
    } else if (c === "]" || c === "}" || c === ")") {
      const open = this.brackets.pop();
      const want = c === "]" ? "[" : c === "}" ? "{" : "(";
      if (open !== want) throw new GridFormatError(`unbalanced '${c}'`, { line: this.line });
      this.sawSpace = false;
      this.emit({ kind: "op", text: c, value: 0, line: this.line });
    } else {
      this.push("op", c === "!" ? "~" : c);
    }
    this.i++;
  }
}

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isIdStartCode(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

/** Whether the number scanNumber last read used MATLAB's d exponent (1d3): a flag, not a returned object, for the GC's sake. */
let scannedD = false;

/**
 * The end of the number literal at `i`: digits, an optional fraction, an optional
 * exponent with e, E, d or D (`1.*x` keeps its dot for the operator).
 */
function scanNumber(src: string, i: number): number {
  const n = src.length;
  let j = i;
  while (j < n && isDigitCode(src.charCodeAt(j))) j++;
  if (src.charCodeAt(j) === 46) {
    const next = src[j + 1];
    if (!(next === "*" || next === "/" || next === "^" || next === "'" || next === "\\")) {
      j++;
      while (j < n && isDigitCode(src.charCodeAt(j))) j++;
    }
  }
  scannedD = false;
  const e = src.charCodeAt(j);
  if (e === 101 || e === 69 || e === 100 || e === 68) {
    let k = j + 1;
    const sign = src.charCodeAt(k);
    if (sign === 43 || sign === 45) k++;
    if (isDigitCode(src.charCodeAt(k))) {
      k++;
      while (k < n && isDigitCode(src.charCodeAt(k))) k++;
      j = k;
      scannedD = e === 100 || e === 68;
    }
  }
  return j;
}

function nextEol(src: string, i: number): number {
  while (i < src.length && src[i] !== "\n" && src[i] !== "\r") i++;
  return i;
}

function lineIsOnly(src: string, i: number, len: number): boolean {
  let a = i - 1;
  while (a >= 0 && (src[a] === " " || src[a] === "\t")) a--;
  if (a >= 0 && src[a] !== "\n" && src[a] !== "\r") return false;
  let b = i + len;
  while (b < src.length && (src[b] === " " || src[b] === "\t")) b++;
  return b >= src.length || src[b] === "\n" || src[b] === "\r";
}
