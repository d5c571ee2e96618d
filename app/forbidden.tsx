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
        This view holds a distribution grid&apos;s private data — topology, impedances, coordinates and loads — and only the DSO
        that owns the grid may open it.
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
