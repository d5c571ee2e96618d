import { z } from "zod";

export const signInSchema = z.object({
  username: z.string().trim().min(1, "enter a user name").max(64),
  password: z.string().min(1, "enter a password").max(256),
});
