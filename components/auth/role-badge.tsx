import type { Role } from "@/lib/wire/roles";

const SHORT: Record<Role, string> = { TSO: "TSO", DSO: "DSO", AGGREGATOR: "Aggregator", ADMIN: "Admin" };

export function RoleBadge({ role }: { role: Role }) {
  return <span className={`badge badge-${role}`}>{SHORT[role]}</span>;
}
