import "server-only";
/**
 * The audit action of each state-changing route, for attempts the route refused or that
 * failed before its own event was written (the "ok" events are written by lib/server
 * with the change). The captured id is the object the request named.
 */
interface RouteAction {
  method: string;
  path: RegExp;
  action: string;
  objectType: string;
}

const ID = "([^/]+)";

const ROUTE_ACTIONS: readonly RouteAction[] = [
  { method: "POST", path: /^\/api\/auth\/signin$/, action: "auth.signin", objectType: "account" },
  { method: "POST", path: /^\/api\/auth\/signout$/, action: "auth.signout", objectType: "account" },
  { method: "POST", path: /^\/api\/auth\/signout-all$/, action: "auth.signout_all", objectType: "account" },
  { method: "POST", path: /^\/api\/auth\/password$/, action: "account.password_change", objectType: "account" },
  { method: "POST", path: /^\/api\/admin\/users$/, action: "account.create", objectType: "account" },
  { method: "POST", path: new RegExp(`^/api/admin/users/${ID}/password$`), action: "account.password_reset", objectType: "account" },
  { method: "POST", path: /^\/api\/grids$/, action: "grid.upload", objectType: "grid" },
  { method: "POST", path: /^\/api\/grids\/from-buildings$/, action: "grid.generate", objectType: "grid" },
  { method: "DELETE", path: new RegExp(`^/api/grids/${ID}$`), action: "grid.delete", objectType: "grid" },
  { method: "PATCH", path: new RegExp(`^/api/grids/${ID}$`), action: "grid.rename", objectType: "grid" },
  { method: "PUT", path: new RegExp(`^/api/grids/${ID}/demo-mode$`), action: "grid.demo_mode", objectType: "grid" },
  { method: "PUT", path: new RegExp(`^/api/grids/${ID}/layout$`), action: "grid.layout_store", objectType: "grid" },
  { method: "PATCH", path: new RegExp(`^/api/grids/${ID}/layout$`), action: "grid.layout_move", objectType: "grid" },
  { method: "POST", path: new RegExp(`^/api/grids/${ID}/regions$`), action: "region.store", objectType: "grid" },
  { method: "PATCH", path: new RegExp(`^/api/grids/[^/]+/set-points/${ID}$`), action: "setpoint.answer", objectType: "setPoint" },
  { method: "POST", path: new RegExp(`^/api/grids/${ID}/runs$`), action: "powerflow.run", objectType: "grid" },
  { method: "POST", path: new RegExp(`^/api/grids/${ID}/light-models$`), action: "lightmodel.store", objectType: "grid" },
  { method: "POST", path: new RegExp(`^/api/grids/[^/]+/light-models/${ID}/publish$`), action: "lightmodel.publish", objectType: "lightModel" },
  { method: "POST", path: /^\/api\/portfolios$/, action: "portfolio.upload", objectType: "portfolio" },
  { method: "DELETE", path: new RegExp(`^/api/portfolios/${ID}$`), action: "portfolio.delete", objectType: "portfolio" },
  { method: "POST", path: /^\/api\/bcm\/run$/, action: "bcm.run", objectType: "clearingRun" },
  { method: "POST", path: /^\/api\/tso\/clearings$/, action: "tso.clearing_open", objectType: "tsoClearing" },
  { method: "POST", path: /^\/api\/tso\/validate$/, action: "tso.validate", objectType: "tsoClearing" },
  { method: "POST", path: /^\/api\/tso\/relinearize$/, action: "tso.relinearize", objectType: "tsoClearing" },
  { method: "POST", path: /^\/api\/tso\/runs$/, action: "tso.run_store", objectType: "clearingRun" },
  { method: "POST", path: /^\/api\/tso\/transmission-grids$/, action: "transmission_grid.upload", objectType: "transmissionGrid" },
  { method: "DELETE", path: new RegExp(`^/api/tso/transmission-grids/${ID}$`), action: "transmission_grid.delete", objectType: "transmissionGrid" },
  { method: "POST", path: /^\/api\/tso\/coordination-runs$/, action: "coordination.run", objectType: "coordinationRun" },
];

/** The action of a request to a state-changing route; unknown routes get `<METHOD> <path>`. */
export function routeAction(method: string, path: string): { action: string; objectType: string; objectId: string | null } {
  for (const r of ROUTE_ACTIONS) {
    if (r.method !== method) continue;
    const m = r.path.exec(path);
    if (m) return { action: r.action, objectType: r.objectType, objectId: m[1] ? decodeURIComponent(m[1]) : null };
  }
  return { action: `${method} ${path}`.slice(0, 200), objectType: "route", objectId: null };
}
