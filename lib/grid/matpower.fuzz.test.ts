import { describe, expect, it } from "vitest";
import { fuzzImporter } from "../testing/fuzz";
import { readSharedCase } from "../testing/shared";
import { GridFormatError } from "./errors";
import { parseMatpowerCase } from "./matpower";

const TOKENS = [
  "function",
  "mpc",
  "=",
  "mpc.bus",
  "mpc.gen",
  "mpc.branch",
  "mpc.baseMVA",
  "[",
  "]",
  "(",
  ")",
  "{",
  "}",
  ";",
  ",",
  "\n",
  ":",
  "'",
  "'a'",
  "1",
  "-2.5",
  "1e3",
  "ones",
  "zeros",
  "eye",
  "repmat",
  "size",
  "end",
  "x",
  "x(1,:)",
  "+",
  "-",
  "*",
  ".*",
  "^",
  "/",
  "%",
  "...",
  "sqrt",
  "mpc.bus_name",
  "define_constants",
  "PD",
  "for",
  "1:3",
];

fuzzImporter(
  { name: "MATPOWER case (parseMatpowerCase)", parse: (t) => parseMatpowerCase(t), isTyped: (e) => e instanceof GridFormatError },
  { corpus: "matpower", seeds: () => ["case9", "case14", "case33bw", "case10ba"].map(readSharedCase), tokens: TOKENS, mutatedRuns: 1000, randomRuns: 1000 },
  { describe, it, expect },
);
