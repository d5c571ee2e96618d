import type { Metadata } from "next";
import { forbidden, redirect } from "next/navigation";
import { TsoWorkspace } from "@/components/tso/tso-workspace";
import { currentUser } from "@/lib/server/auth";
import { getPrisma } from "@/lib/server/db";
import { listTsoRuns, publishedModelSummaries } from "@/lib/server/tso";

export const metadata: Metadata = { title: "TSO clearing" };

/** The TSO's view: what the DSOs published, the bids, the clearing and its validation. TSO role only. */
export default async function TsoPage() {
  const user = await currentUser();
  if (!user) redirect(`/signin?next=${encodeURIComponent("/tso")}`);
  if (user.role !== "TSO") forbidden();
  const prisma = await getPrisma();
  const [models, runs] = await Promise.all([publishedModelSummaries(prisma), listTsoRuns(prisma)]);
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Balancing energy from distribution grids</h1>
          <p>Cleared against the DSOs&apos; light models only: sensitivities at a few operating points under opaque ids — no topology, impedances, coordinates or loads.</p>
        </div>
      </div>
      <TsoWorkspace models={models} runs={runs} />
    </>
  );
}
