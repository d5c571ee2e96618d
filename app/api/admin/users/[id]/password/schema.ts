import { z } from "zod";
import { MAX_PASSWORD_LENGTH } from "@/lib/limits/password";

/** POST body: the new password, or none to have one generated (returned once). */
export const resetPasswordSchema = z.strictObject({
  password: z.string().max(MAX_PASSWORD_LENGTH).optional(),
});
