import { z } from "zod";

/** Largest layout body accepted: a 100,000-bus layout is about 3 MB of JSON. */
export const MAX_LAYOUT_BYTES = 32 * 1024 * 1024;

/** PUT: a computed layout (checked strictly, and against the grid's buses, by storeOwnedLayout). */
export const putLayoutSchema = z.object({ layout: z.unknown() }).strict();

/** PATCH: buses moved by hand, each to its new coordinates (layout units). */
export const moveBusesSchema = z
  .object({
    moves: z
      .array(z.object({ busId: z.number().int().positive(), x: z.number(), y: z.number() }).strict())
      .min(1, "name at least one bus")
      .max(10_000, "at most 10,000 buses at once"),
  })
  .strict();
