import { GridFormatError } from "./errors";
import { runMatlab } from "./matlab/interpreter";
import type { Mat, Struct, Value } from "./matlab/values";
import type { Branch, Bus, BusType, GenCost, Generator, Network } from "./types";
import { validateNetwork } from "./validate";

/**
 * Import of MATPOWER case files (format version 2, and version 1 functions returning
 * baseMVA, bus, gen, branch). The file is evaluated as MATLAB, so the unit conversions
 * at the end of the distribution cases (ohms to p.u., kW to MW, kVA at a power factor)
 * are applied exactly as MATLAB would apply them.
 */

const BUS_COLS = ["bus_i", "type", "Pd", "Qd", "Gs", "Bs", "area", "Vm", "Va", "baseKV", "zone", "Vmax", "Vmin"];
const GEN_COLS = ["bus", "Pg", "Qg", "Qmax", "Qmin", "Vg", "mBase", "status", "Pmax", "Pmin"];
const GEN_V2_COLS = 21;
const BRANCH_COLS = ["fbus", "tbus", "r", "x", "b", "rateA", "rateB", "rateC", "ratio", "angle", "status", "angmin", "angmax"];
const BUS_TYPES: Record<number, BusType> = { 1: "PQ", 2: "PV", 3: "REF", 4: "NONE" };

export interface MatpowerImportOptions {
  /** Name for the network; defaults to the function name in the file. */
  name?: string;
}

export function parseMatpowerCase(text: string, opts: MatpowerImportOptions = {}): Network {
  if (text.trim() === "") throw new GridFormatError("the file is empty");
  const prog = runMatlab(text);
  const mpc = findCase(prog.vars, prog.outputs);

  const baseMVA = requireScalar(mpc, "baseMVA");
  if (!(baseMVA > 0) || !Number.isFinite(baseMVA)) {
    throw new GridFormatError(`mpc.baseMVA must be a positive number, found ${baseMVA}`, { field: "mpc.baseMVA" });
  }
  const bus = requireMatrix(mpc, "bus", BUS_COLS.length, BUS_COLS);
  const gen = requireMatrix(mpc, "gen", GEN_COLS.length, GEN_COLS);
  const branch = requireMatrix(mpc, "branch", 11, BRANCH_COLS);
  if (bus.rows === 0) throw new GridFormatError("mpc.bus has no rows: a case needs at least one bus", { field: "mpc.bus" });

  checkFinite(bus, "bus", BUS_COLS, new Set([11, 12]));
  checkFinite(gen, "gen", GEN_COLS, new Set([3, 4, 8, 9]));
  checkFinite(branch, "branch", BRANCH_COLS, new Set());

  const names = cellOfStrings(mpc, "bus_name", bus.rows);

  const { buses, seen } = readBuses(bus, names);
  const generators = readGenerators(gen, seen);
  const branches = readBranches(branch, seen);

  attachGenCosts(mpc, generators);

  const net: Network = {
    name: opts.name ?? prog.functionName ?? "case",
    baseMVA,
    buses,
    branches,
    generators,
    loads: [],
    fpus: [],
    meta: { source: "matpower" },
  };
  validateNetwork(net, (msg, ref) => {
    const m = ref.kind === "bus" ? bus : ref.kind === "branch" ? branch : gen;
    return new GridFormatError(msg, rowWhere(m, ref.kind, ref.index));
  });
  return net;
}

/** The buses of mpc.bus, and the row of each bus number (for the generators' and branches' references). */
function readBuses(bus: Mat, names: string[] | undefined): { buses: Bus[]; seen: Map<number, number> } {
  const buses: Bus[] = [];
  const seen = new Map<number, number>();
  for (let r = 0; r < bus.rows; r++) {
    const where = rowWhere(bus, "bus", r);
    const id = bus.get(r, 0);
    if (!Number.isInteger(id) || id <= 0) {
      throw new GridFormatError(`bus number ${id} must be a positive integer`, where);
    }
    if (seen.has(id)) {
      throw new GridFormatError(`duplicate bus number ${id} (also in bus row ${seen.get(id)! + 1})`, where);
    }
    seen.set(id, r);
    const type = BUS_TYPES[bus.get(r, 1)];
    if (!type) throw new GridFormatError(`bus ${id} has type ${bus.get(r, 1)}; expected 1 (PQ), 2 (PV), 3 (REF) or 4 (isolated)`, where);
    const b: Bus = {
      id,
      type,
      pdMw: bus.get(r, 2),
      qdMvar: bus.get(r, 3),
      gsMw: bus.get(r, 4),
      bsMvar: bus.get(r, 5),
      area: bus.get(r, 6),
      vmPu: bus.get(r, 7),
      vaDeg: bus.get(r, 8),
      baseKv: bus.get(r, 9),
      zone: bus.get(r, 10),
      vmaxPu: bus.get(r, 11),
      vminPu: bus.get(r, 12),
    };
    const extra = tail(bus, r, 13);
    if (extra.length) b.extra = extra;
    if (names) b.name = names[r];
    buses.push(b);
  }
  return { buses, seen };
}

