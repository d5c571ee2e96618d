import "server-only";
import type { PrismaClient } from "@/lib/db/client";
import { disaggregate, parseAggregatedBidsFile, unitKey, writeAggregatedBidsCsv, type AggregatedBid, type GridAssetRegistry, type GridUnit } from "@/lib/market";
import { ApiError } from "./api-error";
import { publishedRegistries } from "./market-now";
import { resolveGridRefs, storedUnitUse } from "./portfolio-store";
import type { SessionUser } from "@/lib/wire/roles";

/** One of the caller's units with what is still free of it in one direction, MW (signed). */
interface FreeOffer {
  gridId: string;
  gridName: string;
  unitId: string;
  freeMw: number;
}

/** Below this a unit counts as fully offered (MW). */
const MIN_FREE_MW = 1e-6;

/** The caller's units in published grids and the volume still free of each per direction (offer minus stored bids). */
async function freeOffers(prisma: PrismaClient, user: SessionUser, registries: GridAssetRegistry[]): Promise<{ offers: FreeOffer[]; ownUnits: number }> {
  const own: { gridId: string; gridName: string; unitId: string; unit: GridUnit }[] = [];
  for (const r of registries) for (const [unitId, unit] of r.units) if (unit.owner === user.username) own.push({ gridId: r.gridId, gridName: r.gridName, unitId, unit });
  const used = await storedUnitUse(
    prisma,
    own.map((u) => u.gridId),
    own.map((u) => u.unitId),
  );
  const offers = own.flatMap(({ gridId, gridName, unitId, unit }) => {
    const u = used.get(unitKey(gridId, unitId)) ?? { upMw: 0, downMw: 0 };
    return [unit.upMw - u.upMw, unit.downMw - u.downMw].filter((mw) => Math.abs(mw) > MIN_FREE_MW).map((freeMw) => ({ gridId, gridName, unitId, freeMw }));
  });
  return { offers, ownUnits: own.length };
}

/**
 * A small valid portfolio over what is still free of the caller's own units, to try
 * the upload with: one upward bid pooling up to three units and one plain downward
 * bid, in the first grid where the caller has free units. Ids carry a time stamp, so a
 * second download uploads too. It is checked by the same parser and BCM split as an
 * upload.
 */
export async function portfolioTemplate(prisma: PrismaClient, user: SessionUser, now = new Date()): Promise<{ fileName: string; csv: string }> {
  const registries = await publishedRegistries(prisma);
  const { offers, ownUnits } = await freeOffers(prisma, user, registries);
  const grid = offers[0];
  if (!grid) {
    throw new ApiError(
      "not_found",
      ownUnits === 0
        ? "no DSO has recorded a unit of yours in a published grid; ask the DSO to record you as the units' aggregator"
        : `all the flexibility of your ${ownUnits} units is offered in your portfolios; delete a portfolio to offer its units again`,
    );
  }
  const inGrid = offers.filter((o) => o.gridId === grid.gridId);
  const up = inGrid.filter((o) => o.freeMw > 0).slice(0, 3);
  const down = inGrid.filter((o) => o.freeMw < 0).slice(0, 1);
  const stamp = now.toISOString().replace(/\D/g, "").slice(0, 14);
  const bids: AggregatedBid[] = [];
  const total = (xs: FreeOffer[]) => xs.reduce((s, o) => s + o.freeMw, 0);
  if (up.length) {
    bids.push({
      id: `${user.username}-example-${stamp}-up`,
      owner: user.username,
      direction: "up",
      volumeMw: total(up),
      priceEurPerMwh: 45,
      assets: up.map((o) => ({ assetId: o.unitId, grid: grid.gridName, volumeMw: o.freeMw })),
    });
  }
  if (down.length) {
    bids.push({
      id: `${user.username}-example-${stamp}-down`,
      owner: user.username,
      direction: "down",
      volumeMw: total(down),
      priceEurPerMwh: 15,
      assets: [{ assetId: down[0].unitId, grid: grid.gridName }],
    });
  }
  const csv =
    [
      `# Example portfolio of ${user.username} over ${bids.reduce((s, b) => s + b.assets.length, 0)} of your units in ${grid.gridName}.`,
      "# One row per asset; rows with the same bidId form one aggregated bid. Give each asset either assetMW or a share of totalMW.",
      "# A unit's volume is capped over all your portfolios (the one stored first keeps it): this example offers only what is still free.",
    ].join("\n") +
    "\n" +
    writeAggregatedBidsCsv(bids);
  const fileName = `portfolio-example-${user.username}.csv`;
  // The template must pass what an upload passes.
  disaggregate(resolveGridRefs(parseAggregatedBidsFile(fileName, csv), registries), registries, { requireOwnedUnits: true });
  return { fileName, csv };
}
