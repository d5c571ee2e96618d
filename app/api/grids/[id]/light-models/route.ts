import { storeUploadedLightModel } from "@/lib/server/dso-light-models";
import { apiRoute, jsonResponse } from "@/lib/server/errors";
import { gridNetwork } from "@/lib/server/grids";
import { MAX_LIGHT_MODEL_BYTES } from "@/lib/server/large-json";
import { listLightModels } from "@/lib/server/market";
import { runTask } from "@/lib/server/pool";
import { readJsonBodyBytes } from "@/lib/server/request";
import { requireOwnedGrid } from "@/lib/server/owned-grid-route";

type Ctx = { params: Promise<{ id: string }> };

/** GET → { lightModels } the stored light models of the owner's grid (summaries, newest first). */
export const GET = apiRoute(async (req: Request, ctx: Ctx) => {
  const { id, prisma } = await requireOwnedGrid(req, ctx);
  return jsonResponse({ lightModels: await listLightModels(prisma, id) });
});

/**
 * POST { lightModel, key, publish } → 201 { lightModel } summary. The model must pass
 * the strict schema and the key must match it and the grid; with publish, it becomes
 * the grid's one published model (what the TSO reads). The body is parsed and checked
 * on the worker pool (lib/server/dso-light-models.ts prepareLightModelUpload).
 */
export const POST = apiRoute(async (req: Request, ctx: Ctx) => {
  const { id, prisma } = await requireOwnedGrid(req, ctx);
  const network = await gridNetwork(prisma, id);
  const body = await readJsonBodyBytes(req, MAX_LIGHT_MODEL_BYTES);
  const prepared = await runTask("checkLightModelUpload", { body, network }, { transfer: [body.buffer] });
  const summary = await storeUploadedLightModel(prisma, id, prepared);
  return jsonResponse({ lightModel: summary }, { status: 201 });
});
