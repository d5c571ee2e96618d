import type { Branch, Bus } from "../grid/types";
import { DISTRICT_BASE_MVA } from "./design";
import type { LocalProjection, LonLat } from "./geo";
import type { Graph } from "./graph";
import { linePu, transformerPu, type BranchPu, type LineType, type TransformerType } from "./standard-types";

/** Cable joints closer than this are modelled as this much cable (keeps Ybus well conditioned), km. */
const MIN_ELECTRICAL_KM = 0.001;

/**
 * The buses and branches of a district grid as the stages add them: numbered buses
 * at WGS84 positions, and cables and transformers with their per-unit parameters on
 * the district's base (DISTRICT_BASE_MVA).
 */
export class GridAssembly {
  readonly buses: Bus[] = [];
  readonly branches: Branch[] = [];

  constructor(
    private readonly proj: LocalProjection,
    private readonly g: Graph,
  ) {}

  /** WGS84 position of a point of the local frame. */
  readonly ll = (x: number, y: number): LonLat => this.proj.toLonLat([x, y]);
  /** WGS84 position of a routing node. */
  readonly nodeLl = (v: number): LonLat => this.ll(this.g.x[v], this.g.y[v]);

  /** A new bus (ids count from 1); returns its id. */
  addBus(name: string, kv: number, p: LonLat, type: Bus["type"] = "PQ"): number {
    const id = this.buses.length + 1;
    this.buses.push({ id, type, pdMw: 0, qdMvar: 0, gsMw: 0, bsMvar: 0, area: 1, vmPu: 1, vaDeg: 0, baseKv: kv, zone: 1, vmaxPu: 1.05, vminPu: 0.95, name, lon: p[0], lat: p[1] });
    return id;
  }

  /** A cable of `parallel` identical systems along `geometry`. */
  addLine(id: string, from: number, to: number, t: LineType, lengthKm: number, geometry: LonLat[], parallel = 1, inService = true): void {
    const pu = linePu(t, Math.max(lengthKm, MIN_ELECTRICAL_KM), DISTRICT_BASE_MVA, parallel);
    this.addBranch(id, from, to, pu, 0, inService, { kind: "line", geometry, lengthKm, typeName: typeName(t, parallel) });
  }

  /** `parallel` identical transformers at `p`, from the MV bus to the LV bus. */
  addTransformer(id: string, from: number, to: number, tt: TransformerType, parallel: number, p: LonLat): void {
    const pu = transformerPu(tt, DISTRICT_BASE_MVA, parallel);
    this.addBranch(id, from, to, pu, 1, true, { kind: "transformer", geometry: [p, p], typeName: typeName(tt, parallel) });
  }

  /** A branch with the ratings and angle limits lines and transformers share; `tail` (kind, geometry, length, type) comes last. */
  private addBranch(id: string, from: number, to: number, pu: BranchPu, tap: number, inService: boolean, tail: Pick<Branch, "kind" | "geometry" | "lengthKm" | "typeName">): void {
    this.branches.push({ id, from, to, ...pu, rateBMva: pu.rateAMva, rateCMva: pu.rateAMva, tap, shiftDeg: 0, inService, angMinDeg: -360, angMaxDeg: 360, ...tail });
  }
}

/** A standard type's name, prefixed with the count of parallel units ("2x …") when there are several. */
export function typeName(t: { name: string }, parallel: number): string {
  return parallel > 1 ? `${parallel}x ${t.name}` : t.name;
}
