import { z } from "zod";
import { GRID_JSON_LIMITS } from "../limits";
import { scanJsonText } from "../limits/json-scan";
import { GridFormatError, GridLimitError } from "./errors";
import type { Network } from "./types";
import { validateNetwork } from "./validate";

/**
 * The project's own network format: the Network object as JSON, with a format tag
 * and version. Non-finite limits (e.g. Qmax = Inf) are written as the strings
 * "Infinity" / "-Infinity", since JSON has no such numbers.
 */
const NETWORK_FORMAT = "flexplat-network";
const NETWORK_FORMAT_VERSION = 1;

const finite = z.number().refine(Number.isFinite, "must be a finite number");
const limit = z.union([z.number(), z.literal("Infinity"), z.literal("-Infinity")]).transform((v) => (typeof v === "number" ? v : v === "Infinity" ? Infinity : -Infinity));
const lonLat = z.tuple([finite, finite]);

const busSchema = z.object({
  id: z.number().int().positive(),
  type: z.enum(["PQ", "PV", "REF", "NONE"]),
  pdMw: finite.default(0),
  qdMvar: finite.default(0),
  gsMw: finite.default(0),
  bsMvar: finite.default(0),
  area: finite.default(1),
  vmPu: finite.default(1),
  vaDeg: finite.default(0),
  baseKv: finite,
  zone: finite.default(1),
  vmaxPu: limit.default(1.1),
  vminPu: limit.default(0.9),
  name: z.string().optional(),
  lon: finite.optional(),
  lat: finite.optional(),
  extra: z.array(finite).optional(),
});

const branchSchema = z.object({
  id: z.string().min(1),
  from: z.number().int(),
  to: z.number().int(),
  rPu: finite,
  xPu: finite,
  bPu: finite.default(0),
  rateAMva: finite.default(0),
  rateBMva: finite.default(0),
  rateCMva: finite.default(0),
  tap: finite.default(0),
  shiftDeg: finite.default(0),
  inService: z.boolean().default(true),
  angMinDeg: finite.default(-360),
  angMaxDeg: finite.default(360),
  kind: z.enum(["line", "transformer"]).optional(),
  name: z.string().optional(),
  geometry: z.array(lonLat).optional(),
  lengthKm: finite.optional(),
  typeName: z.string().optional(),
  extra: z.array(finite).optional(),
});

const costSchema = z.object({
  model: z.union([z.literal(1), z.literal(2)]),
  startup: finite.default(0),
  shutdown: finite.default(0),
  coeffs: z.array(finite),
});

const genSchema = z.object({
  id: z.string().min(1),
  bus: z.number().int(),
  pgMw: finite.default(0),
  qgMvar: finite.default(0),
  qmaxMvar: limit.default(Infinity),
  qminMvar: limit.default(-Infinity),
  vgPu: finite.default(1),
  mBase: finite.default(100),
  inService: z.boolean().default(true),
  pmaxMw: limit.default(Infinity),
  pminMw: limit.default(-Infinity),
  extra: z.array(finite).optional(),
  cost: costSchema.optional(),
  qCost: costSchema.optional(),
});

const loadSchema = z.object({
  id: z.string().min(1),
  bus: z.number().int(),
  pMw: finite,
  qMvar: finite.default(0),
  kind: z.string().optional(),
  buildingId: z.string().optional(),
});

const reactiveSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("box"), qMinMvar: finite, qMaxMvar: finite }),
  z.object({
    type: z.literal("polygon"),
    points: z.array(z.object({ pMw: finite, qMvar: finite })).min(3),
  }),
]);

const fpuSchema = z.object({
  id: z.string().min(1),
  bus: z.number().int(),
  kind: z.enum(["pv", "ev", "battery", "heat_pump", "other"]),
  pMw: finite.default(0),
  pMinMw: finite,
  pMaxMw: finite,
  qMvar: finite.default(0),
  reactive: reactiveSchema.default({ type: "box", qMinMvar: 0, qMaxMvar: 0 }),
  buildingId: z.string().optional(),
  owner: z.string().optional(),
});

const networkSchema = z.object({
  format: z.literal(NETWORK_FORMAT),
  version: z.literal(NETWORK_FORMAT_VERSION),
  name: z.string().min(1),
  baseMVA: finite.refine((v) => v > 0, "must be positive"),
  buses: z.array(busSchema).min(1, "a network needs at least one bus"),
  branches: z.array(branchSchema).default([]),
  generators: z.array(genSchema).default([]),
  loads: z.array(loadSchema).default([]),
  fpus: z.array(fpuSchema).default([]),
  meta: z.record(z.string(), z.unknown()).optional(),
});

function pathOf(path: PropertyKey[]): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join("");
}

/**
 * Parse and validate the project JSON format. The text is first held against
 * GRID_JSON_LIMITS (size, nesting, array entries, string length), then parsed.
 */
export function parseNetworkJson(text: string): Network {
  const over = scanJsonText(text, GRID_JSON_LIMITS);
  if (over) throw new GridLimitError(over.message, { line: over.line });
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (e) {
    throw new GridFormatError(`not valid JSON: ${(e as Error).message}`);
  }
  if (typeof raw === "object" && raw !== null && "format" in raw && (raw as { format: unknown }).format !== NETWORK_FORMAT) {
    throw new GridFormatError(`unknown format '${String((raw as { format: unknown }).format).slice(0, 80)}', expected '${NETWORK_FORMAT}'`, {
      field: "format",
    });
  }
  const res = networkSchema.safeParse(raw);
  if (!res.success) {
    const issue = res.error.issues[0];
    const field = pathOf(issue.path) || "(document)";
    throw new GridFormatError(issue.message, { field });
  }
  const { format: _f, version: _v, ...rest } = res.data;
  const net = rest as Network;
  validateNetwork(net);
  return net;
}

function encodeNumber(_key: string, value: unknown): unknown {
  if (typeof value === "number" && !Number.isFinite(value)) {
    if (Number.isNaN(value)) return null;
    return value > 0 ? "Infinity" : "-Infinity";
  }
  return value;
}

/** Serialize to the project JSON format. */
export function writeNetworkJson(net: Network, indent = 0): string {
  return JSON.stringify({ format: NETWORK_FORMAT, version: NETWORK_FORMAT_VERSION, ...net }, encodeNumber, indent || undefined);
}
