import { z } from "zod";
import { MAX_REQUEST_MW } from "@/lib/server/portfolio-limits";

/** POST body: the balancing request the TSO is about to clear. */
export const openClearingSchema = z.strictObject({
  requestMw: z
    .number({ error: "requestMw must be a number (MW; positive = upward)" })
    .refine(Number.isFinite, "requestMw must be a finite number")
    .refine((v) => v !== 0, "requestMw must not be 0")
    .refine((v) => Math.abs(v) <= MAX_REQUEST_MW, `requestMw must lie within ±${MAX_REQUEST_MW} MW`),
});
