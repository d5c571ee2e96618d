import { GridFormatError } from "./errors";
import type { Network } from "./types";

export type ElementRef = { kind: "bus" | "branch" | "gen" | "load" | "fpu"; index: number };
export type ErrorFactory = (message: string, ref: ElementRef) => Error;

const COLLECTION: Record<ElementRef["kind"], string> = {
  bus: "buses",
  branch: "branches",
  gen: "generators",
  load: "loads",
  fpu: "fpus",
};

/** Field-path errors, for formats without line numbers (the project JSON). */
const fieldErrors: ErrorFactory = (message, ref) => new GridFormatError(message, { field: `${COLLECTION[ref.kind]}[${ref.index}]` });

/**
 * Semantic checks every importer runs before a Network is handed out: references
 * between elements, unique ids, a slack bus with a generator, no zero-impedance
 * branch in service, consistent FPU ranges. Throws the first problem found.
 */
export function validateNetwork(net: Network, err: ErrorFactory = fieldErrors): void {
  const busIdx = new Map<number, number>();
  net.buses.forEach((b, i) => {
    if (!Number.isInteger(b.id) || b.id <= 0) throw err(`bus id ${b.id} must be a positive integer`, { kind: "bus", index: i });
    if (busIdx.has(b.id)) throw err(`duplicate bus id ${b.id}`, { kind: "bus", index: i });
    busIdx.set(b.id, i);
  });
  const uniqueIds = (kind: ElementRef["kind"], list: { id: string }[]) => {
    const seen = new Set<string>();
    list.forEach(({ id }, i) => {
      if (seen.has(id)) throw err(`duplicate ${kind} id '${id}'`, { kind, index: i });
      seen.add(id);
    });
  };
  uniqueIds("branch", net.branches);
  uniqueIds("gen", net.generators);
  uniqueIds("load", net.loads);
  uniqueIds("fpu", net.fpus);

  net.branches.forEach((br, i) => {
    if (!busIdx.has(br.from)) throw err(`branch ${br.id} starts at unknown bus ${br.from}`, { kind: "branch", index: i });
    if (!busIdx.has(br.to)) throw err(`branch ${br.id} ends at unknown bus ${br.to}`, { kind: "branch", index: i });
    if (br.inService && br.from === br.to) {
      throw err(`branch ${br.id} connects bus ${br.from} to itself`, { kind: "branch", index: i });
    }
    if (br.inService && br.rPu === 0 && br.xPu === 0) {
      throw err(`branch ${br.id} (${br.from}-${br.to}) is in service with zero impedance (r = x = 0)`, {
        kind: "branch",
        index: i,
      });
    }
    if (br.rateAMva < 0) throw err(`branch ${br.id} has a negative rating ${br.rateAMva} MVA`, { kind: "branch", index: i });
  });
  const genBuses = new Set<number>();
  net.generators.forEach((g, i) => {
    if (!busIdx.has(g.bus)) throw err(`generator ${g.id} is connected to unknown bus ${g.bus}`, { kind: "gen", index: i });
    if (g.inService) genBuses.add(g.bus);
  });
  net.loads.forEach((l, i) => {
    if (!busIdx.has(l.bus)) throw err(`load ${l.id} is connected to unknown bus ${l.bus}`, { kind: "load", index: i });
  });
  net.fpus.forEach((f, i) => {
    if (!busIdx.has(f.bus)) throw err(`FPU ${f.id} is connected to unknown bus ${f.bus}`, { kind: "fpu", index: i });
    if (!(f.pMinMw <= f.pMw && f.pMw <= f.pMaxMw)) {
      throw err(`FPU ${f.id}: scheduled ${f.pMw} MW lies outside its range [${f.pMinMw}, ${f.pMaxMw}] MW`, {
        kind: "fpu",
        index: i,
      });
    }
  });

  const refs = net.buses.map((b, i) => ({ b, i })).filter(({ b }) => b.type === "REF");
  if (refs.length === 0) {
    throw new GridFormatError("no slack bus: no bus has type 3 (REF)", { field: "buses" });
  }
  const refWithGen = refs.filter(({ b }) => genBuses.has(b.id));
  if (refWithGen.length === 0) {
    const { b, i } = refs[0];
    throw err(`slack bus ${b.id} has no in-service generator`, { kind: "bus", index: i });
  }
}
