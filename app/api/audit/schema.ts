import { z } from "zod";
import { AUDIT_PAGE_SIZE_MAX } from "@/lib/server/audit";
import { AUDIT_OUTCOMES } from "@/lib/wire/accounts";

/** Query of GET /api/audit: page (from 1), pageSize (1–200), optional action and outcome filters, format json|csv. */
export const auditQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(AUDIT_PAGE_SIZE_MAX).default(50),
  action: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[a-z_.]+$/, "an action such as grid.upload")
    .optional(),
  outcome: z.enum(AUDIT_OUTCOMES as [string, ...string[]]).optional(),
  format: z.enum(["json", "csv"]).default("json"),
});
