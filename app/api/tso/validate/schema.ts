import { z } from "zod";

const vector = z.array(z.number()).max(1_000_000);

/** POST body: per grid, the dispatch the TSO cleared and the operating point it cleared with. */
export const validateSchema = z.strictObject({
  /** The clearing (POST /api/tso/clearings) this dispatch comes from, and its iteration. */
  clearingId: z.string().min(1, "name the clearing (POST /api/tso/clearings opens one)").max(100),
  iteration: z.number().int().min(1).max(1000),
  grids: z
    .array(
      z.strictObject({
        lightModelId: z.string().min(1),
        selectedIndex: z.number().int().min(0),
        locationMw: vector,
        locationMvar: vector,
        reactive: z.boolean(),
        /** Points added by /api/tso/relinearize in this clearing, in order (checked with the light-model schema). */
        addedOperatingPoints: z.array(z.unknown()).max(64).default([]),
      }),
    )
    .min(1, "name at least one grid"),
});
