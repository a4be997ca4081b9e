import { z } from "zod";
import { listOf, timestamp } from "./common.schema";
import { MAX_REASON_LENGTH } from "./constants";
import { KeySchema } from "./keys.schema";
import { ProductSchema } from "./products.schema";
import { RequestEntrySchema, RequestStorySchema, StoryJobSchema } from "./requests.schema";
import { ROLES } from "./session.schema";
import { WebhookDeliverySchema, WebhookEndpointSchema } from "./webhook-endpoints.schema";

export { MAX_REASON_LENGTH };

export const LookupQuerySchema = z.object({
  q: z
    .string()
    .trim()
    .min(1, "Paste an id or an email.")
    .max(320)
    .meta({ description: "A request id, job id, key id or key prefix, customer id, or account email" }),
});

export const LOOKUP_KINDS = ["request", "job", "key", "customer"] as const;
export type LookupKind = (typeof LOOKUP_KINDS)[number];

/** One thing an id or email names, and the customer it belongs to. */
export const LookupMatchSchema = z
  .object({
    kind: z.enum(LOOKUP_KINDS),
    /** The matched id (request, job, key or customer). */
    id: z.string(),
    customer_id: z.string().nullable(),
    customer_name: z.string().nullable(),
    customer_status: z.enum(["active", "paused"]).nullable(),
    /** One line that says what it is: `POST /api/v1/jobs → 402 insufficient_balance`, a key's name… */
    label: z.string(),
    /** The request behind it (a job's creating request), when known. */
    request_id: z.string().nullable(),
    at: timestamp.nullable(),
  })
  .meta({ id: "LookupMatch" });
export type LookupMatch = z.infer<typeof LookupMatchSchema>;

export const LookupResultSchema = listOf(LookupMatchSchema).meta({ id: "LookupResult" });
export type LookupResult = z.infer<typeof LookupResultSchema>;

const pausedFields = {
  status: z.enum(["active", "paused"]),
  paused_reason: z.string().nullable(),
  /** The staff account (email) that paused it. */
  paused_by: z.string().nullable(),
  paused_at: timestamp.nullable(),
};

export const CustomerStatusSchema = z
  .object({ id: z.string(), name: z.string(), ...pausedFields })
  .meta({ id: "CustomerStatus" });
export type CustomerStatus = z.infer<typeof CustomerStatusSchema>;

/** A webhook delivery as support sees it: where it went, what the receiver last said, the job it is about. */
export const SupportWebhookDeliverySchema = WebhookDeliverySchema.extend({
  endpoint_url: z.string(),
  job_id: z.string().nullable().meta({ description: "The job the event is about, if any" }),
  job_request_id: z
    .string()
    .nullable()
    .meta({ description: "The request that created that job (its story), if any" }),
  last_attempt: z
    .object({
      started_at: timestamp,
      duration_ms: z.number().int(),
      status_code: z.number().int().nullable(),
      ok: z.boolean(),
      error: z.string().nullable(),
    })
    .nullable()
    .meta({ description: "The latest attempt (null: not tried yet)" }),
}).meta({ id: "SupportWebhookDelivery" });
export type SupportWebhookDelivery = z.infer<typeof SupportWebhookDeliverySchema>;

export const SupportWebhookEndpointSchema = WebhookEndpointSchema.extend({
  consecutive_failures: z.number().int().meta({
    description:
      "Failed attempts since `failing_since` (0 when the last attempt succeeded), counted up to 1000",
  }),
}).meta({ id: "SupportWebhookEndpoint" });
export type SupportWebhookEndpoint = z.infer<typeof SupportWebhookEndpointSchema>;

export const CustomerSummarySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    ...pausedFields,
    created_at: timestamp,
    credits: z.number().int(),
    low_balance_credits: z.number().int(),
    balance_updated_at: timestamp,
    users: z.array(
      z.object({
        id: z.string(),
        email: z.string(),
        name: z.string(),
        role: z.enum(ROLES),
        active_sessions: z.number().int(),
      }),
    ),
    keys: z.array(KeySchema),
    /** Error codes since `errors_since`, most frequent first. */
    errors_since: timestamp,
    recent_errors: z.array(
      z.object({
        code: z.string(),
        status: z.number().int(),
        count: z.number().int(),
        last_at: timestamp,
        last_request_id: z.string(),
      }),
    ),
    recent_failed_requests: z.array(RequestEntrySchema),
    recent_jobs: z.array(StoryJobSchema),
    /** Every endpoint (enabled, turned off, or disabled by the platform) with its failure streak. */
    webhook_endpoints: z.array(SupportWebhookEndpointSchema),
    /** The last 10 webhook deliveries, newest first. */
    recent_webhook_deliveries: z.array(SupportWebhookDeliverySchema),
  })
  .meta({ id: "CustomerSummary" });
export type CustomerSummary = z.infer<typeof CustomerSummarySchema>;

export const SupportRequestSchema = z
  .object({
    story: RequestStorySchema,
    customer: CustomerSummarySchema.nullable(),
    job_webhook_deliveries: z.array(SupportWebhookDeliverySchema).nullable().meta({
      description:
        "The webhook deliveries of the story's job's events, newest first (at most 50); null without a job",
    }),
  })
  .meta({ id: "SupportRequest" });
export type SupportRequest = z.infer<typeof SupportRequestSchema>;

export const ReasonBodySchema = z
  .object({
    reason: z
      .string()
      .trim()
      .min(1, "Give a reason: it goes in the audit log.")
      .max(MAX_REASON_LENGTH)
      .meta({ description: "Why (kept in the audit log, shown to other staff)" }),
  })
  .meta({ id: "Reason" });
export type ReasonBody = z.infer<typeof ReasonBodySchema>;

export const SupportProductSchema = ProductSchema.extend(pausedFields).meta({ id: "SupportProduct" });
export type SupportProduct = z.infer<typeof SupportProductSchema>;

export const SupportProductListSchema = listOf(SupportProductSchema).meta({ id: "SupportProductList" });

export const PauseResultSchema = z.object({ sessions_ended: z.number().int() });

export const CustomerPauseResultSchema = CustomerStatusSchema.extend(PauseResultSchema.shape).meta({
  id: "CustomerPauseResult",
});
export type CustomerPauseResult = z.infer<typeof CustomerPauseResultSchema>;

export const AuditEntrySchema = z
  .object({
    id: z.string(),
    at: timestamp,
    actor_user_id: z.string().nullable(),
    actor_email: z.string().nullable(),
    actor_role: z.string().nullable(),
    action: z.string(),
    customer_id: z.string().nullable(),
    target_type: z.string().nullable(),
    target_id: z.string().nullable(),
    reason: z.string().nullable(),
    details: z.record(z.string(), z.unknown()).nullable(),
    request_id: z.string().nullable(),
  })
  .meta({ id: "AuditEntry" });
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const AuditListSchema = listOf(AuditEntrySchema).meta({ id: "AuditList" });
export type AuditList = z.infer<typeof AuditListSchema>;

export const AuditQuerySchema = z.object({
  actor: z
    .enum(["staff", "all"])
    .default("staff")
    .meta({ description: "`staff`: staff actions and lookups only; `all`: customers' own changes too" }),
  customer_id: z.string().min(1).max(100).optional(),
  action: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(200).optional(),
});
export type AuditQuery = z.infer<typeof AuditQuerySchema>;
