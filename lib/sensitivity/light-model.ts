import { z } from "zod";
import type { OperatingPointMatrices, OperatingPointSensitivity, SensitivityModel } from "./compute";
import { mulberry32 } from "../util/mulberry32";
import { formatCount, LIGHT_MODEL_LIMITS } from "../limits";
import { scanJsonText } from "../limits/json-scan";

/**
 * The light model: everything the TSO receives about a distribution grid, and
 * nothing else. Per operating point i ([P004] eq. 7-8, 10-11): the
 * flexibility injections P_Flex,i per location, base values V_i and L_i, VTDF_i and
 * LTDF_i (and the reactive matrices when computed), plus the limits. Locations and
 * monitored elements carry opaque ids; no impedances, topology, coordinates, loads
 * or element names. P_Fix is the same at every operating point (one time frame), so
 * it cancels in the Voronoi test H_ij ([P004] eq. 10) and does not cross the boundary.
 *
 * Matrices are row-major Float64 data, base64-encoded ("f64-base64"): exact and about
 * a third of the size of decimal JSON.
 */
const LIGHT_MODEL_SCHEMA = "flexplat-light-model";
const LIGHT_MODEL_VERSION = 1;

export interface MatrixData {
  rows: number;
  cols: number;
  encoding: "f64-base64";
  data: string;
}

export interface LightOperatingPoint {
  id: string;
  label: string;
  pFlexMw: number[];
  qFlexMvar: number[];
  /** Monitored voltages (p.u.) and signed loadings (%) at the point. */
  v: number[];
  l: number[];
  vtdf: MatrixData;
  ltdf: MatrixData;
  vtdfQ?: MatrixData;
  ltdfQ?: MatrixData;
}

export interface LightModel {
  schema: typeof LIGHT_MODEL_SCHEMA;
  version: typeof LIGHT_MODEL_VERSION;
  modelId: string;
  createdAt: string;
  units: {
    injection: "MW";
    voltage: "p.u.";
    loading: "%";
    vtdf: "p.u./MW";
    ltdf: "%/MW";
    vtdfQ: "p.u./MVAr";
    ltdfQ: "%/MVAr";
  };
  limits: { vMinPu: number; vMaxPu: number; loadingMinPct: number; loadingMaxPct: number };
  locations: string[];
  monitoredBuses: string[];
  monitoredBranches: string[];
  reactive: boolean;
  operatingPoints: LightOperatingPoint[];
}

/** DSO-side table from opaque ids back to grid elements; never sent to the TSO. */
export interface LightModelKey {
  modelId: string;
  locations: { id: string; bus: number; fpuIds: string[] }[];
  buses: { id: string; bus: number }[];
  branches: { id: string; branch: string }[];
}

export const DEFAULT_LIMITS = { vMinPu: 0.95, vMaxPu: 1.05, loadingMinPct: -100, loadingMaxPct: 100 };

// ---------------------------------------------------------------------------------
// Matrix encoding

