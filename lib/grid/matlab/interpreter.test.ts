import { describe, expect, it } from "vitest";
import { MATPOWER_LIMITS } from "../../limits";
import { runMatlab } from "./interpreter";
import type { Value } from "./values";

/** A value as the table writes it: a scalar as a number, a matrix as rows, a string, a cell as { cell: rows }, a struct as an object. */
type Plain = number | number[][] | string | { cell: Plain[][] } | { [field: string]: Plain };

function plain(v: Value): Plain {
  switch (v.kind) {
    case "mat":
      return v.isScalar() ? v.data[0] : v.toRows();
    case "str":
      return v.value;
    case "cell":
      return { cell: Array.from({ length: v.rows }, (_, r) => Array.from({ length: v.cols }, (_, c) => plain(v.items[c * v.rows + r]))) };
    case "struct":
      return Object.fromEntries([...v.fields].map(([k, f]) => [k, plain(f)]));
  }
}

/** Runs `src` and returns variable `name` (default x). */
function evaluate(src: string, name = "x"): Plain {
  const v = runMatlab(src).vars.get(name);
  if (!v) throw new Error(`no variable ${name}`);
  return plain(v);
}

// Inputs → outputs. Values are exact unless a case says otherwise (all are exact in binary64).
const VALUES: [name: string, src: string, want: Plain][] = [
  ["a scalar", "x = 42;", 42],
  ["scientific notation", "x = 1.5e-3;", 0.0015],
  ["operator precedence", "x = 1 + 2 * 3 ^ 2;", 19],
  ["unary minus binds looser than ^", "x = -2 ^ 2;", -4],
  ["parentheses", "x = (1 + 2) * 3;", 9],
  ["a row vector with spaces and commas", "x = [1 2, 3];", [[1, 2, 3]]],
  [
    "rows separated by ; and by a line break",
    "x = [1 2; 3 4\n5 6];",
    [
      [1, 2],
      [3, 4],
      [5, 6],
    ],
  ],
  ["an empty matrix", "x = [];", []],
  ["a signed element in a matrix row", "x = [1 -2];", [[1, -2]]],
  ["a binary minus in a matrix row", "x = [1 - 2];", -1],
  ["a range", "x = 1:4;", [[1, 2, 3, 4]]],
  ["a range with a step", "x = 10:-3:1;", [[10, 7, 4, 1]]],
  ["an empty range is 1x0", "x = 3:1;", [[]]],
  ["transpose", "x = [1 2 3]';", [[1], [2], [3]]],
  [
    "horizontal concatenation of matrices",
    "a = [1; 2]; x = [a a];",
    [
      [1, 1],
      [2, 2],
    ],
  ],
  [
    "vertical concatenation of matrices",
    "a = [1 2]; x = [a; 3 4];",
    [
      [1, 2],
      [3, 4],
    ],
  ],
  ["element-wise operations", "x = [1 2] .* [3 4] + [4 6] ./ [2 3];", [[5, 10]]],
  ["matrix product", "x = [1 2; 3 4] * [1; 1];", [[3], [7]]],
  ["comparison gives 0 and 1", "x = [1 2 3] > 1;", [[0, 1, 1]]],
  ["linear indexing", "a = [1 2; 3 4]; x = a(3);", 2],
  ["row and column indexing", "a = [1 2; 3 4]; x = a(2, 1);", 3],
  ["a colon selects a whole column", "a = [1 2; 3 4]; x = a(:, 2);", [[2], [4]]],
  ["end in an index", "a = [5 6 7]; x = a(end);", 7],
  ["end arithmetic in a range index", "a = [5 6 7 8]; x = a(2:end-1);", [[6, 7]]],
  ["indexed assignment grows a matrix", "x = [1 2]; x(4) = 9;", [[1, 2, 0, 9]]],
  [
    "row deletion",
    "x = [1 2; 3 4; 5 6]; x(2, :) = [];",
    [
      [1, 2],
      [5, 6],
    ],
  ],
  ["a string in single quotes with a doubled quote", "x = 'it''s';", "it's"],
  ["a string in double quotes", 'x = "version 2";', "version 2"],
  ["struct fields", "s.a = 1; s.b.c = [1 2]; x = s;", { a: 1, b: { c: [[1, 2]] } }],
  ["a field read back", "s.baseMVA = 100; x = s.baseMVA / 2;", 50],
  [
    "a cell array",
    "x = {'a', 1; 'b', 2};",
    {
      cell: [
        ["a", 1],
        ["b", 2],
      ],
    },
  ],
  ["brace indexing of a cell", "c = {'bus', 'gen'}; x = c{2};", "gen"],
  ["a comment after a statement and on its own line", "% header\nx = 1; % one\n% x = 2;", 1],
  ["a block comment", "%{\nx = 2;\n%}\nx = 3;", 3],
  ["a line continuation", "x = [1 2 ...\n 3];", [[1, 2, 3]]],
  ["a continuation inside an expression", "x = 1 + ...\n 2;", 3],
  [
    "zeros and ones",
    "x = [zeros(1, 2); ones(1, 2)];",
    [
      [0, 0],
      [1, 1],
    ],
  ],
  [
    "eye",
    "x = eye(2);",
    [
      [1, 0],
      [0, 1],
    ],
  ],
  ["size", "x = size([1 2 3; 4 5 6]);", [[2, 3]]],
  ["length and numel", "a = ones(2, 3); x = [length(a) numel(a)];", [[3, 6]]],
  ["sum of a matrix is per column", "x = sum([1 2; 3 4]);", [[4, 6]]],
  ["mod and rem with a negative operand", "x = [mod(-1, 3) rem(-1, 3)];", [[2, -1]]],
  ["pi and sqrt", "x = round(sqrt(2) * pi * 1e6);", 4442883],
  ["Inf and NaN", "x = [Inf -inf];", [[Infinity, -Infinity]]],
  ["isempty", "x = [isempty([]) isempty(1)];", [[1, 0]]],
  ["the MATPOWER index functions", "[PQ, PV, REF, NONE, BUS_I] = idx_bus; x = [PQ PV REF NONE BUS_I];", [[1, 2, 3, 4, 1]]],
];

