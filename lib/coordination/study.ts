import type { Branch, Bus, Generator, Network } from "../grid/types";
import { DEFAULT_DER, defaultDer, type FlexUnit } from "../regions/units";
import { CoordinationInputError } from "./representation";

/**
 * Paper 000's coordination study (section IV-B, Fig. 1 and 3): a transmission grid (case30)
 * with a distribution system at every bus but the reference bus — buses with more than
 * 15 MW of demand get case118zh, 5–15 MW case10ba, below 5 MW case33mg (9 case10ba,
 * 16 case33mg, 4 case118zh). Each feeder replaces its bus's demand: its loads are scaled so
 * that its total P and Q equal the bus's, but never above the feeder's own demand (these
 * cases are loaded to their voltage limits as they are: case118zh at bus 8's 30 MW, 1.32
 * times its own, has no feasible operating point with any DER — its lowest voltage falls to
 * 0.82 p.u.), the rest of the bus's demand staying a transmission load; a bus without
 * demand keeps the feeder's own (case33mg's 3.715 MW, 2.3 MVAr: a feeder scaled to
 * nothing has no region). Each feeder has one DER at its weakest leaf (the PQ-region
 * default, P ∈ [0, 25 % ΣPd],
 * Q ∈ ±15 % Σ|Qd|) whose cost c(P) = 0.02 P² + c₁ P $/h varies across the systems, in bus
 * order, from c₁ = 1.5 to 5 $/MWh: below and above the transmission generators' marginal
 * costs (1–3.25 $/MWh plus their quadratic terms), as in section IV-A.
 */
export type FeederCase = "case10ba" | "case33mg" | "case118zh";

export interface StudySystem {
  /** "DS 7" — the distribution system at transmission bus 7. */
  name: string;
  tsBus: number;
  feeder: FeederCase;
  /** The scaled feeder (its DER not included). */
  net: Network;
  der: FlexUnit;
  /** Load scaling applied (1 where the bus had no demand). */
  scaleP: number;
  scaleQ: number;
}

export interface Study {
  /** The transmission grid, each PCC bus left with the demand its feeder does not take over. */
  ts: Network;
  systems: StudySystem[];
}

const STUDY_DER_COST = { c2: 0.02, c1From: 1.5, c1To: 5 };

/** The feeder type paper 000 connects to a transmission bus of the given demand. */
function feederFor(pdMw: number): FeederCase {
  return pdMw > 15 ? "case118zh" : pdMw >= 5 ? "case10ba" : "case33mg";
}

export function buildStudy(ts: Network, feeders: Record<FeederCase, Network>, opts: { buses?: number[] } = {}): Study {
  const candidates = ts.buses.filter((b) => b.type !== "REF" && b.type !== "NONE");
  const chosen = opts.buses ? candidates.filter((b) => opts.buses!.includes(b.id)) : candidates;
  if (opts.buses) {
    const missing = opts.buses.filter((id) => !chosen.some((b) => b.id === id));
    if (missing.length) throw new CoordinationInputError(`bus${missing.length > 1 ? "es" : ""} ${missing.join(", ")} of ${ts.name}: not a PQ or PV bus that can take a distribution system`);
  }
  const systems = chosen.map((b, k): StudySystem => {
    const feeder = feederFor(b.pdMw);
    const base = feeders[feeder];
    const demand = totalDemand(base);
    const scaleP = b.pdMw > 0 ? Math.min(1, b.pdMw / demand.p) : 1;
    // Reactive demand follows the bus's where it is positive; at a bus that absorbs none or
    // injects (case14's bus 4: −3.9 MVAr) the feeder keeps its own power factor, or its DER
    // (±15 % of the feeder's reactive demand) would have no reactive range at all.
    const scaleQ = b.pdMw > 0 && b.qdMvar > 0 && demand.q > 0 ? Math.min(1, b.qdMvar / demand.q) : scaleP;
    const net: Network = {
      ...base,
      name: `${feeder} at bus ${b.id}`,
      buses: base.buses.map((x) => ({ ...x, pdMw: x.pdMw * scaleP, qdMvar: x.qdMvar * scaleQ })),
      loads: base.loads.map((l) => ({ ...l, pMw: l.pMw * scaleP, qMvar: l.qMvar * scaleQ })),
    };
    const pcc = net.buses.find((x) => x.type === "REF");
    if (!pcc) throw new CoordinationInputError(`${feeder}: no reference bus to connect at the PCC`);
    const n = Math.max(1, chosen.length - 1);
    const c1 = STUDY_DER_COST.c1From + ((STUDY_DER_COST.c1To - STUDY_DER_COST.c1From) * k) / n;
    const der = { ...defaultDer(net, pcc.id, DEFAULT_DER), id: `der-${b.id}`, cost: { model: 2 as const, startup: 0, shutdown: 0, coeffs: [STUDY_DER_COST.c2, c1, 0] } };
    return { name: `DS ${b.id}`, tsBus: b.id, feeder, net, der, scaleP, scaleQ };
  });
  const residual = new Map(systems.map((s) => [s.tsBus, totalDemand(s.net)]));
  const buses = ts.buses.map((b) => {
    const d = residual.get(b.id);
    return d ? { ...b, pdMw: Math.max(0, b.pdMw - d.p), qdMvar: b.qdMvar > 0 ? Math.max(0, b.qdMvar - d.q) : b.qdMvar } : b;
  });
  return { ts: { ...ts, buses }, systems };
}

function totalDemand(net: Network): { p: number; q: number } {
  return {
    p: net.buses.reduce((s, b) => s + b.pdMw, 0) + net.loads.reduce((s, l) => s + l.pMw, 0),
    q: net.buses.reduce((s, b) => s + b.qdMvar, 0) + net.loads.reduce((s, l) => s + l.qMvar, 0),
  };
}

