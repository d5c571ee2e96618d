import { resetPassword } from "@/lib/server/accounts";
import { requireUser } from "@/lib/server/auth";
import { getPrisma } from "@/lib/server/db";
import { apiRoute, jsonResponse } from "@/lib/server/errors";
import { readJson } from "@/lib/server/request";
import { resetPasswordSchema } from "./schema";

type Ctx = { params: Promise<{ id: string }> };

/** POST { password? } → { username, password }: a new password for another account (generated ones are returned once); its sessions end. */
export const POST = apiRoute(async (req: Request, ctx: Ctx) => {
  const admin = await requireUser(req, ["ADMIN"]);
  const { id } = await ctx.params;
  const { password } = await readJson(req, resetPasswordSchema);
  return jsonResponse(await resetPassword(await getPrisma(), admin, id, password));
});
