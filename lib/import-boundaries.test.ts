// The layers import one way (docs: README, issue 16/20):
//   app → components → lib/client → lib/server, lib/db → the numerical core (every other lib/* folder, and solver-worker)
// and browser code (lib/client, and every module a "use client" file reaches) never imports
// lib/server or lib/db, types included. The lib/* folders of the core also form no cycle.
// This test parses the import/export-from statements of every source file under app,
// components, lib and solver-worker and names each file and import that breaks a rule.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SOURCE_DIRS = ["app", "components", "lib", "solver-worker"];
const EXTENSIONS = [".ts", ".tsx", ".mts", ".mjs", ".js"];

/**
 * Tests, benchmarks and their runners (lib/bench/main.ts and registry.ts, `npm run bench`
 * under tsx) and test support (lib/testing, lib/server/test-harness.ts) run in Node and are
 * never bundled: they may set up any layer, and only they may import each other.
 */
const TEST_SUPPORT = new Set(["lib/bench/main.ts", "lib/bench/registry.ts", "lib/server/test-harness.ts"]);
const isTestOnly = (file: string) => /\.(test|bench)\.tsx?$/.test(file) || file.startsWith("lib/testing/") || TEST_SUPPORT.has(file);
/** Prisma's generated client (lib/generated) belongs to lib/db; build output is not source. */
const isGenerated = (file: string) => file.startsWith("lib/generated/") || file === "lib/server/pool/worker.mjs";

type Layer = "app" | "components" | "client" | "server" | "core";
const RANK: Record<Layer, number> = { app: 4, components: 3, client: 2, server: 1, core: 0 };

const isServer = (file: string) => /^lib\/(server|db|generated)\//.test(file);

function layerOf(file: string): Layer {
  if (file.startsWith("app/")) return "app";
  if (file.startsWith("components/")) return "components";
  if (file.startsWith("lib/client/")) return "client";
  if (isServer(file)) return "server";
  return "core";
}

/** Packages only the layers above the core may use. */
const UI_PACKAGES = /^(next|react|react-dom|server-only|client-only)(\/|$)/;

function listSources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(join(ROOT, dir))) {
    const rel = `${dir}/${name}`;
    if (name === "node_modules" || name.startsWith(".")) continue;
    if (statSync(join(ROOT, rel)).isDirectory()) listSources(rel, out);
    else if (/\.(ts|tsx|mts|mjs)$/.test(name) && !name.endsWith(".d.ts") && !isGenerated(rel)) out.push(rel);
  }
  return out;
}

/** The file a specifier names (repository-relative), or null for a package. */
function resolveSpecifier(from: string, spec: string): string | null {
  let base: string;
  if (spec.startsWith("@/")) base = join(ROOT, spec.slice(2));
  else if (spec.startsWith(".")) base = resolve(ROOT, dirname(from), spec);
  else return null;
  const candidates = [base, ...EXTENSIONS.map((e) => base + e), ...EXTENSIONS.map((e) => join(base, `index${e}`))];
  // `./x.js` written for a TypeScript file `./x.ts`
  if (/\.(m?js)$/.test(base)) candidates.push(base.replace(/\.m?js$/, ".ts"), base.replace(/\.m?js$/, ".tsx"));
  const hit = candidates.find((c) => existsSync(c) && statSync(c).isFile());
  return relative(ROOT, hit ?? base)
    .split("\\")
    .join("/");
}

interface Edge {
  from: string;
  spec: string;
  to: string | null;
}