function toBase64(bytes: Uint8Array): string {
  if (typeof Buffer !== "undefined") return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(s: string): Uint8Array {
  if (typeof Buffer !== "undefined") return new Uint8Array(Buffer.from(s, "base64"));
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function encodeMatrix(rows: number, cols: number, values: Float64Array): MatrixData {
  if (values.length !== rows * cols) throw new Error(`matrix data has ${values.length} values for ${rows}x${cols}`);
  // Little-endian regardless of platform.
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat64(8 * i, values[i], true);
  return { rows, cols, encoding: "f64-base64", data: toBase64(bytes) };
}

function decodeMatrix(m: MatrixData): Float64Array {
  const bytes = fromBase64(m.data);
  if (bytes.length !== m.rows * m.cols * 8) {
    throw new Error(`matrix data holds ${bytes.length / 8} values, ${m.rows}x${m.cols} expected`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float64Array(m.rows * m.cols);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(8 * i, true);
  return out;
}

// ---------------------------------------------------------------------------------
// Building

function seedFrom(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Opaque ids in a shuffled order: neither the ids nor the order reveal element numbering. */
function opaque(prefix: string, n: number, rand: () => number): { ids: string[]; order: number[] } {
  const order = [...Array(n).keys()];
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const used = new Set<string>();
  const ids = order.map(() => {
    let id: string;
    do
      id = `${prefix}-${Math.floor(rand() * 0xffffff)
        .toString(16)
        .padStart(6, "0")}`;
    while (used.has(id));
    used.add(id);
    return id;
  });
  return { ids, order };
}

/** Positions in the DSO's model of the key's elements (the light model's order). */
function keyOrder(model: SensitivityModel, key: LightModelKey) {
  const locPos = new Map(model.locations.map((l, k) => [l.bus, k]));
  const busPos = new Map(model.monitoredBuses.map((b, k) => [b, k]));
  const brPos = new Map(model.monitoredBranches.map((b, k) => [b, k]));
  const find = <T>(m: Map<T, number>, v: T, what: string) => {
    const k = m.get(v);
    if (k === undefined) throw new Error(`light model key: ${what} ${String(v)} is not in the sensitivity model`);
    return k;
  };
  return {
    loc: key.locations.map((l) => find(locPos, l.bus, "location bus")),
    bus: key.buses.map((b) => find(busPos, b.bus, "monitored bus")),
    br: key.branches.map((b) => find(brPos, b.branch, "monitored branch")),
  };
}

/**
 * One operating point in the light model's (opaque, shuffled) order. Used to build
 * a light model and to extend it with new points (AC-verified clearing) under the
 * same ids.
 */
export function encodeOperatingPoint(p: OperatingPointSensitivity, model: SensitivityModel, key: LightModelKey, id: string, reactive: boolean): LightOperatingPoint {
  const order = keyOrder(model, key);
  const nLoc = model.locations.length;
  const permute = (src: Float64Array, rowOrder: number[]) => {
    const out = new Float64Array(rowOrder.length * order.loc.length);
    for (let r = 0; r < rowOrder.length; r++) {
      const base = rowOrder[r] * nLoc;
      for (let c = 0; c < order.loc.length; c++) out[r * order.loc.length + c] = src[base + order.loc[c]];
    }
    return out;
  };
  const pick = (src: Float64Array, o: number[]) => o.map((k) => src[k]);
  const nB = order.bus.length;
  const nL = order.br.length;
  const op: LightOperatingPoint = {
    id,
    label: p.label,
    pFlexMw: pick(p.pFlexMw, order.loc),
    qFlexMvar: pick(p.qFlexMvar, order.loc),
    v: pick(p.v, order.bus),
    l: pick(p.l, order.br),
    vtdf: encodeMatrix(nB, order.loc.length, permute(p.vtdf, order.bus)),
    ltdf: encodeMatrix(nL, order.loc.length, permute(p.ltdf, order.br)),
  };
  if (reactive) {
    if (!p.vtdfQ || !p.ltdfQ) throw new Error(`operating point '${p.id}' has no reactive sensitivities`);
    op.vtdfQ = encodeMatrix(nB, order.loc.length, permute(p.vtdfQ, order.bus));
    op.ltdfQ = encodeMatrix(nL, order.loc.length, permute(p.ltdfQ, order.br));
  }
  return op;
}

export interface BuildLightModelOptions {
  limits?: Partial<typeof DEFAULT_LIMITS>;
  /** Secret that makes ids unguessable; a random one by default. */
  salt?: string;
  createdAt?: Date;
}

export function buildLightModel(model: SensitivityModel, opts: BuildLightModelOptions = {}): { lightModel: LightModel; key: LightModelKey } {
  const salt = opts.salt ?? `${Date.now()}-${Math.random()}`;
  const rand = mulberry32(seedFrom(salt));
  const modelId = `lm-${Math.floor(rand() * 2 ** 48)
    .toString(16)
    .padStart(12, "0")}`;
  const nLoc = model.locations.length;
  const nB = model.monitoredBuses.length;
  const nL = model.monitoredBranches.length;
  const loc = opaque("L", nLoc, rand);
  const bus = opaque("V", nB, rand);
  const br = opaque("B", nL, rand);
  const reactive = model.points.some((p) => p.vtdfQ);

  const key: LightModelKey = {
    modelId,
    locations: loc.order.map((k, i) => ({ id: loc.ids[i], bus: model.locations[k].bus, fpuIds: model.locations[k].fpuIds })),
    buses: bus.order.map((k, i) => ({ id: bus.ids[i], bus: model.monitoredBuses[k] })),
    branches: br.order.map((k, i) => ({ id: br.ids[i], branch: model.monitoredBranches[k] })),
  };
  const operatingPoints = model.points.map((p, k) => encodeOperatingPoint(p, model, key, `op-${k}`, reactive));
  const lightModel: LightModel = {
    schema: LIGHT_MODEL_SCHEMA,
    version: LIGHT_MODEL_VERSION,
    modelId,
    createdAt: (opts.createdAt ?? new Date()).toISOString(),
    units: { injection: "MW", voltage: "p.u.", loading: "%", vtdf: "p.u./MW", ltdf: "%/MW", vtdfQ: "p.u./MVAr", ltdfQ: "%/MVAr" },
    limits: { ...DEFAULT_LIMITS, ...opts.limits },
    locations: loc.ids,
    monitoredBuses: bus.ids,
    monitoredBranches: br.ids,
    reactive,
    operatingPoints,
  };
  return { lightModel, key };
}

// ---------------------------------------------------------------------------------
// Validation (the trust boundary: uploads and the TSO's API)

const finite = z.number().refine(Number.isFinite, "must be a finite number");
const matrixSchema = z.strictObject({
  rows: z.number().int().nonnegative(),
  cols: z.number().int().nonnegative(),
  encoding: z.literal("f64-base64"),
  data: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, "must be base64"),
});
const L = LIGHT_MODEL_LIMITS;
const limitText = (what: string, n: number) => `more than ${formatCount(n)} ${what}; the limit is ${formatCount(n)}`;
const idString = z.string().min(1).max(L.stringLength, limitText("characters", L.stringLength));
const idArray = z.array(idString).max(L.ids, limitText("ids", L.ids));
const values = z.array(finite).max(L.ids, limitText("values", L.ids));
const opSchema = z.strictObject({
  id: idString,
  label: z.string().max(L.stringLength, limitText("characters", L.stringLength)),
  pFlexMw: values,
  qFlexMvar: values,
  v: values,
  l: values,
  vtdf: matrixSchema,
  ltdf: matrixSchema,
  vtdfQ: matrixSchema.optional(),
  ltdfQ: matrixSchema.optional(),
});
export const lightModelSchema = z.strictObject({
  schema: z.literal(LIGHT_MODEL_SCHEMA),
  version: z.literal(LIGHT_MODEL_VERSION),
  modelId: idString,
  createdAt: z.string().max(64),
  units: z.strictObject({
    injection: z.literal("MW"),
    voltage: z.literal("p.u."),
    loading: z.literal("%"),
    vtdf: z.literal("p.u./MW"),
    ltdf: z.literal("%/MW"),
    vtdfQ: z.literal("p.u./MVAr"),
    ltdfQ: z.literal("%/MVAr"),
  }),
  limits: z.strictObject({ vMinPu: finite, vMaxPu: finite, loadingMinPct: finite, loadingMaxPct: finite }),
  locations: idArray,
  monitoredBuses: idArray,
  monitoredBranches: idArray,
  reactive: z.boolean(),
  operatingPoints: z.array(opSchema).min(1, "a light model needs at least one operating point").max(L.operatingPoints, limitText("operating points", L.operatingPoints)),
});

export class LightModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LightModelError";
  }
}

/**
 * A light model from its JSON text: the text is held against LIGHT_MODEL_LIMITS (size,
 * nesting) before it is parsed, then checked as parseLightModel does.
 */
export function parseLightModelText(text: string): LightModel {
  const over = scanJsonText(text, { fileBytes: L.fileBytes, nestingDepth: L.nestingDepth });
  if (over) throw new LightModelError(`light model, line ${over.line}: ${over.message}`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new LightModelError(`light model: not valid JSON: ${(e as Error).message}`);
  }
  return parseLightModel(raw);
}

/**
 * Parse and check a light model: schema (no extra fields), shapes and decodability.
 * Matrix sizes are held against LIGHT_MODEL_LIMITS before any matrix is decoded.
 */
export function parseLightModel(input: unknown): LightModel {
  const res = lightModelSchema.safeParse(input);
  if (!res.success) {
    const issue = res.error.issues[0];
    const path = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
    throw new LightModelError(`light model${path}: ${issue.message}`);
  }
  const lm = res.data as LightModel;
  const nLoc = lm.locations.length;
  const nB = lm.monitoredBuses.length;
  const nL = lm.monitoredBranches.length;
  for (const [name, ids] of [
    ["locations", lm.locations],
    ["monitoredBuses", lm.monitoredBuses],
    ["monitoredBranches", lm.monitoredBranches],
  ] as const) {
    if (new Set(ids).size !== ids.length) throw new LightModelError(`light model.${name}: duplicate ids`);
  }
  let total = 0;
  lm.operatingPoints.forEach((op, k) => {
    const where = `light model.operatingPoints[${k}]`;
    const check = (field: string, got: number, want: number) => {
      if (got !== want) throw new LightModelError(`${where}.${field}: ${got} entries, expected ${want}`);
    };
    check("pFlexMw", op.pFlexMw.length, nLoc);
    check("qFlexMvar", op.qFlexMvar.length, nLoc);
    check("v", op.v.length, nB);
    check("l", op.l.length, nL);
    const mats: [string, MatrixData | undefined, number][] = [
      ["vtdf", op.vtdf, nB],
      ["ltdf", op.ltdf, nL],
      ["vtdfQ", op.vtdfQ, nB],
      ["ltdfQ", op.ltdfQ, nL],
    ];
    for (const [name, m, rows] of mats) {
      if (!m) {
        if (lm.reactive && (name === "vtdfQ" || name === "ltdfQ")) throw new LightModelError(`${where}.${name} is missing although reactive is true`);
        continue;
      }
      if (m.rows !== rows || m.cols !== nLoc) {
        throw new LightModelError(`${where}.${name}: ${m.rows}x${m.cols}, expected ${rows}x${nLoc}`);
      }
      const n = m.rows * m.cols;
      if (n > L.matrixElements) throw new LightModelError(`${where}.${name}: ${formatCount(n)} elements; the limit is ${formatCount(L.matrixElements)} per matrix`);
      total += n;
      if (total > L.totalElements)
        throw new LightModelError(`${where}.${name}: the model's matrices hold more than ${formatCount(L.totalElements)} elements; the limit is ${formatCount(L.totalElements)}`);
      // Base64 of n doubles is 4·⌈8n/3⌉ characters: anything else is refused before decoding.
      if (m.data.length !== 4 * Math.ceil((8 * n) / 3))
        throw new LightModelError(`${where}.${name}: the data holds ${formatCount(Math.floor((m.data.length * 3) / 4 / 8))} values, ${m.rows}x${m.cols} expected`);
      let values: Float64Array;
      try {
        values = decodeMatrix(m);
      } catch (e) {
        throw new LightModelError(`${where}.${name}: ${(e as Error).message}`);
      }
      if (values.some((x) => !Number.isFinite(x))) throw new LightModelError(`${where}.${name}: contains non-finite values`);
    }
  });
  if (!(lm.limits.vMinPu < lm.limits.vMaxPu) || !(lm.limits.loadingMinPct < lm.limits.loadingMaxPct)) {
    throw new LightModelError("light model.limits: lower bounds must be below upper bounds");
  }
  return lm;
}

/** What crosses the boundary: each field with its shape and serialized size. */
export function describeLightModel(lm: LightModel): { field: string; shape: string; bytes: number }[] {
  const size = (v: unknown) => new TextEncoder().encode(JSON.stringify(v)).length;
  const rows: { field: string; shape: string; bytes: number }[] = [
    { field: "modelId, createdAt, units, limits", shape: "metadata", bytes: size({ a: lm.modelId, b: lm.createdAt, c: lm.units, d: lm.limits }) },
    { field: "locations", shape: `${lm.locations.length} opaque ids`, bytes: size(lm.locations) },
    { field: "monitoredBuses", shape: `${lm.monitoredBuses.length} opaque ids`, bytes: size(lm.monitoredBuses) },
    { field: "monitoredBranches", shape: `${lm.monitoredBranches.length} opaque ids`, bytes: size(lm.monitoredBranches) },
  ];
  const nOp = lm.operatingPoints.length;
  const sum = (f: (op: LightOperatingPoint) => unknown) => lm.operatingPoints.reduce((s, op) => s + size(f(op)), 0);
  const nLoc = lm.locations.length;
  const nB = lm.monitoredBuses.length;
  const nL = lm.monitoredBranches.length;
  rows.push({ field: "operatingPoints[].pFlexMw, qFlexMvar", shape: `${nOp} x 2 x ${nLoc}`, bytes: sum((o) => [o.pFlexMw, o.qFlexMvar]) });
  rows.push({ field: "operatingPoints[].v (base voltages)", shape: `${nOp} x ${nB}`, bytes: sum((o) => o.v) });
  rows.push({ field: "operatingPoints[].l (base loadings)", shape: `${nOp} x ${nL}`, bytes: sum((o) => o.l) });
  rows.push({ field: "operatingPoints[].vtdf", shape: `${nOp} x ${nB} x ${nLoc}`, bytes: sum((o) => o.vtdf) });
  rows.push({ field: "operatingPoints[].ltdf", shape: `${nOp} x ${nL} x ${nLoc}`, bytes: sum((o) => o.ltdf) });
  if (lm.reactive) {
    rows.push({ field: "operatingPoints[].vtdfQ", shape: `${nOp} x ${nB} x ${nLoc}`, bytes: sum((o) => o.vtdfQ) });
    rows.push({ field: "operatingPoints[].ltdfQ", shape: `${nOp} x ${nL} x ${nLoc}`, bytes: sum((o) => o.ltdfQ) });
  }
  return rows;
}

/** Decoded matrices of a light model's operating points (for the clearing). */
export type DecodedOperatingPoint = OperatingPointMatrices;

export function decodeOperatingPoints(lm: LightModel): DecodedOperatingPoint[] {
  return lm.operatingPoints.map((op) => ({
    id: op.id,
    label: op.label,
    pFlexMw: Float64Array.from(op.pFlexMw),
    qFlexMvar: Float64Array.from(op.qFlexMvar),
    v: Float64Array.from(op.v),
    l: Float64Array.from(op.l),
    vtdf: decodeMatrix(op.vtdf),
    ltdf: decodeMatrix(op.ltdf),
    vtdfQ: op.vtdfQ ? decodeMatrix(op.vtdfQ) : undefined,
    ltdfQ: op.ltdfQ ? decodeMatrix(op.ltdfQ) : undefined,
  }));
}