/** The generators of mpc.gen, each padded to MATPOWER version 2's 21 columns. */
function readGenerators(gen: Mat, seen: Map<number, number>): Generator[] {
  const generators: Generator[] = [];
  for (let r = 0; r < gen.rows; r++) {
    const where = rowWhere(gen, "gen", r);
    const busId = gen.get(r, 0);
    if (!seen.has(busId)) throw new GridFormatError(`generator ${r + 1} is connected to unknown bus ${busId}`, where);
    const extra = tail(gen, r, 10);
    while (extra.length < GEN_V2_COLS - 10) extra.push(0);
    generators.push({
      id: String(r + 1),
      bus: busId,
      pgMw: gen.get(r, 1),
      qgMvar: gen.get(r, 2),
      qmaxMvar: gen.get(r, 3),
      qminMvar: gen.get(r, 4),
      vgPu: gen.get(r, 5),
      mBase: gen.get(r, 6),
      inService: gen.get(r, 7) > 0,
      pmaxMw: gen.get(r, 8),
      pminMw: gen.get(r, 9),
      extra,
    });
  }
  return generators;
}

/** The branches of mpc.branch; a branch with a tap ratio or phase shift is a transformer. */
function readBranches(branch: Mat, seen: Map<number, number>): Branch[] {
  const branches: Branch[] = [];
  for (let r = 0; r < branch.rows; r++) {
    const where = rowWhere(branch, "branch", r);
    const from = branch.get(r, 0);
    const to = branch.get(r, 1);
    if (!seen.has(from)) throw new GridFormatError(`branch ${r + 1} starts at unknown bus ${from}`, where);
    if (!seen.has(to)) throw new GridFormatError(`branch ${r + 1} ends at unknown bus ${to}`, where);
    const br: Branch = {
      id: String(r + 1),
      from,
      to,
      rPu: branch.get(r, 2),
      xPu: branch.get(r, 3),
      bPu: branch.get(r, 4),
      rateAMva: branch.get(r, 5),
      rateBMva: branch.get(r, 6),
      rateCMva: branch.get(r, 7),
      tap: branch.get(r, 8),
      shiftDeg: branch.get(r, 9),
      inService: branch.get(r, 10) !== 0,
      angMinDeg: branch.cols > 11 ? branch.get(r, 11) : -360,
      angMaxDeg: branch.cols > 12 ? branch.get(r, 12) : 360,
    };
    if (br.tap !== 0 || br.shiftDeg !== 0) br.kind = "transformer";
    const extra = tail(branch, r, 13);
    if (extra.length) br.extra = extra;
    branches.push(br);
  }
  return branches;
}

function findCase(vars: Map<string, Value>, outputs: string[]): Struct {
  if (outputs.length === 1) {
    const v = vars.get(outputs[0]);
    if (v?.kind === "struct") return v;
    throw new GridFormatError(`the function output '${outputs[0]}' is never assigned as a case struct (mpc.bus = ...)`, {
      field: outputs[0],
    });
  }
  if (outputs.length > 1) {
    // MATPOWER version 1: function [baseMVA, bus, gen, branch, areas, gencost] = caseX
    const fields = new Map<string, Value>();
    const order = ["baseMVA", "bus", "gen", "branch", "areas", "gencost"];
    outputs.forEach((name, k) => {
      const v = vars.get(name);
      if (v && order[k]) fields.set(order[k], v);
    });
    return { kind: "struct", fields };
  }
  const mpc = vars.get("mpc");
  if (mpc?.kind === "struct") return mpc;
  throw new GridFormatError("no MATPOWER case found: expected 'function mpc = name' and mpc.bus, mpc.gen, mpc.branch");
}

function requireScalar(mpc: Struct, field: string): number {
  const v = mpc.fields.get(field);
  if (!v) throw new GridFormatError(`mpc.${field} is missing`, { field: `mpc.${field}` });
  if (v.kind !== "mat" || v.numel !== 1) {
    throw new GridFormatError(`mpc.${field} must be a number`, { field: `mpc.${field}` });
  }
  return v.data[0];
}

