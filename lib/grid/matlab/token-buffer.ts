import type { Token } from "./lexer";

/**
 * Lookahead over a lazy token stream: the parser reads ahead and backtracks within a
 * statement; the tokens of finished statements are released.
 */
export class TokenBuffer {
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

/** A token as messages name it ("end of line", '=', number 3). */
export function describe(t: Token): string {
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
