import { z } from "zod";
import { LedgerEntrySchema } from "./billing.schema";
import { listOf, timestamp } from "./common.schema";
import { REQUEST_SOURCES, STATUS_CLASSES, type StatusClass } from "./constants";
import { JobSchema } from "./jobs.schema";
import { AllowlistCheckSchema, KeySchema } from "./keys.schema";

export { REQUEST_SOURCES, STATUS_CLASSES, type StatusClass };

export const MAX_PATH_FILTER_LENGTH = 300;

/** One request under /api/v1, as the request log holds it (never a secret: the key's prefix only). */
export const RequestEntrySchema = z
  .object({
    request_id: z.string(),
    at: timestamp,
    method: z.string(),
    path: z.string(),
    status: z.number().int(),
    code: z.string().nullable(),
    customer_id: z.string().nullable(),
    /** Who sent it: an API key, a console session, or nobody we could authenticate. */
    source: z.enum(["key", "console", "anonymous"]),
    key_id: z.string().nullable(),
    key_prefix: z.string().nullable(),
    ip: z.string().nullable(),
    origin: z.string().nullable(),
    duration_ms: z.number().int(),
    idempotency_key: z.string().nullable(),
    job_id: z.string().nullable(),
    /** Let through, but the key's shadow allowlist would have refused it with this code. */
    would_refuse: z.enum(["ip_not_allowed", "origin_not_allowed"]).nullable(),
  })
  .meta({ id: "RequestEntry" });
export type RequestEntry = z.infer<typeof RequestEntrySchema>;

export const RequestListSchema = listOf(RequestEntrySchema).meta({ id: "RequestList" });
export type RequestList = z.infer<typeof RequestListSchema>;

const code = z
  .string()
  .regex(/^[a-z_]{1,64}$/, "An error code, like insufficient_balance.")
  .meta({ description: "Only requests answered with this error code" });

export const RequestFiltersSchema = z.object({
  source: z.enum(REQUEST_SOURCES).optional().meta({
    description: "`key`: calls with an API key; `console`: calls by the console's signed-in people",
  }),
  status: z.enum(STATUS_CLASSES).optional().meta({ description: "Status class" }),
  code: code.optional(),
  would_refuse: z.enum(["true"]).optional().meta({
    description: "`true`: only requests a key's shadow allowlist would have refused (they were let through)",
  }),
  key_id: z.string().min(1).max(100).optional(),
  path: z
    .string()
    .min(1)
    .max(MAX_PATH_FILTER_LENGTH)
    .optional()
    .meta({ description: "Path prefix, with or without /api/v1 (`/jobs` matches /api/v1/jobs/…)" }),
  from: timestamp.optional().meta({ description: "At or after this time" }),
  to: timestamp.optional().meta({ description: "Before this time" }),
});
export type RequestFilters = z.infer<typeof RequestFiltersSchema>;

export const RequestListQuerySchema = RequestFiltersSchema.extend({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(200).optional().meta({ description: "`next_cursor` of the previous page" }),
});
export type RequestListQuery = z.infer<typeof RequestListQuerySchema>;

export const RequestSummaryQuerySchema = z.object({
  from: timestamp.optional().meta({ description: "Default: 24 hours before `to`" }),
  to: timestamp.optional().meta({ description: "Default: now" }),
});
export type RequestSummaryQuery = z.infer<typeof RequestSummaryQuerySchema>;

/** "What keeps failing?": the range's requests per status class and its error codes with counts. */
export const RequestSummarySchema = z
  .object({
    from: timestamp,
    to: timestamp,
    total: z.number().int(),
    by_class: z.object({ "2xx": z.number().int(), "4xx": z.number().int(), "5xx": z.number().int() }),
    codes: z.array(
      z.object({
        code: z.string(),
        status: z.number().int(),
        count: z.number().int(),
        last_at: timestamp,
        last_request_id: z.string(),
      }),
    ),
  })
  .meta({ id: "RequestSummary" });
export type RequestSummary = z.infer<typeof RequestSummarySchema>;

/** What the error code means and what fixes it (the console's own wording for the code). */
export const ErrorExplanationSchema = z
  .object({ code: z.string(), title: z.string(), meaning: z.string(), action: z.string() })
  .meta({ id: "ErrorExplanation" });
export type ErrorExplanation = z.infer<typeof ErrorExplanationSchema>;

export const StoryKeySchema = KeySchema.pick({
  id: true,
  name: true,
  prefix: true,
  status: true,
  allowed_origins: true,
  allowed_ips: true,
}).meta({ id: "RequestStoryKey" });
export type StoryKey = z.infer<typeof StoryKeySchema>;

/**
 * The key's allowlist decision: what the request showed (IP, Origin) against the lists. `result` is what
 * was decided then; `now` is what the key's current lists would decide for the same request.
 */
export const StoryAllowlistSchema = z
  .object({
    result: z.enum(["allowed", "denied", "not_reached"]),
    code: z.enum(["ip_not_allowed", "origin_not_allowed"]).nullable(),
    observed_ip: z.string().nullable(),
    observed_origin: z.string().nullable(),
    allowed_ips: z.array(z.string()),
    allowed_origins: z.array(z.string()),
    now: AllowlistCheckSchema,
  })
  .meta({ id: "RequestStoryAllowlist" });
export type StoryAllowlist = z.infer<typeof StoryAllowlistSchema>;

export const StoryJobSchema = JobSchema.pick({
  id: true,
  product: true,
  status: true,
  cost_credits: true,
  refunded: true,
  error: true,
  key_id: true,
  request_id: true,
  attempts: true,
  created_at: true,
  started_at: true,
  finished_at: true,
}).meta({ id: "RequestStoryJob" });
export type StoryJob = z.infer<typeof StoryJobSchema>;

export const StoryLedgerEntrySchema = LedgerEntrySchema.pick({
  id: true,
  kind: true,
  credits: true,
  balance_after: true,
  job_id: true,
  top_up_id: true,
  note: true,
  created_at: true,
}).meta({ id: "RequestStoryLedgerEntry" });
export type StoryLedgerEntry = z.infer<typeof StoryLedgerEntrySchema>;

/** Everything one request id explains: the request, its key and allowlist decision, its job, its credits. */
export const RequestStorySchema = z
  .object({
    request: RequestEntrySchema,
    /** The console account that sent it, for console requests. */
    user: z.object({ id: z.string(), email: z.string() }).nullable(),
    explanation: ErrorExplanationSchema.nullable(),
    /**
     * The scalar members of the error's `details` as answered (e.g. `reason: "spend_limit"`, `limit`,
     * `key_id` for a monthly credit limit's refusal); null for a success or an error without details.
     */
    error_details: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))
      .nullable()
      .meta({
        description:
          "The scalar members of the error's details as answered (e.g. reason `spend_limit`, limit, key_id); null without details.",
      }),
    /** For account_disabled: whether the key or the whole customer was paused (as it is now). */
    paused_scope: z.enum(["key", "customer"]).nullable(),
    key: StoryKeySchema.nullable(),
    allowlist: StoryAllowlistSchema.nullable(),
    /** The job it created or acted on, with its status now. */
    job: StoryJobSchema.nullable(),
    /** `created`: this request created the job; `acted_on`: it read or changed an existing one. */
    job_relation: z.enum(["created", "acted_on"]).nullable(),
    /** Credit movements it caused: rows carrying its request id, and a created or changed job's rows. */
    ledger: z.array(StoryLedgerEntrySchema),
  })
  .meta({ id: "RequestStory" });
export type RequestStory = z.infer<typeof RequestStorySchema>;
