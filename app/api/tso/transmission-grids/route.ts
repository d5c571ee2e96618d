import { requireUser } from "@/lib/server/auth";
import { listTransmissionGrids, storeTransmissionGrid } from "@/lib/server/coordination";
import { getPrisma } from "@/lib/server/db";
import { apiRoute, jsonResponse } from "@/lib/server/errors";
import { runTask } from "@/lib/server/pool";
import { GRID_UPLOAD, readUploadBody } from "@/lib/server/upload";

/** GET → { grids } the signed-in TSO's transmission grids (summaries with their bus ids). */
export const GET = apiRoute(async (req: Request) => {
  const user = await requireUser(req, ["TSO"]);
  return jsonResponse({ grids: await listTransmissionGrids(await getPrisma(), user) });
});

/**
 * POST multipart (file, name?) → 201 { grid }: a MATPOWER case or project JSON, validated by
 * the same importer as the DSOs' grids, every in-service generator with a cost; 400 otherwise.
 */
export const POST = apiRoute(async (req: Request) => {
  const user = await requireUser(req, ["TSO"]);
  const { body, contentType } = await readUploadBody(req, GRID_UPLOAD);
  // Form, encoding, import and checks run on the worker pool (task transmissionGridUpload).
  const grid = await runTask("transmissionGridUpload", { body, contentType }, { transfer: [body.buffer] });
  return jsonResponse({ grid: await storeTransmissionGrid(await getPrisma(), user, grid) }, { status: 201 });
});
