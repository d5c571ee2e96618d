import { z } from "zod";

/** A dispatch: two vectors over the light model's locations (16 MB: about 300,000 locations). */
export const RELINEARIZE_BODY_LIMIT = 16 * 1024 * 1024;

/** POST body: where to re-linearize a grid (AC-verified clearing). */
export const relinearizeSchema = z.strictObject({
  clearingId: z.string().min(1, "name the clearing (POST /api/tso/clearings opens one)").max(100),
  lightModelId: z.string().min(1),
  locationMw: z.array(z.number()).max(1_000_000),
  locationMvar: z.array(z.number()).max(1_000_000),
  pointIndex: z.number().int().min(0).max(1000),
  iteration: z.number().int().min(1).max(1000),
});
