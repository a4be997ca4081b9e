import { z } from "zod";
import { SpendStateSchema, monthlyCreditLimit } from "./billing.schema";
import { listOf, timestamp } from "./common.schema";
import {
  DEFAULT_ROTATION_QUIET_SECONDS,
  MAX_ROLL_GRACE_SECONDS,
  OLD_SECRET_IN_USE_SECONDS,
  ROLL_GRACE_CHOICES,
  ROTATION_QUIET_CHOICES,
} from "./constants";

export const KEY_STATUSES = ["active", "paused", "revoked"] as const;
export type KeyStatus = (typeof KEY_STATUSES)[number];

export {
  DEFAULT_ROTATION_QUIET_SECONDS,
  MAX_ROLL_GRACE_SECONDS,
  OLD_SECRET_IN_USE_SECONDS,
  ROLL_GRACE_CHOICES,
  ROTATION_QUIET_CHOICES,
};
export const MAX_ALLOWLIST_ENTRIES = 100;

/** Candidate lists being tried in shadow: logged as would_refuse, never enforced. */
export const KeyShadowSchema = z
  .object({
    allowed_origins: z.array(z.string()),
    allowed_ips: z.array(z.string()),
    started_at: timestamp,
    /** Past this time the shadow is no longer evaluated; it waits for Enforce or Discard. */
    ends_at: timestamp,
    active: z.boolean(),
    /** Requests logged as would_refuse since the shadow started. */
    would_refuse: z.number().int(),
  })
  .meta({ id: "KeyShadow" });
export type KeyShadow = z.infer<typeof KeyShadowSchema>;

/** A roll's grace period: the secret it replaced still works until old_expires_at. */
export const KeyRotationSchema = z
  .object({
    rolled_at: timestamp,
    /** The replaced secret's first 12 characters. */
    old_prefix: z.string(),
    /** Until then the old secret keeps working (POST /keys/{id}/expire-old-secret ends it now). */
    old_expires_at: timestamp,
    /** The last request since the roll that came with a secret other than the current one, or null. */
    old_last_used_at: timestamp.nullable(),
  })
  .meta({ id: "KeyRotation" });
export type KeyRotation = z.infer<typeof KeyRotationSchema>;

export const KeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    /** The secret's first 12 characters (`sk_live_` + 4), enough to recognise it, never to use it. */
    prefix: z.string(),
    status: z.enum(KEY_STATUSES),
    /** Who paused it, while paused: the customer, or support (then only support can resume it). */
    paused_by: z.enum(["customer", "support"]).nullable(),
    allowed_origins: z.array(z.string()),
    allowed_ips: z.array(z.string()),
    created_at: timestamp,
    last_used_at: timestamp.nullable(),
    last_used_ip: z.string().nullable(),
    last_used_origin: z.string().nullable(),
    expires_at: timestamp.nullable(),
    revoked_at: timestamp.nullable(),
    /** The allowlists being tried in shadow mode, or null. */
    shadow: KeyShadowSchema.nullable(),
    /** While a roll's old secret still works: which one, until when, and when it was last used. */
    rotation: KeyRotationSchema.nullable(),
    /** The key's monthly credit limit (null: none) and its spend this month. */
    spend: SpendStateSchema,
  })
  .meta({ id: "Key" });
export type Key = z.infer<typeof KeySchema>;

/** Create and roll only: the one response that ever carries the secret. */
export const KeyWithSecretSchema = KeySchema.extend({ secret: z.string() }).meta({ id: "KeyWithSecret" });
export type KeyWithSecret = z.infer<typeof KeyWithSecretSchema>;

export const KeyListSchema = listOf(KeySchema);
export type KeyList = z.infer<typeof KeyListSchema>;

// Entries are checked one by one on the server (origin and CIDR rules), each failure with its own path.
const entries = (what: string) =>
  z
    .array(z.string().max(300))
    .max(MAX_ALLOWLIST_ENTRIES)
    .meta({ description: `${what}; an empty list means unrestricted` });

const name = z.string().trim().min(1, "Give the key a name.").max(100);

