import { GET as auditGet } from "../audit/route";

/** GET → the caller's visible audit events as CSV (same as /api/audit?format=csv; other query parameters apply too). */
export const GET = (req: Request) => {
  const url = new URL(req.url);
  url.searchParams.set("format", "csv");
  return auditGet(new Request(url, { headers: req.headers }));
};
