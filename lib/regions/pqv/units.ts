import { z } from "zod";
import type { Generator, Network } from "../../grid/types";
import { convexHalfPlanes, RegionInputError, type FlexUnit, type HalfPlane } from "../units";

/**
 * Units of a PQV region with real capability curves (paper 003: inverter circles and
 * cos φ limits, not only boxes): the circle |S| ≤ S_max as an inscribed 16-gon (so the
 * chart is never larger than the real one), a PV inverter's cos φ cone |Q| ≤ tan(acos φ)·P,
 * and the P/Q box, as half-planes of the unit's (P, Q).
 */

/** Edges of the inscribed polygon of a circle. */
const CIRCLE_EDGES = 16;

function circle(s: number): HalfPlane[] {
  const pts: [number, number][] = Array.from({ length: CIRCLE_EDGES }, (_, k) => {
    const a = (2 * Math.PI * k) / CIRCLE_EDGES;
    return [s * Math.cos(a), s * Math.sin(a)];
  });
  return convexHalfPlanes(pts);
}

/** |Q| ≤ tan(acos cosPhi)·P (both halves of the cone). */
function cone(cosPhi: number): HalfPlane[] {
  const t = Math.tan(Math.acos(cosPhi));
  return [
    { a: -t, b: 1, c: 0 },
    { a: -t, b: -1, c: 0 },
  ];
}

export interface UnitSpec {
  id: string;
  bus: number;
  kind: FlexUnit["kind"];
  pMinMW: number;
  pMaxMW: number;
  qMinMVAr: number;
  qMaxMVAr: number;
  /** Apparent-power rating (inverter or armature circle), MVA. */
  sMaxMVA?: number;
  /** Least power factor (PV inverters: the cone), e.g. 0.9. */
  cosPhiMin?: number;
  p0MW?: number;
  q0MVAr?: number;
}

function unitFromSpec(u: UnitSpec): FlexUnit {
  const chart: HalfPlane[] = [];
  if (u.sMaxMVA !== undefined) chart.push(...circle(u.sMaxMVA));
  if (u.cosPhiMin !== undefined) chart.push(...cone(u.cosPhiMin));
  const p0 = u.p0MW ?? Math.min(u.pMaxMW, Math.max(u.pMinMW, 0));
  const q0 = u.q0MVAr ?? Math.min(u.qMaxMVAr, Math.max(u.qMinMVAr, 0));
  return { id: u.id, bus: u.bus, kind: u.kind, p0Mw: p0, q0Mvar: q0, pMinMw: u.pMinMW, pMaxMw: u.pMaxMW, qMinMvar: u.qMinMVAr, qMaxMvar: u.qMaxMVAr, chart };
}

/** A generator with its armature circle: radius mBase when it is a real machine rating (≥ Pmax), else √(Pmax² + Qmax²). */
export function generatorCapability(g: Generator): FlexUnit {
  const qAbs = Math.max(Math.abs(g.qminMvar), Math.abs(g.qmaxMvar));
  const s = g.mBase > 0 && g.mBase >= Math.abs(g.pmaxMw) ? g.mBase : Math.hypot(Math.max(Math.abs(g.pminMw), Math.abs(g.pmaxMw)), qAbs);
  const u = unitFromSpec({
    id: `gen-${g.id}`,
    bus: g.bus,
    kind: "generator",
    pMinMW: g.pminMw,
    pMaxMW: g.pmaxMw,
    qMinMVAr: g.qminMvar,
    qMaxMVAr: g.qmaxMvar,
    sMaxMVA: s,
    p0MW: g.pgMw,
    q0MVAr: g.qgMvar,
  });
  return { ...u, cost: g.cost };
}

/**
 * The documented default units of a grid that declares none (case533mt_lo has only its
 * slack): PV inverters at every k-th load bus (by bus number) and batteries at every k-th
 * shifted by k/2, k chosen for about 12 of each; a PV inverter rated 60 % of its bus's
 * apparent demand, P ∈ [0, 90 % of the rating] (the irradiance of the scenario), cos φ ≥ 0.9;
 * a battery rated 40 %, P ∈ ±rating; both with their circle. Buses with a demand under
 * 1 % of the largest are skipped.
 */