export const CreateKeyBodySchema = z
  .object({
    name,
    allowed_origins: entries(
      "Origins allowed to call with this key (scheme://host[:port], https://*.x.com)",
    ).optional(),
    allowed_ips: entries("IPv4/IPv6 addresses or CIDRs allowed to call with this key").optional(),
    expires_at: timestamp.nullable().optional(),
  })
  .meta({ id: "CreateKey" });
export type CreateKeyBody = z.infer<typeof CreateKeyBodySchema>;

export const UpdateKeyBodySchema = z
  .object({
    name: name.optional(),
    status: z.enum(["active", "paused"]).optional(),
    allowed_origins: entries("Replaces the key's allowed origins").optional(),
    allowed_ips: entries("Replaces the key's allowed IPs").optional(),
    monthly_credit_limit: monthlyCreditLimit.optional(),
  })
  .meta({ id: "UpdateKey" });
export type UpdateKeyBody = z.infer<typeof UpdateKeyBodySchema>;

export const RollKeyBodySchema = z
  .object({
    expire_old_in_seconds: z
      .number()
      .int()
      .min(0)
      .max(MAX_ROLL_GRACE_SECONDS)
      .optional()
      .meta({ description: "How long the old secret keeps working (default 0: it stops now)" }),
  })
  .meta({ id: "RollKey" });
export type RollKeyBody = z.infer<typeof RollKeyBodySchema>;

export const CheckKeyBodySchema = z
  .object({
    origin: z.string().max(2000).nullable().optional().meta({
      description: "The Origin header such a request sends; omitted or null: none (server-to-server)",
    }),
    ip: z.string().max(100).optional().meta({ description: "The client IP; omitted: not checked" }),
  })
  .meta({ id: "CheckKey" });
export type CheckKeyBody = z.infer<typeof CheckKeyBodySchema>;

const verdict = z.enum(["allowed", "denied", "unrestricted", "not_checked"]);

/** What the allowlist matcher decided, per list. */
export const AllowlistCheckSchema = z.object({
  allowed: z.boolean(),
  code: z.enum(["ip_not_allowed", "origin_not_allowed"]).nullable(),
  ip: z.object({ value: z.string().nullable(), result: verdict, matched: z.string().nullable() }),
  origin: z.object({ value: z.string().nullable(), result: verdict, matched: z.string().nullable() }),
});
export type AllowlistCheck = z.infer<typeof AllowlistCheckSchema>;

export const KeyCheckSchema = AllowlistCheckSchema.extend({
  /** The code such a request would get, in the middleware's order (key status, IP, origin), or null. */
  code: z
    .enum(["authentication_failed", "account_disabled", "ip_not_allowed", "origin_not_allowed"])
    .nullable(),
  /** The rule that decides: the key's status, one of its lists, or none (every check passed). */
  decided_by: z.enum(["key_status", "allowed_ips", "allowed_origins"]).nullable(),
  message: z.string(),
}).meta({ id: "KeyCheck" });
export type KeyCheck = z.infer<typeof KeyCheckSchema>;

export const SHADOW_MIN_SECONDS = 60;
export const SHADOW_MAX_SECONDS = 30 * 24 * 3600;
export { SHADOW_DURATION_CHOICES } from "./constants";

export const StartShadowBodySchema = z
  .object({
    allowed_origins: entries("The candidate allowed origins, tried in shadow"),
    allowed_ips: entries("The candidate allowed IPs, tried in shadow"),
    duration_seconds: z
      .number()
      .int()
      .min(SHADOW_MIN_SECONDS)
      .max(SHADOW_MAX_SECONDS)
      .meta({ description: "How long requests are checked against the shadow lists (60 s – 30 days)" }),
  })
  .meta({ id: "StartShadow" });
export type StartShadowBody = z.infer<typeof StartShadowBodySchema>;

/** The window of the request log an allowlist preview replays. */
export const ALLOWLIST_PREVIEW_DAYS = 7;
/** How many refused IPs and origins a preview names. */
export const ALLOWLIST_PREVIEW_TOP = 10;