function readGraph() {
  const files = SOURCE_DIRS.flatMap((d) => listSources(d));
  const edges = new Map<string, Edge[]>();
  const useClient = new Set<string>();
  for (const file of files) {
    const text = readFileSync(join(ROOT, file), "utf8");
    if (/^\s*(\/\/[^\n]*\n\s*)*["']use client["']/.test(text)) useClient.add(file);
    const info = ts.preProcessFile(text, true, true);
    edges.set(
      file,
      info.importedFiles.map(({ fileName: spec }) => ({ from: file, spec, to: resolveSpecifier(file, spec) })),
    );
  }
  return { files, edges, useClient };
}

const graph = readGraph();
const show = (e: Edge) => `${e.from} imports "${e.spec}"`;

/** Where a lower layer imports a higher one (and the core imports a UI package). */
function layerViolations(): string[] {
  const found: string[] = [];
  for (const [file, list] of graph.edges) {
    if (isTestOnly(file)) continue;
    const layer = layerOf(file);
    for (const e of list) {
      if (e.to === null) {
        if (layer === "core" && UI_PACKAGES.test(e.spec)) found.push(`${show(e)}: the numerical core imports a UI package`);
        if (layer === "server" && /^(react|react-dom|client-only)(\/|$)/.test(e.spec)) found.push(`${show(e)}: lib/server imports React`);
        continue;
      }
      if (isTestOnly(e.to)) {
        found.push(`${show(e)}: production code imports test support`);
        continue;
      }
      const target = layerOf(e.to);
      if (RANK[target] > RANK[layer]) found.push(`${show(e)}: ${layer} imports ${target}`);
    }
  }
  return found.sort();
}

/** Browser code: lib/client, solver-worker and everything a "use client" file reaches. */
function browserModules(): Map<string, string> {
  const reachedFrom = new Map<string, string>();
  const roots = graph.files.filter((f) => !isTestOnly(f) && (graph.useClient.has(f) || f.startsWith("lib/client/") || f.startsWith("solver-worker/")));
  const queue = roots.map((r) => [r, r] as const);
  for (const [r] of queue) reachedFrom.set(r, r);
  while (queue.length > 0) {
    const [file, root] = queue.shift()!;
    for (const e of graph.edges.get(file) ?? []) {
      // A crossing into server code is reported once, where it happens, not followed further.
      if (e.to === null || reachedFrom.has(e.to) || !graph.edges.has(e.to) || isServer(e.to)) continue;
      reachedFrom.set(e.to, root);
      queue.push([e.to, root]);
    }
  }
  return reachedFrom;
}

function browserViolations(): string[] {
  const found: string[] = [];
  for (const [file, root] of browserModules()) {
    for (const e of graph.edges.get(file) ?? []) {
      if (e.to !== null && isServer(e.to)) {
        found.push(`${show(e)}: browser code (${file === root ? "itself" : `reached from ${root}`}) imports server code`);
      }
      if (e.spec === "server-only") found.push(`${show(e)}: a server-only module is reached from browser code (${root})`);
    }
  }
  return found.sort();
}

/** The folder a file belongs to for the cycle check: lib/<x>, components/<x> or solver-worker. */
const folderOf = (file: string) => (file.startsWith("solver-worker/") ? "solver-worker" : file.split("/").slice(0, 2).join("/"));
const inFolders = (file: string) => /^(lib|components)\/[^/]+\//.test(file) || file.startsWith("solver-worker/");

/** Cycles between the folders of lib and of components (strongly connected components of the folder graph), each with one import per step. */
function folderCycles(): string[] {
  const example = new Map<string, Edge>(); // "a→b" → one import that makes the edge
  const next = new Map<string, Set<string>>();
  for (const [file, list] of graph.edges) {
    if (isTestOnly(file) || !inFolders(file)) continue;
    for (const e of list) {
      if (e.to === null || isTestOnly(e.to) || !inFolders(e.to)) continue;
      const [a, b] = [folderOf(file), folderOf(e.to)];
      if (a === b) continue;
      if (!next.has(a)) next.set(a, new Set());
      next.get(a)!.add(b);
      if (!example.has(`${a}→${b}`)) example.set(`${a}→${b}`, e);
    }
  }
  // Tarjan's strongly connected components.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const v of [...next.keys()].sort()) if (!index.has(v)) visit(v);
  // One concrete cycle per component: a shortest path back to its first folder.
  return components.map((component) => {
    const start = component[0];
    const inside = new Set(component);
    const parent = new Map<string, string>();
    const queue = [start];
    let last: string | undefined;
    for (const v of queue) {
      for (const w of next.get(v) ?? []) {
        if (!inside.has(w)) continue;
        if (w === start) {
          last = v;
          break;
        }
        if (!parent.has(w)) {
          parent.set(w, v);
          queue.push(w);
        }
      }
      if (last) break;
    }
    const path = [start];
    for (let v = last!; v !== start; v = parent.get(v)!) path.splice(1, 0, v);
    path.push(start);
    const steps = path.slice(1).map((b, i) => show(example.get(`${path[i]}→${b}`)!));
    return `cycle ${path.join(" → ")} (folders ${component.join(", ")}): ${steps.join("; ")}`;
  });
}

describe("import boundaries", () => {
  it("reads the import graph of app, components, lib and solver-worker", () => {
    expect(graph.files.length).toBeGreaterThan(300);
    expect(graph.useClient.size).toBeGreaterThan(20);
    const unresolved = [...graph.edges.values()].flat().filter((e) => e.to !== null && !existsSync(join(ROOT, e.to)));
    expect(unresolved.map(show)).toEqual([]);
  });

  it("no lower layer imports a higher one (app → components → lib/client → lib/server, lib/db → core)", () => {
    expect(layerViolations()).toEqual([]);
  });

  it('browser code (lib/client, solver-worker, whatever a "use client" file reaches) never imports lib/server or lib/db', () => {
    expect(browserViolations()).toEqual([]);
  });

  it("the folders of lib (and of components) import each other without cycles", () => {
    expect(folderCycles()).toEqual([]);
  });
});
