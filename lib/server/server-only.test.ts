import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";
import { describe, expect, it } from "vitest";

// Every module of lib/server and lib/db starts with `import "server-only"`: a bundle for the
// browser that reaches one fails (Next refuses it at build time), while Next's server code,
// the tests (vitest.config.ts), the worker pool (scripts/build-pool-worker.mjs) and the
// server's scripts (`tsx --conditions=react-server`, package.json) resolve it to nothing.

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Modules without the marker, and why. */
const EXEMPT: Record<string, string> = {
  "lib/server/security-headers.ts": "next.config.ts imports it, and Next loads its config in plain Node (no react-server condition)",
};

function modules(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const rel = `${dir}/${name}`;
    if (statSync(join(ROOT, rel)).isDirectory()) return modules(rel);
    return /\.tsx?$/.test(name) && !/\.(test|bench)\.ts$|\.d\.ts$/.test(name) ? [rel] : [];
  });
}

const SERVER_MODULES = [...modules("lib/server"), ...modules("lib/db")].filter((f) => !(f in EXEMPT));

/** Bundle one module alone (everything but `server-only` left external) as the given platform resolves it. */
async function bundleAlone(file: string, conditions: string[]) {
  const onlyServerOnly: Plugin = {
    name: "only-server-only",
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => (args.kind === "entry-point" || args.path === "server-only" ? undefined : { path: args.path, external: true }));
    },
  };
  const out = await build({
    entryPoints: [join(ROOT, file)],
    bundle: true,
    write: false,
    platform: "browser",
    format: "cjs",
    conditions,
    plugins: [onlyServerOnly],
    metafile: true,
    logLevel: "silent",
  });
  return { code: out.outputFiles[0].text, inputs: Object.keys(out.metafile.inputs).map((p) => relative(ROOT, resolve(ROOT, p))) };
}

describe('import "server-only"', () => {
  it("is the first import of every module in lib/server and lib/db (exceptions give a reason)", () => {
    expect(SERVER_MODULES.length).toBeGreaterThan(50);
    const missing = SERVER_MODULES.filter((f) => !/^(#![^\n]*\n)?import "server-only";\n/.test(readFileSync(join(ROOT, f), "utf8")));
    expect(missing).toEqual([]);
  });

  it("makes every lib/server and lib/db module throw when a browser bundle loads it", async () => {
    const loaded: string[] = [];
    for (const file of SERVER_MODULES) {
      const { code, inputs } = await bundleAlone(file, []);
      expect(inputs, file).toContain("node_modules/server-only/index.js");
      const run = new Function("require", "module", "exports", code);
      try {
        run(() => ({}), { exports: {} }, {});
        loaded.push(file);
      } catch (e) {
        expect((e as Error).message, file).toMatch(/cannot be imported from a Client Component module/);
      }
    }
    expect(loaded).toEqual([]);
  });

  it("resolves to the empty module under the react-server condition (Next's server code, the pool, tsx scripts)", async () => {
    const { inputs } = await bundleAlone("lib/server/grids.ts", ["react-server"]);
    expect(inputs).toContain("node_modules/server-only/empty.js");
    expect(inputs).not.toContain("node_modules/server-only/index.js");
  });

  it("the worker pool's bundle and the server's npm scripts resolve it to nothing", () => {
    const scripts = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts as Record<string, string>;
    for (const name of ["accounts", "bench"]) expect(scripts[name], name).toMatch(/^tsx --conditions=react-server /);
    expect(readFileSync(join(ROOT, "lib/server/pool/worker.mjs"), "utf8")).not.toMatch(/cannot be imported from a Client Component module/);
  });
});
