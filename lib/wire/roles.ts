/**
 * Operator roles. A DSO owns grids; the TSO sees only what crosses the boundary;
 * aggregators see their own bids; an administrator manages the accounts and sees no
 * market or grid data.
 */
export const ROLES = ["TSO", "DSO", "AGGREGATOR", "ADMIN"] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export const ROLE_LABEL: Record<Role, string> = {
  TSO: "Transmission system operator",
  DSO: "Distribution system operator",
  AGGREGATOR: "Aggregator",
  ADMIN: "Administrator (accounts)",
};

/** The signed-in operator as the rest of the server sees it. */
export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
}
