import type { Network } from "../../grid/types";
import { closeTies } from "../../powerflow";
import { buildRegionProblem, type FlexUnit, type RegionProblem } from "../units";
import { defaultUnitSet, generatorCapability } from "./units";

export interface PqvProblemOptions {
  /** The PCC voltage range (p.u.), default 0.95–1.05. */
  vRange?: [number, number];
  closeTies?: boolean;
  /** The DSO's own unit list (replaces the grid's). */
  unitList?: FlexUnit[];
}

const DEFAULT_V_RANGE: [number, number] = [0.95, 1.05];

/**
 * The PQV problem of a grid (paper 002): the PQ region's problem with the PCC voltage
 * free within its range, and units with real capability curves — the district's units,
 * else the generators a case declares (with their armature circle), else the documented
 * default set of PV inverters and batteries, or the DSO's uploaded list.
 */
export function buildPqvProblem(net: Network, opts: PqvProblemOptions = {}): RegionProblem {
  const grid = opts.closeTies ? closeTies(net) : net;
  const vRange = opts.vRange ?? DEFAULT_V_RANGE;
  if (!(vRange[0] < vRange[1])) throw new RangeError(`the PCC voltage range must be increasing, got ${vRange[0]}–${vRange[1]}`);
  const pccBus = grid.buses.find((b) => b.type === "REF")?.id;
  const hasOtherGens = grid.generators.some((g) => g.inService && g.bus !== pccBus);
  if (opts.unitList) return { ...buildRegionProblem(grid, { unitList: opts.unitList }), vRange };
  if (grid.fpus.length > 0) return { ...buildRegionProblem(grid, { units: "fpus" }), vRange };
  if (hasOtherGens) {
    const p = buildRegionProblem(grid, { units: "generators" });
    const gens = grid.generators.filter((g) => g.inService && g.bus !== p.pccBus);
    return { ...p, units: gens.map(generatorCapability), vRange };
  }
  const p = buildRegionProblem(grid, { units: "der" });
  return { ...p, units: defaultUnitSet(grid, p.pccBus), unitSource: "default-set", vRange };
}
