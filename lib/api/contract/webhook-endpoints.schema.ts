import { z } from "zod";
import { listOf, timestamp } from "./common.schema";
import { WEBHOOK_DELIVERY_STATUSES, WEBHOOK_EVENT_TYPES } from "./constants";

export { WEBHOOK_DELIVERY_STATUSES, WEBHOOK_EVENT_TYPES };

export const MAX_WEBHOOK_URL_LENGTH = 2048;

export const WebhookEndpointSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    description: z.string(),
    events: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
    enabled: z.boolean(),
    /** `whsec_` and the first 4 characters of the signing secret: enough to recognise it. */
    secret_prefix: z.string(),
    /** Since when every delivery has failed; null once one succeeds. */
    failing_since: timestamp.nullable(),
    /** Why the platform turned the endpoint off (it failed for days), or null. */
    disabled_reason: z.string().nullable(),
    disabled_at: timestamp.nullable(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: "WebhookEndpoint" });
export type WebhookEndpoint = z.infer<typeof WebhookEndpointSchema>;

/** Create and roll-secret only: the one response that ever carries the signing secret. */
export const WebhookEndpointWithSecretSchema = WebhookEndpointSchema.extend({
  secret: z
    .string()
    .meta({ description: "`whsec_` + base64 key: HMAC-SHA256 key of the Standard Webhooks scheme" }),
}).meta({ id: "WebhookEndpointWithSecret" });
export type WebhookEndpointWithSecret = z.infer<typeof WebhookEndpointWithSecretSchema>;

export const WebhookEndpointListSchema = listOf(WebhookEndpointSchema);
export type WebhookEndpointList = z.infer<typeof WebhookEndpointListSchema>;

const url = z.string().trim().min(1, "Give the endpoint's URL.").max(MAX_WEBHOOK_URL_LENGTH).meta({
  description: "https://… (http only for a loopback address when the server allows it for development)",
});
const events = z
  .array(z.enum(WEBHOOK_EVENT_TYPES))
  .min(1, "Choose at least one event.")
  .max(WEBHOOK_EVENT_TYPES.length)
  .refine((list) => new Set(list).size === list.length, "Each event at most once.");
const description = z.string().trim().max(200);

export const CreateWebhookEndpointBodySchema = z
  .object({ url, events, description: description.optional(), enabled: z.boolean().optional() })
  .meta({ id: "CreateWebhookEndpoint" });
export type CreateWebhookEndpointBody = z.infer<typeof CreateWebhookEndpointBodySchema>;

export const UpdateWebhookEndpointBodySchema = z
  .object({
    url: url.optional(),
    events: events.optional(),
    description: description.optional(),
    enabled: z
      .boolean()
      .optional()
      .meta({ description: "true re-enables an endpoint the platform disabled" }),
  })
  .meta({ id: "UpdateWebhookEndpoint" });
export type UpdateWebhookEndpointBody = z.infer<typeof UpdateWebhookEndpointBodySchema>;

/** What a receiver gets as the body: the Standard Webhooks shape. */
export const WebhookEventSchema = z
  .object({
    id: z.string().meta({ description: "evt_…: the same on every attempt and every resend" }),
    type: z.string(),
    created_at: timestamp,
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: "WebhookEvent" });
export type WebhookEvent = z.infer<typeof WebhookEventSchema>;

export const WebhookAttemptSchema = z
  .object({
    id: z.string(),
    attempt: z.number().int(),
    started_at: timestamp,
    duration_ms: z.number().int(),
    status_code: z.number().int().nullable(),
    ok: z.boolean(),
    error: z.string().nullable(),
    request: z.object({ headers: z.record(z.string(), z.string()), body: z.string() }),
    response: z.object({ headers: z.record(z.string(), z.string()), body_excerpt: z.string() }).nullable(),
    next_attempt_at: timestamp.nullable(),
  })
  .meta({ id: "WebhookAttempt" });
export type WebhookAttempt = z.infer<typeof WebhookAttemptSchema>;

export const WebhookDeliverySchema = z
  .object({
    id: z.string(),
    endpoint_id: z.string(),
    event_id: z.string(),
    event_type: z.string(),
    status: z.enum(WEBHOOK_DELIVERY_STATUSES),
    attempts: z.number().int(),
    next_attempt_at: timestamp.nullable(),
    last_status_code: z.number().int().nullable(),
    last_error: z.string().nullable(),
    created_at: timestamp,
    completed_at: timestamp.nullable(),
  })
  .meta({ id: "WebhookDelivery" });
export type WebhookDelivery = z.infer<typeof WebhookDeliverySchema>;

export const WebhookDeliveryListSchema = listOf(WebhookDeliverySchema);
export type WebhookDeliveryList = z.infer<typeof WebhookDeliveryListSchema>;

export const WebhookDeliveryDetailSchema = WebhookDeliverySchema.extend({
  attempts_log: z.array(WebhookAttemptSchema),
}).meta({ id: "WebhookDeliveryDetail" });
export type WebhookDeliveryDetail = z.infer<typeof WebhookDeliveryDetailSchema>;

export const WebhookDeliveryQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
  status: z.enum(WEBHOOK_DELIVERY_STATUSES).optional(),
  event_type: z.string().max(50).optional(),
  event_id: z.string().max(100).optional(),
});
export type WebhookDeliveryQuery = z.infer<typeof WebhookDeliveryQuerySchema>;