function requireMatrix(mpc: Struct, field: string, minCols: number, colNames: string[]): Mat {
  const v = mpc.fields.get(field);
  if (!v) throw new GridFormatError(`mpc.${field} is missing`, { field: `mpc.${field}` });
  if (v.kind !== "mat") throw new GridFormatError(`mpc.${field} must be a numeric matrix`, { field: `mpc.${field}` });
  if (v.rows > 0 && v.cols < minCols) {
    const line = v.rowLines?.[0];
    throw new GridFormatError(
      `mpc.${field} has ${v.cols} columns; at least ${minCols} are required (${colNames.slice(0, minCols).join(" ")})`,
      line !== undefined ? { line } : { field: `mpc.${field}` },
    );
  }
  // A literal "-0" (case1354pegase writes Qd as -0) is zero: the network model and its JSON carry no signed zeros.
  for (let k = 0; k < v.data.length; k++) if (v.data[k] === 0) v.data[k] = 0;
  return v;
}

function checkFinite(m: Mat, name: string, cols: string[], infOk: Set<number>): void {
  for (let c = 0; c < m.cols; c++) {
    for (let r = 0; r < m.rows; r++) {
      const x = m.get(r, c);
      if (Number.isNaN(x) || (!Number.isFinite(x) && !infOk.has(c))) {
        const col = cols[c] ?? `column ${c + 1}`;
        throw new GridFormatError(`mpc.${name} row ${r + 1}, ${col}: ${x} is not a valid value`, rowWhere(m, name, r));
      }
    }
  }
}

function rowWhere(m: Mat, name: string, r: number): { line?: number; field?: string } {
  const line = m.rowLines?.[r];
  return line !== undefined ? { line } : { field: `mpc.${name} row ${r + 1}` };
}

function tail(m: Mat, r: number, from: number): number[] {
  const out: number[] = [];
  for (let c = from; c < m.cols; c++) out.push(m.get(r, c));
  return out;
}

function cellOfStrings(mpc: Struct, field: string, n: number): string[] | undefined {
  const v = mpc.fields.get(field);
  if (v?.kind !== "cell") return undefined;
  if (v.items.length !== n) {
    throw new GridFormatError(`mpc.${field} has ${v.items.length} entries but mpc.bus has ${n} rows`, {
      field: `mpc.${field}`,
    });
  }
  return v.items.map((it) => (it.kind === "str" ? it.value.trim() : ""));
}

function attachGenCosts(mpc: Struct, gens: Generator[]): void {
  const v = mpc.fields.get("gencost");
  if (!v) return;
  if (v.kind !== "mat") throw new GridFormatError("mpc.gencost must be a numeric matrix", { field: "mpc.gencost" });
  if (v.rows === 0) return;
  const ng = gens.length;
  if (v.rows !== ng && v.rows !== 2 * ng) {
    throw new GridFormatError(`mpc.gencost has ${v.rows} rows; expected ${ng} (one per generator) or ${2 * ng}`, {
      field: "mpc.gencost",
    });
  }
  if (v.cols < 4) throw new GridFormatError(`mpc.gencost has ${v.cols} columns; at least 4 are required`, { field: "mpc.gencost" });
  for (let r = 0; r < v.rows; r++) {
    const where = rowWhere(v, "gencost", r);
    const model = v.get(r, 0);
    if (model !== 1 && model !== 2) {
      throw new GridFormatError(`gencost row ${r + 1}: model ${model} must be 1 (piecewise linear) or 2 (polynomial)`, where);
    }
    const n = v.get(r, 3);
    const width = model === 1 ? 2 * n : n;
    if (!Number.isInteger(n) || n < 0 || 4 + width > v.cols) {
      throw new GridFormatError(`gencost row ${r + 1}: NCOST ${n} needs ${4 + width} columns, the matrix has ${v.cols}`, where);
    }
    const coeffs: number[] = [];
    for (let c = 4; c < 4 + width; c++) coeffs.push(v.get(r, c));
    for (const x of coeffs) {
      if (!Number.isFinite(x)) throw new GridFormatError(`gencost row ${r + 1}: ${x} is not a valid cost coefficient`, where);
    }
    const cost: GenCost = { model, startup: v.get(r, 1), shutdown: v.get(r, 2), coeffs };
    if (r < ng) gens[r].cost = cost;
    else gens[r - ng].qCost = cost;
  }
}

// ---------------------------------------------------------------------------------
// Export

function num(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "Inf";
  if (x === -Infinity) return "-Inf";
  return String(x);
}

function table(rows: number[][]): string {
  const width = rows.reduce((w, r) => Math.max(w, r.length), 0);
  return rows.map((r) => `\t${[...r, ...Array(width - r.length).fill(0)].map(num).join("\t")};`).join("\n");
}

/**
 * MATPOWER case text for a network. Individually modelled loads and the scheduled
 * injection of FPUs are folded into the bus Pd/Qd (MATPOWER has no such elements),
 * and ratings go to rateA/B/C in MVA. Numbers are written with full precision, so a
 * MATPOWER import of the output gives back the same buses, branches and generators.
 */
