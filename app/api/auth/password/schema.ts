import { z } from "zod";
import { MAX_PASSWORD_LENGTH } from "@/lib/limits/password";

export const changePasswordSchema = z.strictObject({
  currentPassword: z.string().min(1, "enter your current password").max(MAX_PASSWORD_LENGTH),
  newPassword: z.string().min(1, "enter a new password").max(MAX_PASSWORD_LENGTH),
});
