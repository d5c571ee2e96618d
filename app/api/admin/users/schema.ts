import { z } from "zod";
import { ROLES } from "@/lib/wire/roles";
import { MAX_PASSWORD_LENGTH } from "@/lib/limits/password";

/** POST body: a new account; without a password one is generated and returned once. */
export const createAccountSchema = z.strictObject({
  username: z.string().trim().min(1, "enter a user name").max(40),
  displayName: z
    .string()
    .trim()
    .min(1, "enter the operator's name")
    .max(80)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters (C0 and DEL) is the point
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), "no control characters"),
  role: z.enum(ROLES, { error: `one of ${ROLES.join(", ")}` }),
  password: z.string().max(MAX_PASSWORD_LENGTH).optional(),
});
