// Issue 16: modules stay small enough to read. No tracked source file of app, components,
// lib, solver-worker, e2e or scripts (generated code and the fuzz corpus aside) is over
// MAX_FILE_LINES lines, and no function over MAX_FUNCTION_LINES lines. The one exception,
// written here: a test file's describe block, which groups tests rather than doing work
// (each test in it is held to the limit like any function).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const MAX_FILE_LINES = 500;
const MAX_FUNCTION_LINES = 120;

/** Tracked source files (git's list: build outputs such as lib/server/pool/worker.mjs are not in it). */
function sourceFiles(): string[] {
  const out = execFileSync("git", ["ls-files", "app", "components", "lib", "solver-worker", "e2e", "scripts"], { cwd: ROOT, encoding: "utf8" });
  return out
    .split("\n")
    .filter((f) => /\.(ts|tsx|mts|mjs|css)$/.test(f) && !f.endsWith(".d.ts"))
    .filter((f) => !f.startsWith("lib/generated/") && !f.includes("/fuzz-corpus/"));
}

const lineCount = (text: string) => text.split("\n").length - (text.endsWith("\n") ? 1 : 0);

/** A describe(…) / test.describe(…) callback: a group of tests. */
function isSuiteCallback(node: ts.Node): boolean {
  const call = node.parent;
  if (!call || !ts.isCallExpression(call) || !call.arguments.includes(node as ts.Expression)) return false;
  const callee = call.expression.getText();
  return /^(describe|test\.describe)(\.(each|only|skip|serial|parallel)|\(.*\))?$/.test(callee) || /^describe\.each\(/.test(callee);
}

/** Functions over the limit in one file: "path:line name (N lines)". */
function longFunctions(file: string, text: string): string[] {
  const src = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith("x") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const test = /\.(test|spec|fuzz\.test)\.tsx?$/.test(file);
  const found: string[] = [];
  const visit = (n: ts.Node) => {
    if (ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n) || ts.isArrowFunction(n) || ts.isFunctionExpression(n) || ts.isConstructorDeclaration(n)) {
      const first = src.getLineAndCharacterOfPosition(n.getStart()).line;
      const lines = src.getLineAndCharacterOfPosition(n.getEnd()).line - first + 1;
      if (lines > MAX_FUNCTION_LINES && !(test && isSuiteCallback(n))) {
        const name = (n as { name?: ts.Node }).name?.getText() ?? (ts.isVariableDeclaration(n.parent) ? n.parent.name.getText() : "(anonymous)");
        found.push(`${file}:${first + 1} ${name} (${lines} lines)`);
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(src);
  return found;
}

describe("codebase limits", () => {
  const files = sourceFiles();

  it("finds the sources it checks", () => {
    expect(files.length).toBeGreaterThan(400);
    expect(files).toContain("lib/powerflow/solver.ts");
  });

  it(`has no source file over ${MAX_FILE_LINES} lines`, () => {
    const long = files.map((f) => ({ f, n: lineCount(readFileSync(join(ROOT, f), "utf8")) })).filter(({ n }) => n > MAX_FILE_LINES);
    expect(long.map(({ f, n }) => `${f} (${n} lines)`)).toEqual([]);
  });

  it(`has no function over ${MAX_FUNCTION_LINES} lines (a test file's describe block aside)`, () => {
    const long = files.filter((f) => !f.endsWith(".css")).flatMap((f) => longFunctions(f, readFileSync(join(ROOT, f), "utf8")));
    expect(long).toEqual([]);
  });

  it("would name a long function and ignore a long describe block", () => {
    const body = Array.from({ length: MAX_FUNCTION_LINES }, (_, i) => `  x += ${i};`).join("\n");
    const fn = `function big() {\n  let x = 0;\n${body}\n  return x;\n}\n`;
    expect(longFunctions("lib/x.ts", fn)).toEqual([`lib/x.ts:1 big (${MAX_FUNCTION_LINES + 4} lines)`]);
    const suite = `describe("s", () => {\n${Array.from({ length: 130 }, (_, i) => `  it("t${i}", () => {});`).join("\n")}\n});\n`;
    expect(longFunctions("lib/x.test.ts", suite)).toEqual([]);
    expect(longFunctions("lib/x.ts", suite)).toHaveLength(1);
  });
});