export function writeMatpowerCase(net: Network): string {
  const fname = /^[A-Za-z][A-Za-z0-9_]*$/.test(net.name) ? net.name : "case_export";
  const pd = new Map<number, number>();
  const qd = new Map<number, number>();
  for (const l of net.loads) {
    pd.set(l.bus, (pd.get(l.bus) ?? 0) + l.pMw);
    qd.set(l.bus, (qd.get(l.bus) ?? 0) + l.qMvar);
  }
  for (const f of net.fpus) {
    pd.set(f.bus, (pd.get(f.bus) ?? 0) - f.pMw);
    qd.set(f.bus, (qd.get(f.bus) ?? 0) - f.qMvar);
  }
  const typeNum: Record<BusType, number> = { PQ: 1, PV: 2, REF: 3, NONE: 4 };
  const busRows = net.buses.map((b) => [
    b.id,
    typeNum[b.type],
    pd.has(b.id) ? b.pdMw + pd.get(b.id)! : b.pdMw,
    qd.has(b.id) ? b.qdMvar + qd.get(b.id)! : b.qdMvar,
    b.gsMw,
    b.bsMvar,
    b.area,
    b.vmPu,
    b.vaDeg,
    b.baseKv,
    b.zone,
    b.vmaxPu,
    b.vminPu,
    ...(b.extra ?? []),
  ]);
  const genRows = net.generators.map((g) => {
    const extra = [...(g.extra ?? [])];
    while (extra.length < GEN_V2_COLS - 10) extra.push(0);
    return [g.bus, g.pgMw, g.qgMvar, g.qmaxMvar, g.qminMvar, g.vgPu, g.mBase, g.inService ? 1 : 0, g.pmaxMw, g.pminMw, ...extra];
  });
  const branchRows = net.branches.map((br) => [
    br.from,
    br.to,
    br.rPu,
    br.xPu,
    br.bPu,
    br.rateAMva,
    br.rateBMva,
    br.rateCMva,
    br.tap,
    br.shiftDeg,
    br.inService ? 1 : 0,
    br.angMinDeg,
    br.angMaxDeg,
    ...(br.extra ?? []),
  ]);
  const parts: string[] = [];
  parts.push(`function mpc = ${fname}`);
  parts.push(`%${fname.toUpperCase()}  Exported by the TSO-DSO flexibility platform from network '${net.name.replace(/[\r\n]/g, " ")}'.`);
  parts.push(`%   ${net.buses.length} buses, ${net.branches.length} branches, ${net.generators.length} generators.`);
  if (net.loads.length || net.fpus.length) {
    parts.push(`%   Pd/Qd include ${net.loads.length} individual loads and the scheduled injection of ${net.fpus.length} FPUs.`);
  }
  parts.push("", "%% MATPOWER Case Format : Version 2", "mpc.version = '2';", "");
  parts.push("%%-----  Power Flow Data  -----%%", "%% system MVA base", `mpc.baseMVA = ${num(net.baseMVA)};`, "");
  parts.push("%% bus data", `%\t${BUS_COLS.join("\t")}`, "mpc.bus = [", table(busRows), "];", "");
  parts.push(
    "%% generator data",
    "%\tbus\tPg\tQg\tQmax\tQmin\tVg\tmBase\tstatus\tPmax\tPmin\tPc1\tPc2\tQc1min\tQc1max\tQc2min\tQc2max\tramp_agc\tramp_10\tramp_30\tramp_q\tapf",
    "mpc.gen = [",
    table(genRows),
    "];",
    "",
  );
  parts.push("%% branch data", `%\t${BRANCH_COLS.join("\t")}`, "mpc.branch = [", table(branchRows), "];", "");
  const withCost = net.generators.filter((g) => g.cost);
  if (net.generators.length > 0 && withCost.length === net.generators.length) {
    const costRows = net.generators.map((g) => costRow(g.cost!));
    if (net.generators.every((g) => g.qCost)) costRows.push(...net.generators.map((g) => costRow(g.qCost!)));
    parts.push("%%-----  OPF Data  -----%%", "%% generator cost data", "mpc.gencost = [", table(costRows), "];", "");
  }
  if (net.buses.some((b) => b.name !== undefined)) {
    const esc = (s: string) => s.replace(/'/g, "''").replace(/[\r\n]/g, " ");
    parts.push("%% bus names", "mpc.bus_name = {", ...net.buses.map((b) => `\t'${esc(b.name ?? "")}';`), "};", "");
  }
  return parts.join("\n");
}

function costRow(c: GenCost): number[] {
  const n = c.model === 1 ? c.coeffs.length / 2 : c.coeffs.length;
  return [c.model, c.startup, c.shutdown, n, ...c.coeffs];
}