export const AllowlistPreviewBodySchema = z
  .object({
    allowed_origins: entries("The candidate allowed origins"),
    allowed_ips: entries("The candidate allowed IPs"),
  })
  .meta({ id: "AllowlistPreviewBody" });
export type AllowlistPreviewBody = z.infer<typeof AllowlistPreviewBodySchema>;

const refusedCode = z.enum(["ip_not_allowed", "origin_not_allowed"]);

/** How the key's logged traffic of the last 7 days would have fared under candidate lists. */
export const AllowlistPreviewSchema = z
  .object({
    from: timestamp,
    to: timestamp,
    /** The lists the preview evaluated, normalised as a save would store them. */
    allowed_origins: z.array(z.string()),
    allowed_ips: z.array(z.string()),
    total_requests: z.number().int(),
    refused: z.object({
      requests: z.number().int(),
      /** Distinct client IPs among the refused requests. */
      ips: z.number().int(),
      /** Distinct origins (no Origin header counts as one) among the requests refused for their origin. */
      origins: z.number().int(),
      by_code: z.object({ ip_not_allowed: z.number().int(), origin_not_allowed: z.number().int() }),
    }),
    /** The refused requests' IPs, most requests first; `code` says which list refuses them. */
    top_ips: z.array(
      z.object({
        ip: z.string().nullable(),
        code: refusedCode,
        requests: z.number().int(),
        last_seen_at: timestamp,
      }),
    ),
    /** Origins the origin list would refuse, most requests first; null is "no Origin header". */
    top_origins: z.array(
      z.object({ origin: z.string().nullable(), requests: z.number().int(), last_seen_at: timestamp }),
    ),
  })
  .meta({ id: "AllowlistPreview" });
export type AllowlistPreview = z.infer<typeof AllowlistPreviewSchema>;

/** GET /keys/{id}/secret-traffic: its query. */
export const SecretTrafficQuerySchema = z
  .object({
    quiet_seconds: z.coerce
      .number()
      .int()
      .min(60)
      .max(7 * 24 * 3600)
      .default(DEFAULT_ROTATION_QUIET_SECONDS)
      .meta({
        description:
          "The old secret is safe to expire once no request has used it for this long (60 s – 7 days, default 3600)",
      }),
  })
  .meta({ id: "SecretTrafficQuery" });
export type SecretTrafficQuery = z.infer<typeof SecretTrafficQuerySchema>;

/** How many of the old secret's clients (ip, origin) are named. */
export const OLD_SECRET_CLIENTS_TOP = 20;

/** A key's logged traffic per secret (by prefix), for the rotation assistant. */
export const SecretTrafficSchema = z
  .object({
    key_id: z.string(),
    /** The current secret's prefix. */
    current_prefix: z.string(),
    /** The key's roll grace, while its old secret still works; else null. */
    rotation: KeyRotationSchema.nullable(),
    from: timestamp,
    to: timestamp,
    bucket_seconds: z.number().int(),
    /** Requests per time bucket and secret prefix, oldest first; empty buckets are left out. */
    buckets: z.array(z.object({ start: timestamp, prefix: z.string(), requests: z.number().int() })),
    /** Each secret seen in the window, the current one first. */
    secrets: z.array(
      z.object({
        prefix: z.string(),
        current: z.boolean(),
        requests: z.number().int(),
        last_seen_at: timestamp,
      }),
    ),
    /** Who still sends an old secret: (IP, origin) pairs, most requests first; null origin: none sent. */
    old_secret_clients: z.array(
      z.object({
        ip: z.string().nullable(),
        origin: z.string().nullable(),
        prefix: z.string(),
        requests: z.number().int(),
        last_seen_at: timestamp,
      }),
    ),
    quiet_seconds: z.number().int(),
    /** The last request with a secret other than the current one (in the window), or null. */
    old_last_seen_at: timestamp.nullable(),
    /** True during the grace when no request has used an old secret for quiet_seconds. */
    safe_to_expire: z.boolean(),
  })
  .meta({ id: "SecretTraffic" });
export type SecretTraffic = z.infer<typeof SecretTrafficSchema>;