/**
 * How a distribution system hangs at its PCC in the centralized reference (eq. 7):
 * "power" — paper 000: only the exchange couples the two (eq. 5); the feeder's root keeps its
 * own voltage (eq. 2a, U_root = 1), as behind a tap-changing transformer; "voltage" — paper
 * 002: the feeder's root is the transmission bus, so the PCC voltage is shared (the third
 * coordinate of the PQV region), within the bus's limits and the PQV range.
 */
export type Coupling = "power" | "voltage";

export interface IntegratedSystem {
  net: Network;
  links: { generator: number; bus: number }[];
  /** Per distribution system: its DER generator, its PCC link generator (power) or the branches leaving the PCC (voltage). */
  systems: { der: number; pccGen: number; pccBranches: { index: number; fromSide: boolean }[]; busOffset: number }[];
}

/** The whole integrated system as one network (paper 000 eq. 7: about 1,100 buses for case30 with 29 feeders). */
export function integratedNetwork(study: Study, coupling: Coupling, vRange: [number, number] = [0.95, 1.05]): IntegratedSystem {
  const ts = study.ts;
  const base = ts.baseMVA;
  const withDs = new Set(study.systems.map((s) => s.tsBus));
  const buses: Bus[] = ts.buses.map((b) => {
    if (!withDs.has(b.id) || coupling === "power") return { ...b };
    return { ...b, vminPu: Math.max(b.vminPu, vRange[0]), vmaxPu: Math.min(b.vmaxPu, vRange[1]) };
  });
  const branches: Branch[] = ts.branches.map((b) => ({ ...b }));
  const generators: Generator[] = ts.generators.map((g) => ({ ...g }));
  const links: IntegratedSystem["links"] = [];
  const systems: IntegratedSystem["systems"] = [];
  const maxId = Math.max(...ts.buses.map((b) => b.id));
  const stride = 10 ** Math.ceil(Math.log10(Math.max(...study.systems.map((s) => Math.max(...s.net.buses.map((b) => b.id)))) + 1));
  study.systems.forEach((s, k) => {
    const ds = s.net;
    const offset = (Math.ceil((maxId + 1) / stride) + k) * stride;
    const root = ds.buses.find((b) => b.type === "REF")!;
    const zScale = base / ds.baseMVA;
    const id = (busId: number) => (coupling === "voltage" && busId === root.id ? s.tsBus : busId + offset);
    for (const b of ds.buses) {
      if (coupling === "voltage" && b.id === root.id) {
        // The root merges into the transmission bus: its demand and shunts go there.
        const t = buses.find((x) => x.id === s.tsBus)!;
        t.pdMw += b.pdMw;
        t.qdMvar += b.qdMvar;
        t.gsMw += b.gsMw;
        t.bsMvar += b.bsMvar;
        continue;
      }
      const isRoot = b.id === root.id;
      buses.push({
        ...b,
        id: id(b.id),
        name: `${s.name}/${b.id}`,
        type: isRoot ? "REF" : "PQ",
        ...(isRoot ? { vminPu: pccVoltage(ds), vmaxPu: pccVoltage(ds), vmPu: pccVoltage(ds), vaDeg: 0 } : {}),
      });
    }
    const pccBranches: { index: number; fromSide: boolean }[] = [];
    for (const br of ds.branches) {
      const nb: Branch = { ...br, id: `${s.name}/${br.id}`, from: id(br.from), to: id(br.to), rPu: br.rPu * zScale, xPu: br.xPu * zScale, bPu: br.bPu / zScale };
      if (coupling === "voltage" && (br.from === root.id || br.to === root.id)) pccBranches.push({ index: branches.length, fromSide: br.from === root.id });
      branches.push(nb);
    }
    let pccGen = -1;
    if (coupling === "power") {
      const g = ds.generators.find((x) => x.inService && x.bus === root.id);
      if (!g) throw new CoordinationInputError(`${s.name}: the feeder has no generator at its PCC`);
      const sd = Math.hypot(...Object.values(totalDemand(ds)));
      pccGen = generators.length;
      generators.push({
        ...g,
        id: `pcc:${s.name}`,
        bus: id(root.id),
        cost: undefined,
        qCost: undefined,
        pminMw: Math.min(g.pminMw, -sd),
        pmaxMw: Math.max(g.pmaxMw, sd),
        qminMvar: Math.min(g.qminMvar, -sd),
        qmaxMvar: Math.max(g.qmaxMvar, sd),
        mBase: base,
      });
      links.push({ generator: pccGen, bus: s.tsBus });
    }
    const der = generators.length;
    const u = s.der;
    generators.push({
      id: `der:${s.name}`,
      bus: id(u.bus),
      pgMw: u.p0Mw,
      qgMvar: u.q0Mvar,
      pminMw: u.pMinMw,
      pmaxMw: u.pMaxMw,
      qminMvar: u.qMinMvar,
      qmaxMvar: u.qMaxMvar,
      vgPu: 1,
      mBase: base,
      inService: true,
      cost: u.cost,
    });
    systems.push({ der, pccGen, pccBranches, busOffset: offset });
  });
  return { net: { ...ts, name: `${ts.name} with ${study.systems.length} distribution systems (${coupling} coupling)`, buses, branches, generators, loads: [], fpus: [] }, links, systems };
}

/** The voltage a feeder's PCC generator holds (MATPOWER's Vg), the U_root of eq. 2a. */
function pccVoltage(ds: Network): number {
  const root = ds.buses.find((b) => b.type === "REF")!;
  return ds.generators.find((g) => g.inService && g.bus === root.id)?.vgPu ?? 1;
}
