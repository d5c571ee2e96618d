import { z } from "zod";
import { REGION_LIMITS } from "../limits";
import { scanJsonText } from "../limits/json-scan";
import type { LinearRow } from "./lindistflow";
import type { LossModel } from "./loss";
import type { Point } from "./polygon";
import type { RegionProblem } from "./units";

/**
 * What a DSO publishes of a PQ region (paper 000 eq. 8c's U^ξ): the polygon of the PCC
 * exchange, LinDistFlow's half-spaces and, for the loss-compensated region, the two loss
 * quadratics (Remark 5: they aggregate all lines and reveal no line). Nothing names a bus,
 * branch or unit; the strict schema refuses any other field.
 */
const PQ_REGION_SCHEMA = "flexplat-pq-region";

const finite = z.number().refine(Number.isFinite, "must be a finite number");
const mat2 = z.tuple([z.tuple([finite, finite]), z.tuple([finite, finite])]);

const publishedPqRegionSchema = z.strictObject({
  schema: z.literal(PQ_REGION_SCHEMA),
  version: z.literal(1),
  regionId: z.string().regex(/^R-[A-Za-z0-9]{8,32}$/, "must be an opaque id R-…"),
  method: z.enum(["lds", "slc", "exact"]),
  createdAt: z.string().datetime(),
  axes: z.literal("p, q: exchange from the transmission system into the distribution system at the PCC, MW and MVAr"),
  pcc: z.strictObject({ pMinMW: finite, pMaxMW: finite, qMinMVAr: finite, qMaxMVAr: finite }),
  polygon: z
    .array(z.tuple([finite, finite]))
    .min(3)
    .max(8192),
  areaMW2: finite,
  /** a·p + b·q ≤ c (LinDistFlow; for "slc" they bound the uncompensated exchange). */
  halfSpaces: z
    .array(z.strictObject({ a: finite, b: finite, c: finite }))
    .max(20000)
    .optional(),
  lossModel: z.strictObject({ Hp: mat2, gp: z.tuple([finite, finite]), cp: finite, Hq: mat2, gq: z.tuple([finite, finite]), cq: finite }).optional(),
  /**
   * The DSO's cost of an exchange (p, q), $/h with MW and MVAr: Σ c·p^i·q^j. "lossless-balance"
   * and "loss-compensated-balance" price the units' share of the exchange (LinDistFlow, with
   * losses for U_SLC); "ac-fit" is a least-squares fit of AC-OPF least costs (r2 its R²).
   */
  costModel: z
    .strictObject({
      basis: z.enum(["lossless-balance", "loss-compensated-balance", "ac-fit"]),
      exponents: z
        .array(z.tuple([z.number().int().min(0).max(4), z.number().int().min(0).max(4)]))
        .min(1)
        .max(15),
      coefficients: z.array(finite).min(1).max(15),
      r2: finite.nullable(),
    })
    .refine((c) => c.exponents.length === c.coefficients.length, { message: "one coefficient per exponent pair", path: ["coefficients"] })
    .optional(),
});

export type PublishedPqRegion = z.infer<typeof publishedPqRegionSchema>;

/**
 * What a DSO publishes of a PQV region (paper 002): the implicit polynomial f(p, q, v) ≤ 0
 * (negative inside) in its normalized frame, the quadratic cost over (p, q, v) (coefficients
 * in the order 1, p, q, v, p², q², v², pq, pv, qv; $/h with MW, MVAr, p.u.), the bounding box
 * and the fit's quality — coefficients only, no boundary point (those carry the units' dispatch);
 * and the inner polytope's planes, whose vertices are PCC exchanges only.
 */
export const PQV_REGION_SCHEMA = "flexplat-pqv-region";

const vec3 = z.tuple([finite, finite, finite]);
const expo = z.number().int().min(0).max(12);

