import { z } from "zod";
import { AUDIT_CATEGORY_LIST } from "./audit-actions";
import { listOf, timestamp } from "./common.schema";

export const AUDIT_ACTOR_TYPES = ["member", "api_key", "staff"] as const;

export const AuditActorSchema = z
  .object({
    type: z.enum(AUDIT_ACTOR_TYPES).meta({
      description:
        "`member`: a person of this account (their role then); `api_key`: a program with one of its keys; " +
        "`staff`: the platform's support staff (named by the reason and request id, not by person)",
    }),
    user_id: z.string().nullable(),
    email: z.string().nullable(),
    role: z.string().nullable().meta({ description: "The member's role when they acted" }),
    key_id: z.string().nullable(),
    key_prefix: z.string().nullable(),
  })
  .meta({ id: "AuditActor" });
export type AuditActor = z.infer<typeof AuditActorSchema>;

export const AuditChangeSchema = z
  .object({ from: z.unknown(), to: z.unknown() })
  .meta({ id: "AuditChange", description: "`from` is null on a create, `to` null on a delete" });
export type AuditChange = z.infer<typeof AuditChangeSchema>;

/** One change to the customer's account: who, when, what (before → after), and the request that made it. */
export const CustomerAuditEntrySchema = z
  .object({
    id: z.string(),
    at: timestamp,
    action: z.string().meta({ example: "key.create" }),
    category: z.enum(AUDIT_CATEGORY_LIST).nullable(),
    actor: AuditActorSchema,
    target_type: z.string().nullable().meta({ example: "api_key" }),
    target_id: z.string().nullable(),
    reason: z.string().nullable().meta({ description: "A staff action's reason" }),
    changes: z.record(z.string(), AuditChangeSchema).meta({ description: "Only the fields that changed" }),
    details: z.record(z.string(), z.unknown()),
    request_id: z.string().nullable(),
  })
  .meta({ id: "CustomerAuditEntry" });
export type CustomerAuditEntry = z.infer<typeof CustomerAuditEntrySchema>;

export const CustomerAuditListSchema = listOf(CustomerAuditEntrySchema).meta({ id: "CustomerAuditList" });
export type CustomerAuditList = z.infer<typeof CustomerAuditListSchema>;

export const CustomerAuditFiltersSchema = z.object({
  category: z.enum(AUDIT_CATEGORY_LIST).optional(),
  action: z
    .string()
    .regex(/^[a-z_]+(\.[a-z_]+)+$/, "An action like key.create")
    .max(100)
    .optional()
    .meta({ example: "key.create" }),
  actor: z
    .string()
    .trim()
    .min(1)
    .max(320)
    .optional()
    .meta({ description: "A member's email (any case) or user id, or `staff` for support staff's actions" }),
  target: z.string().trim().min(1).max(100).optional().meta({ example: "key_01JZ8Q4W4G6V1Y2Q3R4S5T6U7V" }),
  from: timestamp.optional().meta({ description: "At or after this time" }),
  to: timestamp.optional().meta({ description: "Before this time" }),
});
export type CustomerAuditFilters = z.infer<typeof CustomerAuditFiltersSchema>;

export const CustomerAuditQuerySchema = CustomerAuditFiltersSchema.extend({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(200).optional().meta({ description: "`next_cursor` of the previous page" }),
});
export type CustomerAuditQuery = z.infer<typeof CustomerAuditQuerySchema>;
