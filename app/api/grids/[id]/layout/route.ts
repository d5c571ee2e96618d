import { requireUser } from "@/lib/server/auth";
import { getPrisma } from "@/lib/server/db";
import { apiRoute, jsonResponse } from "@/lib/server/errors";
import { getOwnedLayoutJson, moveOwnedBuses, storeOwnedLayout } from "@/lib/server/grid-layouts";
import { readLargeJsonAs } from "@/lib/server/large-json";
import { readJson } from "@/lib/server/request";
import { MAX_LAYOUT_BYTES, moveBusesSchema, putLayoutSchema } from "./schema";

type Ctx = { params: Promise<{ id: string }> };

/**
 * GET → { layout } the grid's stored schematic layout (flexplat-layout v1), null before
 * the first; owner only. DSO-private: it mirrors the topology.
 */
export const GET = apiRoute(async (req: Request, ctx: Ctx) => {
  const user = await requireUser(req, ["DSO"]);
  const { id } = await ctx.params;
  const text = await getOwnedLayoutJson(await getPrisma(), user, id);
  // The stored text is served as is (it was checked when stored), not parsed and re-encoded.
  return new Response(`{"layout":${text ?? "null"}}`, {
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "private, no-store" },
  });
});

/** PUT { layout } → { layout: summary }: store the layout the DSO's worker computed (replacing one stored before). */
export const PUT = apiRoute(async (req: Request, ctx: Ctx) => {
  const user = await requireUser(req, ["DSO"]);
  const { id } = await ctx.params;
  const prisma = await getPrisma();
  const { layout } = await readLargeJsonAs(req, putLayoutSchema, MAX_LAYOUT_BYTES);
  return jsonResponse({ layout: await storeOwnedLayout(prisma, user, id, layout) });
});

/** PATCH { moves: [{ busId, x, y }] } → { layout: summary }: buses the DSO dragged, saved. */
export const PATCH = apiRoute(async (req: Request, ctx: Ctx) => {
  const user = await requireUser(req, ["DSO"]);
  const { id } = await ctx.params;
  const { moves } = await readJson(req, moveBusesSchema);
  return jsonResponse({ layout: await moveOwnedBuses(await getPrisma(), user, id, moves) });
});
