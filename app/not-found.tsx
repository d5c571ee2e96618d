import Link from "next/link";

export default function NotFound() {
  return (
    <div className="card denied">
      <div className="code">404</div>
      <h1>Not found</h1>
      <p>There is nothing at this address, or the grid you asked for no longer exists.</p>
      <Link href="/" className="btn">
        Back to the home page
      </Link>
    </div>
  );
}
