import Link from "next/link";
import { currentUser } from "@/lib/server/auth";

/** Rendered (with HTTP 403) when a page calls forbidden(). */
export default async function Forbidden() {
  const user = await currentUser();
  return (
    <div className="card denied" data-testid="forbidden">
      <div className="code">403</div>
      <h1>Access denied</h1>
      <p>
        This view is not open to your role. Each operator sees only its own data: a DSO its grids, the TSO the published light models and the clearing, an aggregator its portfolios and results. A
        distribution grid&apos;s topology, impedances, coordinates and loads are open to the DSO that owns it only.
      </p>
      {user && (
        <p className="muted">
          You are signed in as <strong>{user.displayName}</strong> ({user.role}).
        </p>
      )}
      <Link href="/" className="btn">
        Back to the home page
      </Link>
    </div>
  );
}
