import type { Metadata } from "next";
import { forbidden, redirect } from "next/navigation";
import { BcmWorkspace } from "@/components/bcm/bcm-workspace";
import { DsoBidsPanel } from "@/components/bcm/dso-bids-panel";
import { WhoSeesWhat } from "@/components/bcm/who-sees-what";
import { currentUser } from "@/lib/server/auth";
import { listBcmRuns } from "@/lib/server/bcm";
import { getPrisma } from "@/lib/server/db";
import { listPortfolios } from "@/lib/server/portfolio-store";

export const metadata: Metadata = { title: "Bid congestion manager" };

/**
 * The bid congestion manager (provisioning paper, Fig. 1): aggregators upload
 * portfolios, see their split per asset and their own results; a DSO sees the bids
 * located in its grids. The TSO works with opaque locations in its own view.
 */
export default async function BcmPage() {
  const user = await currentUser();
  if (!user) redirect("/signin?next=%2Fbcm");
  if (user.role === "ADMIN") forbidden();
  if (user.role === "TSO") {
    return (
      <div className="card denied" data-testid="bcm-not-for-role">
        <h1>Bid congestion manager</h1>
        <p>
          This view is for aggregators (their portfolios and results) and DSOs (the bids located in their grids). The TSO receives the BCM&apos;s output — per-asset bids at opaque locations only — in
          the TSO view; the API refuses the TSO here with 403.
        </p>
      </div>
    );
  }
  if (user.role === "DSO") {
    return (
      <>
        <div className="page-header">
          <div>
            <h1>Bids in the grids of {user.displayName}</h1>
            <p>The bid congestion manager splits aggregators&apos; bids by asset location; these are the parts located in your grids (volumes, no prices).</p>
          </div>
        </div>
        <DsoBidsPanel />
      </>
    );
  }
  const prisma = await getPrisma();
  const [portfolios, runs] = await Promise.all([listPortfolios(prisma, user.id), listBcmRuns(prisma, user)]);
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Bid congestion manager — {user.displayName}</h1>
          <p>Your aggregated bids are split by the location of their assets, cleared with everyone&apos;s bids against the DSOs&apos; light models, and the results re-aggregated for you.</p>
        </div>
      </div>
      <WhoSeesWhat />
      <BcmWorkspace initialPortfolios={portfolios} initialRuns={runs} />
    </>
  );
}
