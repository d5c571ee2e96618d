import { requireUser } from "@/lib/server/auth";
import { getPrisma } from "@/lib/server/db";
import { apiRoute, jsonResponse } from "@/lib/server/errors";
import { listOwnGrids, storeNetworkJson } from "@/lib/server/grids";
import { runTask } from "@/lib/server/pool";
import { GRID_UPLOAD, readUploadBody } from "@/lib/server/upload";

/** GET → { grids } the signed-in DSO owns (summaries only). */
export const GET = apiRoute(async (req: Request) => {
  const user = await requireUser(req, ["DSO"]);
  return jsonResponse({ grids: await listOwnGrids(await getPrisma(), user) });
});

/**
 * POST multipart (file, name?) → 201 { grid } after the importer accepted the file; 400/413
 * otherwise. The body is parsed, decoded and imported on the worker pool (task gridUpload).
 */
export const POST = apiRoute(async (req: Request) => {
  const user = await requireUser(req, ["DSO"]);
  const { body, contentType } = await readUploadBody(req, GRID_UPLOAD);
  const parsed = await runTask("gridUpload", { body, contentType }, { transfer: [body.buffer] });
  const grid = await storeNetworkJson(await getPrisma(), user.id, parsed, { name: parsed.displayName, sourceFormat: parsed.sourceFormat, fileName: parsed.fileName });
  return jsonResponse({ grid }, { status: 201 });
});
