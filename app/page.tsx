import Link from "next/link";
import { PrivacyBoundary } from "@/components/home/privacy-boundary";
import { WorkflowSteps } from "@/components/home/workflow-steps";
import { currentUser } from "@/lib/server/auth";

export default async function HomePage() {
  const user = await currentUser();
  return (
    <>
      <section className="hero">
        <h1>Flexibility across the TSO–DSO boundary, without handing over the grid</h1>
        <p>
          Distribution grids hold more and more flexible units — PV, heat pumps, electric vehicles, batteries. FlexPlat lets the transmission system operator use that flexibility while each
          distribution system operator keeps its grid model to itself: the DSO shares a sensitivity model of its grid, never the grid.
        </p>
        <div className="actions">
          {user?.role === "DSO" ? (
            <Link href="/dso" className="btn btn-primary">
              Open your grids
            </Link>
          ) : user ? null : (
            <Link href="/signin" className="btn btn-primary">
              Sign in
            </Link>
          )}
        </div>
      </section>

      <section className="stack">
        <div>
          <h2>How a flexibility market runs here</h2>
          <WorkflowSteps />
        </div>
        <div className="card">
          <h2>The privacy boundary</h2>
          <p className="muted small">
            Everything on the left stays in the DSO&apos;s workspace. The TSO&apos;s views and API receive only what is on the right; no TSO route returns a DSO&apos;s topology, impedances,
            coordinates or loads.
          </p>
          <PrivacyBoundary />
        </div>
        <div className="card">
          <h2>Who uses it</h2>
          <div className="grid-2">
            <div>
              <h3>
                <span className="badge badge-DSO">DSO</span> Distribution system operators
              </h3>
              <p className="small muted">
                Upload or generate their grid (MATPOWER case or project JSON), run AC power flows in the browser, derive the sensitivity model they share and validate the TSO&apos;s dispatch against
                their full grid.
              </p>
            </div>
            <div>
              <h3>
                <span className="badge badge-TSO">TSO</span> Transmission system operator
              </h3>
              <p className="small muted">Clears flexibility bids from all grids in one optimisation, seeing each DSO grid only through its sensitivity matrices, base values and opaque ids.</p>
            </div>
            <div>
              <h3>
                <span className="badge badge-AGGREGATOR">Aggregator</span> Market participants
              </h3>
              <p className="small muted">Offer the flexibility of their units as bids and see their own bids and results only.</p>
            </div>
          </div>
        </div>
      </section>
    </>
  );
}