const publishedPqvRegionSchema = z
  .strictObject({
    schema: z.literal(PQV_REGION_SCHEMA),
    version: z.literal(1),
    regionId: z.string().regex(/^R-[A-Za-z0-9]{8,32}$/, "must be an opaque id R-…"),
    createdAt: z.string().datetime(),
    axes: z.literal("p, q: exchange from the transmission system into the distribution system at the PCC, MW and MVAr; v: PCC voltage, p.u."),
    vRange: z.tuple([finite, finite]),
    box: z.strictObject({ min: vec3, max: vec3 }),
    polynomial: z.strictObject({
      center: vec3,
      scale: z.tuple([finite, finite, finite]).refine((s) => s.every((x) => x > 0), "scales must be positive"),
      exponents: z
        .array(z.tuple([expo, expo, expo]))
        .min(1)
        .max(500),
      coefficients: z.array(finite).min(1).max(500),
    }),
    costModel: z.strictObject({ coefficients: z.array(finite).length(10), r2: finite }),
    fit: z.strictObject({ degree: z.number().int().min(1).max(12), heldOutError: finite, accuracy: finite }),
    /** The inner polytope a·p + b·q + c·v ≤ d (MW, MVAr, p.u.): the hull of PCC exchanges the AC-OPF reached. Optional: regions published before it carry the polynomial alone. */
    hull: z
      .strictObject({
        planes: z
          .array(z.tuple([finite, finite, finite, finite]))
          .min(4)
          .max(2000)
          .refine((ps) => ps.every(([a, b, c]) => Math.hypot(a, b, c) > 0), "every plane needs a non-zero normal"),
      })
      .optional(),
  })
  .refine((r) => r.polynomial.exponents.length === r.polynomial.coefficients.length, { message: "one coefficient per exponent triple", path: ["polynomial", "coefficients"] });

export type PublishedPqvRegion = z.infer<typeof publishedPqvRegionSchema>;
export type PublishedRegion = PublishedPqRegion | PublishedPqvRegion;

export class RegionFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RegionFormatError";
  }
}

function issueText(error: z.ZodError): string {
  const issue = error.issues[0];
  const path = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
  return `region${path}: ${issue.message}`;
}

/** Parse a published region of either kind with its strict schema (chosen by `schema`); the error names the field. */
export function parsePublishedRegion(input: unknown): PublishedRegion {
  if (typeof input === "object" && input !== null && (input as { schema?: unknown }).schema === PQV_REGION_SCHEMA) {
    const r = publishedPqvRegionSchema.safeParse(input);
    if (!r.success) throw new RegionFormatError(issueText(r.error));
    return r.data;
  }
  return parsePublishedPqRegion(input);
}

/** A published region from its JSON text, held against REGION_LIMITS before it is parsed. */
export function parsePublishedRegionText(text: string): PublishedRegion {
  const over = scanJsonText(text, REGION_LIMITS);
  if (over) throw new RegionFormatError(`region, line ${over.line}: ${over.message}`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new RegionFormatError(`region: not valid JSON: ${(e as Error).message}`);
  }
  return parsePublishedRegion(raw);
}

/** The cost that goes with each PQ method (paper 000 section IV-A): the balance of U_LDS, with losses for U_SLC, an AC-OPF fit for the exact region. */
const COST_BASIS = { lds: "lossless-balance", slc: "loss-compensated-balance", exact: "ac-fit" } as const;

/** Parse a published PQ region with the strict schema; the error names the field. */
function parsePublishedPqRegion(input: unknown): PublishedPqRegion {
  const r = publishedPqRegionSchema.safeParse(input);
  if (!r.success) throw new RegionFormatError(issueText(r.error));
  const reg = r.data;
  if (reg.method === "slc" && !reg.lossModel) throw new RegionFormatError("region.lossModel: a loss-compensated region carries its loss quadratics");
  if (reg.method !== "slc" && reg.lossModel) throw new RegionFormatError(`region.lossModel: only a loss-compensated region carries loss quadratics, not '${reg.method}'`);
  if (reg.costModel && reg.costModel.basis !== COST_BASIS[reg.method])
    throw new RegionFormatError(`region.costModel.basis: the cost of a '${reg.method}' region is '${COST_BASIS[reg.method]}', not '${reg.costModel.basis}'`);
  return reg;
}

