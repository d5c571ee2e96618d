import { z } from "zod";
import { requestMwSchema } from "@/lib/server/bcm";

/** POST body: the balancing request the TSO is about to clear. */
export const openClearingSchema = z.strictObject({ requestMw: requestMwSchema });
