import { z } from "zod";

/**
 * POST body: the region as the browser built it (checked with the strict schema in
 * lib/server/regions.ts), whether to publish it, and optionally how its problem was built
 * (lib/regions/problem-options.ts; kept for the DSO's post-coordination, never served to the TSO).
 */
export const regionUploadSchema = z.strictObject({
  region: z.unknown(),
  publish: z.boolean(),
  options: z.unknown().optional(),
});
