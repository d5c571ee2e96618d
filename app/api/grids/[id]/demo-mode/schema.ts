import { z } from "zod";

/** PUT body: whether the TSO may see this grid on the map (a labelled demonstrator mode). */
export const demoModeSchema = z.strictObject({ demoMode: z.boolean() });
