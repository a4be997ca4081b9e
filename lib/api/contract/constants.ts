/**
 * The contract's plain constants, without zod: client components import them from here so the schemas
 * (and zod) stay out of the first-load bundle. The schema files re-export them under the same names.
 */

export const JOB_STATUSES = ["queued", "running", "succeeded", "failed", "canceled"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** Statuses that still hold a slot under a key's queue cap. */
export const UNFINISHED_STATUSES = ["queued", "running"] as const satisfies readonly JobStatus[];

export const MAX_PROMPT_LENGTH = 2000;
export const MAX_IMAGE_URL_LENGTH = 2048;

/** Retry is allowed only from these; cancel only from queued. */
export const RETRYABLE_FROM = ["failed"] as const satisfies readonly JobStatus[];
export const CANCELABLE_FROM = ["queued"] as const satisfies readonly JobStatus[];

/** Roll grace: the old secret keeps working this long (0 to 7 days). */
export const MAX_ROLL_GRACE_SECONDS = 7 * 24 * 3600;

export const ROLL_GRACE_CHOICES = [
  { seconds: 0, label: "Now" },
  { seconds: 3600, label: "In 1 hour" },
  { seconds: 24 * 3600, label: "In 24 hours" },
  { seconds: MAX_ROLL_GRACE_SECONDS, label: "In 7 days" },
] as const;

/** The key health badge's "old secret still in use": a request came with it within this window. */
export const OLD_SECRET_IN_USE_SECONDS = 3600;

/** The rotation assistant: the old secret is safe to expire after this long without a request. */
export const ROTATION_QUIET_CHOICES = [
  { seconds: 15 * 60, label: "15 minutes" },
  { seconds: 3600, label: "1 hour" },
  { seconds: 6 * 3600, label: "6 hours" },
  { seconds: 24 * 3600, label: "24 hours" },
] as const;
export const DEFAULT_ROTATION_QUIET_SECONDS = 3600;

export const UPLOAD_CONTENT_TYPES = ["image/png", "image/jpeg", "image/webp"] as const;

export const STATUS_CLASSES = ["2xx", "4xx", "5xx"] as const;
export type StatusClass = (typeof STATUS_CLASSES)[number];

export const REQUEST_SOURCES = ["key", "console"] as const;

export const MAX_REASON_LENGTH = 500;

/**
 * In the built-in test mode (no payment provider) an auto-recharge's charge succeeds at once, unless
 * its pack is written with this suffix (`pack_growth!fail`): then every charge fails, as a declined
 * card would — the documented test trigger, like the generator's `!fail` prompt.
 */
export const AUTO_RECHARGE_FAIL_SUFFIX = "!fail";

/** The pack of an auto-recharge setting without its test trigger (`pack_growth!fail` → `pack_growth`). */
export function autoRechargePack(pack: string): string {
  return pack.endsWith(AUTO_RECHARGE_FAIL_SUFFIX) ? pack.slice(0, -AUTO_RECHARGE_FAIL_SUFFIX.length) : pack;
}

/** The periods the console offers for a shadow list. */
export const SHADOW_DURATION_CHOICES = [
  { label: "1 hour", seconds: 3600 },
  { label: "24 hours", seconds: 24 * 3600 },
  { label: "7 days", seconds: 7 * 24 * 3600 },
] as const;

/** What a webhook endpoint can subscribe to. `webhook.test` is sent only by "send test event". */
export const WEBHOOK_EVENT_TYPES = [
  "job.succeeded",
  "job.failed",
  "job.canceled",
  "top_up.succeeded",
  "balance.low",
  "spend.alert",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const WEBHOOK_DELIVERY_STATUSES = ["pending", "delivering", "succeeded", "failed"] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** Usage alerts are recorded at these percents of a monthly credit limit, once each per month. */
export const SPEND_ALERT_THRESHOLDS = [50, 80, 100] as const;
