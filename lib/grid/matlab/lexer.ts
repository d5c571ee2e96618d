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

/**
 * The tokens of a source text, produced as they are read: the parser holds one
 * statement's tokens at a time, so a large file costs memory in proportion to its
 * largest statement, not to its length.
 */
export function* lexTokens(src: string, limits: { stringLength: number; tokenLength: number } = MATPOWER_LIMITS): Generator<Token, void, undefined> {
  const tooLong = (what: string, n: number, max: number): never => {
    throw new GridLimitError(`${what} of more than ${formatCount(n)} characters; the limit is ${formatCount(max)}`, { line });
  };
  const pending: Token[] = [];
  let last: Token | undefined;
  const emit = (t: Token) => {
    pending.push(t);
    last = t;
  };
  const brackets: string[] = []; // stack of "[", "{", "("
  // A UTF-8 byte-order mark (files saved by Windows editors) is not part of the program.
  let i = src.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const n = src.length;
  let sawSpace = false;

  const push = (kind: TokenKind, text: string, value = 0) => {
    const inList = brackets.length > 0 && brackets[brackets.length - 1] !== "(";
    if (inList && sawSpace && endsOperand(last) && startsElement(kind, text)) {
      emit({ kind: "op", text: ",", value: 0, line });
    }
    emit({ kind, text, value, line });
    sawSpace = false;
  };

  // Inside a list, does this token start a new element after whitespace?
  const startsElement = (kind: TokenKind, text: string): boolean => {
    if (kind === "num" || kind === "id" || kind === "str") return true;
    if (kind !== "op") return false;
    if (text === "(" || text === "[" || text === "{" || text === "@") return true;
    if (text === "+" || text === "-") {
      const next = src[i + 1];
      return next !== undefined && next !== " " && next !== "\t";
    }
    if (text === "~" || text === "!") return src[i + 1] !== "=";
    return false;
  };

  while (i < n) {
    if (pending.length) {
      // An index loop: `yield*` over the array costs an iterator per token (numeric tables have millions).
      for (let q = 0; q < pending.length; q++) yield pending[q];
      pending.length = 0;
    }
    const code = src.charCodeAt(i);
    // Numbers first: a case file is mostly numeric tables.
    if ((code >= 48 && code <= 57) || (code === 46 && isDigitCode(src.charCodeAt(i + 1)))) {
      const j = scanNumber(src, i);
      if (j - i > limits.tokenLength) tooLong("a number", limits.tokenLength, limits.tokenLength);
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
      push("num", text, value);
      i = j;
      continue;
    }
    const c = src[i];

    // Line breaks.
    if (c === "\n" || c === "\r") {
      if (c === "\r" && src[i + 1] === "\n") i++;
      i++;
      const inList = brackets.length > 0 && brackets[brackets.length - 1] !== "(";
      if (inList) {
        if (last && !(last.kind === "op" && (last.text === ";" || last.text === "[" || last.text === "{"))) {
          emit({ kind: "op", text: ";", value: 0, line });
        }
      } else if (brackets.length === 0) {
        emit({ kind: "nl", text: "\n", value: 0, line });
      }
      line++;
      sawSpace = false;
      continue;
    }
    if (c === " " || c === "\t" || c === "\f" || c === "\v") {
      sawSpace = true;
      i++;
      continue;
    }

    // Comments: block comments are %{ or #{ alone on a line.
    if (c === "%" || c === "#") {
      if (src[i + 1] === "{" && lineIsOnly(src, i, 2)) {
        let depth = 0;
        while (i < n) {
          const eol = nextEol(src, i);
          const text = src.slice(i, eol).trim();
          if (text === "%{" || text === "#{") depth++;
          else if (text === "%}" || text === "#}") depth--;
          i = eol;
          if (depth === 0) break;
          if (src[i] === "\r" && src[i + 1] === "\n") i++;
          if (i < n) {
            i++;
            line++;
          }
          while (i < n && (src[i] === " " || src[i] === "\t")) i++;
        }
        continue;
      }
      i = nextEol(src, i);
      continue;
    }

    // Continuation: "..." ignores the rest of the line and the line break.
    if (c === "." && src[i + 1] === "." && src[i + 2] === ".") {
      i = nextEol(src, i);
      if (src[i] === "\r" && src[i + 1] === "\n") i++;
      if (i < n) {
        i++;
        line++;
      }
      sawSpace = true;
      continue;
    }

    if (isIdStart(c)) {
      let j = i + 1;
      while (j < n && isIdChar(src[j])) j++;
      if (j - i > limits.tokenLength) tooLong("a name", limits.tokenLength, limits.tokenLength);
      push("id", src.slice(i, j));
      i = j;
      continue;
    }

    // Quote: transpose after an operand (with no space), else a string.
    if (c === "'") {
      const prev = last;
      const inList = brackets.length > 0 && brackets[brackets.length - 1] !== "(";
      if (endsOperand(prev) && (!sawSpace || !inList)) {
        push("op", "'");
        i++;
        continue;
      }
      let j = i + 1;
      let s = "";
      for (;;) {
        if (j >= n || src[j] === "\n" || src[j] === "\r") throw new GridFormatError("unterminated string", { line });
        if (src[j] === "'") {
          if (src[j + 1] === "'") {
            s += "'";
            j += 2;
            continue;
          }
          break;
        }
        s += src[j++];
        if (s.length > limits.stringLength) tooLong("a string", limits.stringLength, limits.stringLength);
      }
      if (s.length > limits.stringLength) tooLong("a string", limits.stringLength, limits.stringLength);
      push("str", s);
      i = j + 1;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let s = "";
      for (;;) {
        if (j >= n || src[j] === "\n" || src[j] === "\r") throw new GridFormatError("unterminated string", { line });
        if (src[j] === '"') {
          if (src[j + 1] === '"') {
            s += '"';
            j += 2;
            continue;
          }
          break;
        }
        if (src[j] === "\\" && j + 1 < n) {
          s += src[j + 1];
          j += 2;
          continue;
        }
        s += src[j++];
        if (s.length > limits.stringLength) tooLong("a string", limits.stringLength, limits.stringLength);
      }
      if (s.length > limits.stringLength) tooLong("a string", limits.stringLength, limits.stringLength);
      push("str", s);
      i = j + 1;
      continue;
    }

    const two = src.slice(i, i + 2);
    if (TWO_CHAR_OPS.has(two)) {
      push("op", two === "!=" ? "~=" : two);
      i += 2;
      continue;
    }
    if (ONE_CHAR_OPS.has(c)) {
      if (c === "[" || c === "{" || c === "(") {
        push("op", c);
        brackets.push(c);
      } else if (c === "]" || c === "}" || c === ")") {
        const open = brackets.pop();
        const want = c === "]" ? "[" : c === "}" ? "{" : "(";
        if (open !== want) throw new GridFormatError(`unbalanced '${c}'`, { line });
        sawSpace = false;
        emit({ kind: "op", text: c, value: 0, line });
      } else {
        push("op", c === "!" ? "~" : c);
      }
      i++;
      continue;
    }
    throw new GridFormatError(`unexpected character '${c}'`, { line });
  }
  if (brackets.length > 0) {
    throw new GridFormatError(`'${brackets[brackets.length - 1]}' opened but never closed before the end of the file`, { line });
  }
  emit({ kind: "nl", text: "\n", value: 0, line });
  emit({ kind: "eof", text: "", value: 0, line });
  yield* pending;
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