export function defaultUnitSet(net: Network, pccBus: number): FlexUnit[] {
  const demand = net.buses.map((b) => ({ id: b.id, s: Math.hypot(b.pdMw, b.qdMvar) })).filter((b) => b.id !== pccBus);
  const smax = Math.max(0, ...demand.map((d) => d.s));
  const loads = demand.filter((d) => d.s > 0.01 * smax).sort((a, b) => a.id - b.id);
  if (loads.length === 0) throw new RegionInputError("the grid has no load bus to place default units at");
  const k = Math.max(1, Math.ceil(loads.length / 12));
  const units: FlexUnit[] = [];
  for (let i = 0; i < loads.length; i += k) {
    const s = 0.6 * loads[i].s;
    units.push(unitFromSpec({ id: `pv-${loads[i].id}`, bus: loads[i].id, kind: "pv", pMinMW: 0, pMaxMW: 0.9 * s, qMinMVAr: -s, qMaxMVAr: s, sMaxMVA: s, cosPhiMin: 0.9, p0MW: 0.45 * s }));
  }
  for (let i = Math.floor(k / 2); i < loads.length; i += k) {
    const s = 0.4 * loads[i].s;
    units.push(unitFromSpec({ id: `bat-${loads[i].id}`, bus: loads[i].id, kind: "battery", pMinMW: -s, pMaxMW: s, qMinMVAr: -s, qMaxMVAr: s, sMaxMVA: s, p0MW: 0 }));
  }
  return units;
}

const finite = z.number().refine(Number.isFinite, "must be a finite number");
const unitSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, "must be 1-64 letters, digits or _ . : -"),
  bus: z.number().int().positive(),
  kind: z.enum(["der", "generator", "pv", "ev", "battery", "heat_pump", "other"]).default("other"),
  pMinMW: finite,
  pMaxMW: finite,
  qMinMVAr: finite,
  qMaxMVAr: finite,
  sMaxMVA: finite.refine((v) => v > 0, "must be positive").optional(),
  cosPhiMin: z.number().gt(0).lte(1).optional(),
  p0MW: finite.optional(),
  q0MVAr: finite.optional(),
});
const fileSchema = z.strictObject({ units: z.array(unitSchema).min(1).max(5000) });

/**
 * A unit list uploaded with a grid (`{ "units": [{ id, bus, kind, pMinMW, pMaxMW, qMinMVAr,
 * qMaxMVAr, sMaxMVA?, cosPhiMin?, p0MW?, q0MVAr? }] }`): checked against the grid's buses,
 * errors name the field (`units[3].bus: bus 999 is not in the grid`).
 */
export function parseUnitList(text: string, net: Network): FlexUnit[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new RegionInputError(`the unit list is not JSON: ${(e as Error).message}`);
  }
  const r = fileSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new RegionInputError(
      `${issue.path
        .map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`))
        .join("")
        .replace(/^\./, "")}: ${issue.message}`,
    );
  }
  const buses = new Set(net.buses.map((b) => b.id));
  const ids = new Set<string>();
  return r.data.units.map((u, i) => {
    if (!buses.has(u.bus)) throw new RegionInputError(`units[${i}].bus: bus ${u.bus} is not in the grid`);
    if (ids.has(u.id)) throw new RegionInputError(`units[${i}].id: '${u.id}' appears twice`);
    ids.add(u.id);
    if (!(u.pMinMW <= u.pMaxMW)) throw new RegionInputError(`units[${i}]: pMinMW ${u.pMinMW} exceeds pMaxMW ${u.pMaxMW}`);
    if (!(u.qMinMVAr <= u.qMaxMVAr)) throw new RegionInputError(`units[${i}]: qMinMVAr ${u.qMinMVAr} exceeds qMaxMVAr ${u.qMaxMVAr}`);
    return unitFromSpec(u);
  });
}