function opaqueId(): string {
  const abc = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return `R-${Array.from(bytes, (b) => abc[b % abc.length]).join("")}`;
}

/** The publishable form of a computed region (half-spaces without their labels). */
export function publishPqRegion(
  pcc: RegionProblem["pcc"],
  method: "lds" | "slc" | "exact",
  polygon: Point[],
  areaMW2: number,
  extra: { halfSpaces?: LinearRow[]; lossModel?: LossModel; costModel?: NonNullable<PublishedPqRegion["costModel"]> } = {},
): PublishedPqRegion {
  const round = (x: number) => Math.round(x * 1e9) / 1e9;
  return {
    schema: PQ_REGION_SCHEMA,
    version: 1,
    regionId: opaqueId(),
    method,
    createdAt: new Date().toISOString(),
    axes: "p, q: exchange from the transmission system into the distribution system at the PCC, MW and MVAr",
    pcc: { pMinMW: pcc.pMinMw, pMaxMW: pcc.pMaxMw, qMinMVAr: pcc.qMinMvar, qMaxMVAr: pcc.qMaxMvar },
    polygon: polygon.map(([p, q]) => [round(p), round(q)] as [number, number]),
    areaMW2,
    ...(extra.halfSpaces && method !== "exact" ? { halfSpaces: extra.halfSpaces.map((h) => ({ a: h.a, b: h.b, c: h.c })) } : {}),
    ...(extra.lossModel && method === "slc" ? { lossModel: extra.lossModel } : {}),
    ...(extra.costModel ? { costModel: extra.costModel } : {}),
  };
}

/** A stored region as the DSO's list shows it (wire type of app/api/grids/[id]/regions). */
export interface RegionSummary {
  id: string;
  gridId: string;
  kind: string;
  method: string;
  size: number;
  published: boolean;
  publishedAt: string | null;
  createdAt: string;
}

/** What the TSO may know of a published region (wire type of app/api/tso/regions). */
export interface PublishedRegionEntry {
  id: string;
  gridId: string;
  gridName: string;
  dso: string;
  kind: string;
  method: string;
  publishedAt: string;
  region: PublishedRegion;
}

/** The publishable form of a PQV region: coefficients only. */
export function publishPqvRegion(r: {
  vRange: [number, number];
  box: { min: number[]; max: number[] };
  polynomial: { center: number[]; scale: number[]; exponents: number[][]; coefficients: number[]; degree: number };
  costModel: { coefficients: number[]; r2: number };
  fit: { heldOutError: number; accuracy: number };
  hull?: { planes: { a: number; b: number; c: number; d: number }[] };
}): PublishedPqvRegion {
  const v3 = (a: number[]) => [a[0], a[1], a[2]] as [number, number, number];
  return {
    schema: PQV_REGION_SCHEMA,
    version: 1,
    regionId: opaqueId(),
    createdAt: new Date().toISOString(),
    axes: "p, q: exchange from the transmission system into the distribution system at the PCC, MW and MVAr; v: PCC voltage, p.u.",
    vRange: r.vRange,
    box: { min: v3(r.box.min), max: v3(r.box.max) },
    polynomial: { center: v3(r.polynomial.center), scale: v3(r.polynomial.scale), exponents: r.polynomial.exponents.map(v3), coefficients: r.polynomial.coefficients },
    costModel: { coefficients: r.costModel.coefficients, r2: r.costModel.r2 },
    fit: { degree: r.polynomial.degree, heldOutError: r.fit.heldOutError, accuracy: r.fit.accuracy },
    ...(r.hull && r.hull.planes.length >= 4 ? { hull: { planes: r.hull.planes.map((h) => [h.a, h.b, h.c, h.d] as [number, number, number, number]) } } : {}),
  };
}
