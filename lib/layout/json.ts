/**
 * The stored form of a schematic layout (what the database keeps with a grid and the
 * DSO's browser fetches): `{ "format": "flexplat-layout", "version": 1, "algorithm",
 * "busIds", "x", "y", "moved", "components", "radialComponents", "cyclomatic",
 * "crossings", "computeMs" }`, coordinates in the layout's units (see index.ts) rounded
 * to 1e-3, `moved` the bus ids the DSO dragged by hand. DSO data: it mirrors the
 * topology, so it never crosses to the TSO.
 */
import { z } from "zod";
import type { SchematicLayout } from "./index";

const LAYOUT_FORMAT = "flexplat-layout";
const LAYOUT_FORMAT_VERSION = 1;
/** Largest |coordinate| accepted: far beyond any drawing, small enough to stay exact when rounded. */
const MAX_COORDINATE = 1e7;

const coordinate = z.number().refine((v) => Number.isFinite(v) && Math.abs(v) <= MAX_COORDINATE, `must be a finite number within ±${MAX_COORDINATE}`);
const count = z.number().int().nonnegative();

const storedLayoutSchema = z
  .object({
    format: z.literal(LAYOUT_FORMAT),
    version: z.literal(LAYOUT_FORMAT_VERSION),
    algorithm: z.enum(["tidy-tree", "force", "mixed"]),
    busIds: z.array(z.number().int().positive()).min(1),
    x: z.array(coordinate),
    y: z.array(coordinate),
    moved: z.array(z.number().int().positive()),
    components: count,
    radialComponents: count,
    cyclomatic: count,
    crossings: count,
    computeMs: z.number().nonnegative(),
  })
  .strict()
  .superRefine((l, ctx) => {
    if (l.x.length !== l.busIds.length) ctx.addIssue({ code: "custom", path: ["x"], message: `has ${l.x.length} entries for ${l.busIds.length} buses` });
    if (l.y.length !== l.busIds.length) ctx.addIssue({ code: "custom", path: ["y"], message: `has ${l.y.length} entries for ${l.busIds.length} buses` });
  });

export type StoredLayout = z.infer<typeof storedLayoutSchema>;

const round = (v: number) => Math.round(v * 1000) / 1000;

/** The stored form of a computed layout (nothing moved by hand yet). */
export function storedLayoutOf(
  l: Pick<SchematicLayout, "algorithm" | "components" | "radialComponents" | "cyclomatic" | "crossings" | "computeMs"> & { busIds: ArrayLike<number>; x: ArrayLike<number>; y: ArrayLike<number> },
): StoredLayout {
  return {
    format: LAYOUT_FORMAT,
    version: LAYOUT_FORMAT_VERSION,
    algorithm: l.algorithm,
    busIds: Array.from(l.busIds),
    x: Array.from(l.x, round),
    y: Array.from(l.y, round),
    moved: [],
    components: l.components,
    radialComponents: l.radialComponents,
    cyclomatic: l.cyclomatic,
    crossings: l.crossings,
    computeMs: Math.round(l.computeMs * 10) / 10,
  };
}

/** Parse a stored layout; errors name the field (e.g. `x[3]: must be a finite number`). */
export function parseStoredLayout(value: unknown): StoredLayout {
  const r = storedLayoutSchema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = issue.path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join("");
  throw new Error(`${path ? `${path}: ` : ""}${issue.message}`);
}

/** Moves of buses by hand: each to its new coordinates; errors name the bus. Returns the updated layout. */
export function moveBuses(l: StoredLayout, moves: readonly { busId: number; x: number; y: number }[]): StoredLayout {
  const index = new Map(l.busIds.map((id, i) => [id, i]));
  const x = [...l.x];
  const y = [...l.y];
  const moved = new Set(l.moved);
  for (const m of moves) {
    const i = index.get(m.busId);
    if (i === undefined) throw new Error(`bus ${m.busId} is not in this grid`);
    for (const [axis, v] of [
      ["x", m.x],
      ["y", m.y],
    ] as const) {
      if (!Number.isFinite(v) || Math.abs(v) > MAX_COORDINATE) throw new Error(`bus ${m.busId}: ${axis} must be a finite number within ±${MAX_COORDINATE}`);
    }
    x[i] = round(m.x);
    y[i] = round(m.y);
    moved.add(m.busId);
  }
  return { ...l, x, y, moved: [...moved].sort((a, b) => a - b) };
}
