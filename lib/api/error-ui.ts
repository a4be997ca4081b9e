import { ERROR_CODE_LIST, isErrorCode, type ErrorCode } from "./contract/error-codes";
import { ERROR_WORDING } from "./contract/error-wording";
import { ApiError } from "./errors";

/** The UI states an error can turn into (ARCHITECTURE.md, "UI states and their accessible names"). */
export type ErrorUiKind =
  | "sign-in"
  | "paused"
  | "allowlist-denial"
  | "field"
  | "top-up"
  | "spend-limit"
  | "retry-countdown"
  | "queue-full"
  | "conflict"
  | "invalid-state"
  | "not-found"
  | "job-failed"
  | "generic";

type Spec = { kind: ErrorUiKind; title: string; action: string };

/** The UI state each code turns into: a code without one does not compile. */
const KIND = {
  authentication_failed: "sign-in",
  account_disabled: "paused",
  origin_not_allowed: "allowlist-denial",
  ip_not_allowed: "allowlist-denial",
  invalid_request: "field",
  invalid_product: "field",
  source_image_required: "field",
  invalid_image: "field",
  image_too_large: "field",
  insufficient_balance: "top-up",
  product_paused: "paused",
  invalid_state: "invalid-state",
  idempotency_conflict: "conflict",
  invalid_pack: "field",
  rate_limited: "retry-countdown",
  queue_full: "queue-full",
  rate_limiter_unavailable: "retry-countdown",
  service_unavailable: "retry-countdown",
  not_found: "not-found",
  generation_failed: "job-failed",
  internal_error: "generic",
} as const satisfies Record<ErrorCode, ErrorUiKind>;

/** One row per code: its UI state and its wording (shared with the server's request story). */
export const ERROR_UI = Object.fromEntries(
  ERROR_CODE_LIST.map((code) => [code, { kind: KIND[code], ...ERROR_WORDING[code] }]),
) as { readonly [C in ErrorCode]: Spec };

const FALLBACK: Spec = {
  kind: "generic",
  title: "Something went wrong",
  action: "Try again. If it keeps happening, give support the request ID.",
};
/** insufficient_balance with details.reason "spend_limit": a monthly credit limit, not the balance. */
const SPEND_LIMIT: Spec = {
  kind: "spend-limit",
  title: "Monthly spend limit reached",
  action: "Raise the monthly credit limit to continue, or wait for the next month (UTC).",
};
const NETWORK: Spec = {
  kind: "retry-countdown",
  title: "Connection problem",
  action: "Could not reach the server. Retrying.",
};

export type ErrorUi = Spec & {
  code: string;
  message: string;
  status: number;
  requestId: string | null;
  retryAfter: number | null;
  details: Record<string, unknown>;
};

/** Maps any thrown value to its UI state. Unknown codes fall back to a generic state that keeps the id. */
export function toErrorUi(error: unknown): ErrorUi {
  if (!ApiError.is(error)) {
    return {
      ...FALLBACK,
      code: "unknown",
      message: error instanceof Error ? error.message : String(error),
      status: 0,
      requestId: null,
      retryAfter: null,
      details: {},
    };
  }
  const spec: Spec = isSpendLimit(error)
    ? SPEND_LIMIT
    : isErrorCode(error.code)
      ? ERROR_UI[error.code]
      : error.code === "network_error"
        ? NETWORK
        : FALLBACK;
  return {
    ...spec,
    code: error.rawCode ?? error.code,
    message: error.message,
    status: error.status,
    requestId: error.requestId,
    retryAfter: error.retryAfter,
    details: error.details,
  };
}

/** `details.fields` of an invalid_request, keyed by path, for forms. */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!ApiError.is(error)) return {};
  const fields = error.details.fields;
  if (!Array.isArray(fields)) return {};
  const out: Record<string, string> = {};
  for (const f of fields as { path?: unknown; message?: unknown }[]) {
    if (typeof f.path === "string" && typeof f.message === "string") out[f.path] ??= f.message;
  }
  return out;
}

/** A 402 refused by a monthly credit limit (details.reason "spend_limit"), not by the balance. */
export function isSpendLimit(error: unknown): boolean {
  return (
    ApiError.is(error) && error.code === "insufficient_balance" && error.details.reason === "spend_limit"
  );
}

export type SpendLimitRefusal = {
  scope: "customer" | "key";
  keyId: string | null;
  limit: number | null;
  spent: number | null;
  required: number | null;
  /** Where the limit is set: Billing, or that key's page. */
  href: string;
};

/** Which limit refused it, its figures, and where it is set — from the 402's details. */
export function spendLimitOf(details: Record<string, unknown>): SpendLimitRefusal {
  const num = (v: unknown) => (typeof v === "number" ? v : null);
  const keyId = typeof details.key_id === "string" ? details.key_id : null;
  const scope = details.limit === "key" ? "key" : "customer";
  return {
    scope,
    keyId,
    limit: num(details.monthly_credit_limit),
    spent: num(details.month_spent_credits),
    required: num(details.required),
    href:
      scope === "key" && keyId ? `/keys/${encodeURIComponent(keyId)}#spend-limit` : "/billing#spend-limit",
  };
}
