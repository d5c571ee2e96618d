import { requireUser } from "@/lib/server/auth";
import { getPrisma } from "@/lib/server/db";
import { apiRoute, jsonResponse } from "@/lib/server/errors";
import { createGridFromFile, listOwnGrids } from "@/lib/server/grids";
import { readGridUpload } from "@/lib/server/upload";

/** GET → { grids } the signed-in DSO owns (summaries only). */
export const GET = apiRoute(async (req: Request) => {
  const user = await requireUser(req, ["DSO"]);
  return jsonResponse({ grids: await listOwnGrids(await getPrisma(), user) });
});

/** POST multipart (file, name?) → 201 { grid } after the importer accepted the file; 400/413 otherwise. */
export const POST = apiRoute(async (req: Request) => {
  const user = await requireUser(req, ["DSO"]);
  const upload = await readGridUpload(req);
  const grid = await createGridFromFile(await getPrisma(), user, upload);
  return jsonResponse({ grid }, { status: 201 });
});
