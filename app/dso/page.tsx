import type { Metadata } from "next";
import { forbidden, notFound, redirect } from "next/navigation";
import { DsoWorkspace } from "@/components/dso/dso-workspace";
import { currentUser } from "@/lib/server/auth";
import { getPrisma } from "@/lib/server/db";
import { ApiError } from "@/lib/server/errors";
import { getOwnedGridSummary, listOwnGrids } from "@/lib/server/grids";

export const metadata: Metadata = { title: "DSO grids" };

/** The DSO's workspace: its own grids only; anyone else gets 403. */
export default async function DsoPage({ searchParams }: { searchParams: Promise<{ grid?: string | string[] }> }) {
  const user = await currentUser();
  const { grid } = await searchParams;
  const requested = typeof grid === "string" ? grid : undefined;
  if (!user) redirect(`/signin?next=${encodeURIComponent(requested ? `/dso?grid=${requested}` : "/dso")}`);
  if (user.role !== "DSO") forbidden();
  const prisma = await getPrisma();
  if (requested) {
    try {
      await getOwnedGridSummary(prisma, user, requested);
    } catch (e) {
      if (e instanceof ApiError && e.code === "forbidden") forbidden();
      if (e instanceof ApiError && e.code === "not_found") notFound();
      throw e;
    }
  }
  const grids = await listOwnGrids(prisma, user);
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Distribution grids of {user.displayName}</h1>
          <p>Private to your organisation: topology, impedances, coordinates and loads never leave this workspace.</p>
        </div>
      </div>
      <DsoWorkspace grids={grids} selectedId={requested ?? grids[0]?.id ?? null} />
    </>
  );
}