/** Variables of a small MATPOWER case file: a function header, struct fields, a matrix literal with comments and blank lines. */
const CASE = `function mpc = tiny
%TINY  two buses
mpc.version = '2';
mpc.baseMVA = 100;

%% bus data
%	bus_i	type	Pd	Qd
mpc.bus = [
	1	3	0	0;
	2	1	10	5;	% a load
];
mpc.branch = [1 2 0.01 0.1];
`;

// Inputs → exact error messages.
const ERRORS: [name: string, src: string, message: string][] = [
  ["an unknown function", "x = frobnicate(1);", "line 1: unknown function or variable 'frobnicate'"],
  ["an unknown variable", "x = 1;\ny = z + 1;", "line 2: unknown function or variable 'z'"],
  ["an index past the end", "a = [1 2 3];\nx = a(4);", "line 2: index 4 exceeds the 3 elements"],
  ["a row index past the end", "a = [1 2; 3 4];\nx = a(3, 1);", "line 2: row index 3 exceeds the 2 rows"],
  ["a zero index", "a = [1 2 3];\nx = a(0);", "line 2: index 0 is not a positive integer"],
  ["a fractional index", "a = [1 2 3];\nx = a(1.5);", "line 2: index 1.5 is not a positive integer"],
  // The lexer finds an unclosed bracket at the end of the file and names that line.
  ["a matrix never closed", "x = [1 2\n3 4", "line 2: '[' opened but never closed before the end of the file"],
  ["rows of different lengths", "x = [1 2;\n3];", "line 2: this row has 1 values, the matrix's first row has 2"],
  ["an unterminated string", "x = 'abc\ny = 1;", "line 1: unterminated string"],
  ["mismatched sizes", "x = [1 2] + [1 2 3];", "line 1: sizes 1x2 and 1x3 do not match"],
  ["a product of mismatched sizes", "x = [1 2] * [1 2];", "line 1: matrix product of 1x2 and 1x2"],
  ["a field of a non-struct", "a = 1;\nx = a.b;", "line 2: field 'b' of a non-struct value"],
  ["a missing field", "s.a = 1;\nx = s.b;", "line 2: struct has no field 'b'"],
  ["a control-flow statement", "for k = 1:3\nend", "line 1: 'for' statements are not supported in case files"],
  ["an unbalanced bracket", "x = (1 + 2];", "line 1: unbalanced ']'"],
  ["matrix power", "x = [1 2; 3 4] ^ 2;", "line 1: matrix power is not supported (use .^)"],
  ["too many arguments", "x = zeros(1, 2, 3);", "line 1: zeros takes 0 to 2 arguments, got 3"],
  ["a range without an end", "x = 1:Inf;", "line 1: the range 1:1:Infinity has no end"],
  ["a matrix over the element limit", "x = ones(3e4, 3e4);", "line 1: a 30,000x30,000 matrix has 900,000,000 elements; the limit is 5,000,000 per matrix"],
  ["a string over the length limit", `x = '${"a".repeat(5000)}';`, "line 1: a string of more than 4,096 characters; the limit is 4,096"],
];

describe("MATLAB evaluator: inputs → values", () => {
  it.each(VALUES)("%s", (_name, src, want) => {
    expect(evaluate(src)).toEqual(want);
  });

  it("reads a small MATPOWER case file: header, fields, matrix rows with comments", () => {
    const r = runMatlab(CASE);
    expect(r.functionName).toBe("tiny");
    expect(r.outputs).toEqual(["mpc"]);
    expect(plain(r.vars.get("mpc")!)).toEqual({
      version: "2",
      baseMVA: 100,
      bus: [
        [1, 3, 0, 0],
        [2, 1, 10, 5],
      ],
      branch: [[1, 2, 0.01, 0.1]],
    });
  });
});

describe("MATLAB evaluator: inputs → error messages", () => {
  it.each(ERRORS)("%s", (_name, src, message) => {
    expect(() => runMatlab(src)).toThrow(message);
    try {
      runMatlab(src);
    } catch (e) {
      expect((e as Error).message).toBe(message);
    }
  });

  it("a statement count over a lowered limit names the line", () => {
    expect(() => runMatlab("a = 1;\nb = 2;\nc = 3;", { ...MATPOWER_LIMITS, statements: 2 })).toThrow(/^line 3: more than 2 statements: not a MATPOWER case file$/);
  });
});
