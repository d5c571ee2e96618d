import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";

/**
 * Property-based fuzzing of the importers (fast-check): mutations of valid files and
 * random inputs, and the corpus of inputs that once broke an importer. The property
 * is the same for every importer: it returns a value or throws its own typed error —
 * never a TypeError, a RangeError or a stack overflow — and answers within a second.
 */

/** An importer under fuzzing: its parse function and the class of its typed error. */
export interface FuzzTarget {
  name: string;
  parse: (text: string) => unknown;
  /** True for the importer's own typed errors (the only errors allowed). */
  isTyped: (e: unknown) => boolean;
}

/** JSON's structural characters: tokens every JSON importer's fuzzing splices into its inputs. */
export const JSON_PUNCTUATION = ["[", "]", "{", "}", ",", ":"] as const;

/** Longest an importer may take on one fuzz input (issue 14: within 1 s). */
const FUZZ_TIME_LIMIT_MS = 1000;

/** What one input did: the outcome's kind and the time it took. */
export interface FuzzOutcome {
  kind: "value" | "typed-error";
  ms: number;
}

/**
 * Run one input through the importer; throws (failing the property) on an untyped
 * error, a message of more than 2,000 characters or a run over FUZZ_TIME_LIMIT_MS.
 */
function checkInput(target: FuzzTarget, text: string): FuzzOutcome {
  const t0 = performance.now();
  let kind: FuzzOutcome["kind"] = "value";
  try {
    target.parse(text);
  } catch (e) {
    if (!target.isTyped(e)) {
      const err = e as Error;
      throw new Error(`${target.name}: untyped ${err?.name ?? typeof e}: ${err?.message ?? String(e)}`, { cause: e });
    }
    const message = (e as Error).message;
    if (!message || message.length > 2000) throw new Error(`${target.name}: an error message of ${message.length} characters`);
    kind = "typed-error";
  }
  const ms = performance.now() - t0;
  if (ms > FUZZ_TIME_LIMIT_MS) throw new Error(`${target.name}: ${ms.toFixed(0)} ms on one input (limit ${FUZZ_TIME_LIMIT_MS} ms)`);
  return { kind, ms };
}

const NUMBERS = ["1e308", "-1e308", "1e400", "9".repeat(40), "-0", "NaN", "Inf", "-Infinity", "0x10", "1e-400", "3e4", "1e9", "4294967297", "-1", "0.5"];
const NESTERS: [string, string][] = [
  ["(", ")"],
  ["[", "]"],
  ["{", "}"],
  ['{"a":', "}"],
  ["abs(", ")"],
  ["-", ""],
];

/** Mutations of a valid file: each an arbitrary of functions from the text to a mutated text. */
function mutation(): fc.Arbitrary<(s: string) => string> {
  const at = fc.double({ min: 0, max: 1, noNaN: true });
  return fc.oneof(
    // Byte flips: a character replaced by another (printable, control or non-ASCII).
    fc.tuple(at, fc.integer({ min: 0, max: 0x2fff })).map(([p, c]) => (s: string) => {
      const i = Math.floor(p * s.length);
      return s.slice(0, i) + String.fromCharCode(c) + s.slice(i + 1);
    }),
    fc.tuple(at, fc.constantFrom(..."[](){};,'\"=:.-+*/\\%#\n \t0eE")).map(([p, c]) => (s: string) => {
      const i = Math.floor(p * s.length);
      return s.slice(0, i) + c + s.slice(i + 1);
    }),
    // Truncation.
    at.map((p) => (s: string) => s.slice(0, Math.floor(p * s.length))),
    // A duplicated line (or several).
    fc.tuple(at, fc.integer({ min: 1, max: 50 })).map(([p, k]) => (s: string) => {
      const lines = s.split("\n");
      const i = Math.floor(p * lines.length);
      return [...lines.slice(0, i + 1), ...Array(k).fill(lines[i]), ...lines.slice(i + 1)].join("\n");
    }),
    // Deleted lines.
    fc.tuple(at, fc.integer({ min: 1, max: 20 })).map(([p, k]) => (s: string) => {
      const lines = s.split("\n");
      const i = Math.floor(p * lines.length);
      return [...lines.slice(0, i), ...lines.slice(i + k)].join("\n");
    }),
    // Two tokens swapped.
    fc.tuple(at, at).map(([p, q]) => (s: string) => {
      const toks = s.split(/(\s+|[,;:[\]{}()])/);
      const i = Math.floor(p * toks.length);
      const j = Math.floor(q * toks.length);
      [toks[i], toks[j]] = [toks[j], toks[i]];
      return toks.join("");
    }),
    // A number replaced by a huge, tiny or odd one.
    fc.tuple(at, fc.constantFrom(...NUMBERS)).map(([p, x]) => (s: string) => {
      const spans = [...s.matchAll(/-?\d+(\.\d+)?([eE][-+]?\d+)?/g)];
      if (!spans.length) return s + x;
      const m = spans[Math.floor(p * spans.length)];
      return s.slice(0, m.index) + x + s.slice(m.index! + m[0].length);
    }),
    // Deep nesting inserted somewhere.
    fc.tuple(at, fc.constantFrom(...NESTERS), fc.integer({ min: 1, max: 30_000 })).map(([p, [open, close], depth]) => (s: string) => {
      const i = Math.floor(p * s.length);
      return `${s.slice(0, i)}${open.repeat(depth)}1${close.repeat(depth)}${s.slice(i)}`;
    }),
    // A random string inserted.
    fc.tuple(at, fc.string({ maxLength: 40 })).map(([p, x]) => (s: string) => {
      const i = Math.floor(p * s.length);
      return s.slice(0, i) + x + s.slice(i);
    }),
  );
}

