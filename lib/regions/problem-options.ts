import { z } from "zod";
import type { Network } from "../grid/types";
import { closeTies } from "../powerflow";
import { buildPqvProblem } from "./pqv/problem";
import { parseUnitList } from "./pqv/units";
import { buildRegionProblem, type RegionProblem } from "./units";

/**
 * How a DSO built the problem of a region it stored (which units, the default DER's shares,
 * closed ties, the PQV voltage range and unit list). It stays with the DSO — the TSO never
 * reads it — and lets the post-coordination dispatch (lib/coordination/post.ts) rebuild
 * exactly the problem the published region describes.
 */
const share = z.number().refine((x) => Number.isFinite(x) && x > 0 && x <= 10, "must be a share in (0, 10]");

export const regionProblemOptionsSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("pq"),
    units: z.enum(["auto", "der", "generators", "fpus"]),
    der: z.strictObject({ pShare: share, qShare: share }),
    closeTies: z.boolean(),
  }),
  z.strictObject({
    kind: z.literal("pqv"),
    vRange: z.tuple([z.number().min(0.5).max(1.5), z.number().min(0.5).max(1.5)]).refine(([a, b]) => a < b, "the PCC voltage range must be increasing"),
    closeTies: z.boolean(),
    unitListJson: z
      .string()
      .max(4 * 1024 * 1024)
      .nullable(),
  }),
]);

export type RegionProblemOptionsStored = z.infer<typeof regionProblemOptionsSchema>;

/** The region problem of a grid under stored options (the same calls the region jobs make). */
export function buildStoredProblem(net: Network, o: RegionProblemOptionsStored): RegionProblem {
  if (o.kind === "pqv") {
    const unitList = o.unitListJson ? parseUnitList(o.unitListJson, net) : undefined;
    return buildPqvProblem(net, { closeTies: o.closeTies, vRange: o.vRange, unitList });
  }
  const grid = o.closeTies ? closeTies(net) : net;
  return buildRegionProblem(grid, { units: o.units === "auto" ? undefined : o.units, der: o.der });
}
