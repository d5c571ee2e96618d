import type { Role } from "@/lib/wire/roles";

export interface NavItem {
  href: string;
  label: string;
  /** Roles that see the link; all visitors when absent. */
  roles?: readonly Role[];
}

/** The views in the top navigation. Pages of later issues append their entry here. */
const NAV_ITEMS: readonly NavItem[] = [
  { href: "/", label: "Home" },
  { href: "/dso", label: "DSO grids", roles: ["DSO"] },
  { href: "/tso", label: "TSO clearing", roles: ["TSO"] },
  { href: "/tso/study", label: "Coordination study", roles: ["TSO"] },
  { href: "/bcm", label: "Bid congestion manager", roles: ["AGGREGATOR", "DSO"] },
  { href: "/admin", label: "Accounts", roles: ["ADMIN"] },
  { href: "/audit", label: "Activity", roles: ["TSO", "DSO", "AGGREGATOR", "ADMIN"] },
];

export function navItemsFor(role: Role | null): NavItem[] {
  return NAV_ITEMS.filter((item) => !item.roles || (role !== null && item.roles.includes(role)));
}