/** A valid file from `seeds` with 1 to 4 mutations applied. */
function mutatedFile(seeds: string[]): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom(...seeds), fc.array(mutation(), { minLength: 1, maxLength: 4 })).map(([s, ms]) => ms.reduce((t, m) => m(t), s));
}

/** Random inputs: unicode text, JSON documents, token soups of the format's own symbols. */
function randomInput(tokens: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.fullUnicodeString({ maxLength: 100 }),
    fc.json({ maxDepth: 6 }),
    fc.array(fc.constantFrom(...tokens), { maxLength: 120 }).map((t) => t.join(" ")),
    fc.array(fc.constantFrom(...tokens), { maxLength: 120 }).map((t) => t.join("")),
  );
}

/** Stats of a fuzz run, for the printed summary. */
class FuzzStats {
  runs = 0;
  values = 0;
  errors = 0;
  maxMs = 0;
  record(o: FuzzOutcome): void {
    this.runs++;
    if (o.kind === "value") this.values++;
    else this.errors++;
    this.maxMs = Math.max(this.maxMs, o.ms);
  }
  toString(): string {
    return `${this.runs} inputs: ${this.values} parsed, ${this.errors} typed errors, slowest ${this.maxMs.toFixed(1)} ms`;
  }
}

/** The corpus folder: lib/testing/fuzz-corpus/<importer>/<case> — inputs that once broke an importer. */
const FUZZ_CORPUS_DIR = join(process.cwd(), "lib", "testing", "fuzz-corpus");

/** The corpus inputs of one importer (file name and text). */
function corpusOf(importer: string): { file: string; text: string }[] {
  const dir = join(FUZZ_CORPUS_DIR, importer);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .map((file) => ({ file, text: readFileSync(join(dir, file), "utf8") }));
}

/** fast-check's seed: fixed by default so CI is repeatable; FUZZ_SEED=<n> explores other inputs. */
function fuzzSeed(): number {
  const s = Number(process.env.FUZZ_SEED);
  return Number.isInteger(s) ? s : 20261129;
}

/**
 * The fuzz tests of one importer (call inside a vitest file): `mutatedRuns` mutations
 * of the seed files, `randomRuns` random inputs, and every corpus input of `corpus`.
 * Each prints its count and slowest input; a failure prints fast-check's shrunk input
 * (add it to lib/testing/fuzz-corpus/<corpus>/ once fixed).
 */
export function fuzzImporter(
  target: FuzzTarget,
  opts: { corpus: string; seeds: () => string[]; tokens: string[]; mutatedRuns: number; randomRuns: number },
  vt: { describe: (name: string, f: () => void) => void; it: (name: string, f: () => void, timeout?: number) => void; expect: (v: unknown) => { toBeGreaterThan: (n: number) => void } },
): void {
  vt.describe(`fuzzing ${target.name}`, () => {
    vt.it(
      `mutated valid files (${opts.mutatedRuns}) parse or fail with the typed error, each within 1 s`,
      () => {
        const seeds = opts.seeds();
        for (const s of seeds) checkInput(target, s);
        const stats = new FuzzStats();
        const t0 = performance.now();
        // biome-ignore lint/nursery/noFloatingPromises: fc.assert of a synchronous fc.property returns void, not a promise (Biome picks the async overload)
        fc.assert(
          fc.property(mutatedFile(seeds), (text) => stats.record(checkInput(target, text))),
          { numRuns: opts.mutatedRuns, seed: fuzzSeed() },
        );
        console.log(`fuzz ${target.name}, mutated: ${stats} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
      },
      120_000,
    );
    vt.it(
      `random inputs (${opts.randomRuns}) parse or fail with the typed error, each within 1 s`,
      () => {
        const stats = new FuzzStats();
        const t0 = performance.now();
        // biome-ignore lint/nursery/noFloatingPromises: fc.assert of a synchronous fc.property returns void, not a promise (Biome picks the async overload)
        fc.assert(
          fc.property(randomInput(opts.tokens), (text) => stats.record(checkInput(target, text))),
          { numRuns: opts.randomRuns, seed: fuzzSeed() + 1 },
        );
        console.log(`fuzz ${target.name}, random: ${stats} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
      },
      120_000,
    );
    vt.it(`the corpus of inputs that once broke it (lib/testing/fuzz-corpus/${opts.corpus})`, () => {
      const corpus = corpusOf(opts.corpus);
      vt.expect(corpus.length).toBeGreaterThan(0);
      for (const { file, text } of corpus) {
        try {
          checkInput(target, text);
        } catch (e) {
          throw new Error(`corpus ${opts.corpus}/${file}: ${(e as Error).message}`, { cause: e });
        }
      }
    });
  });
}
