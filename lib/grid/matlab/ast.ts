/**
 * Syntax tree of the MATLAB subset of MATPOWER case files, as the parser builds it
 * and the evaluator runs it.
 */

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
