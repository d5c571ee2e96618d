import { z } from "zod";

/** POST body: the region as the browser built it (checked with the strict schema in lib/server/regions.ts) and whether to publish it. */
export const regionUploadSchema = z.strictObject({
  region: z.unknown(),
  publish: z.boolean(),
});
