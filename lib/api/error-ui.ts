import { isErrorCode, type ErrorCode } from "./contract/error-codes";
import { ApiError } from "./errors";

/** The UI states an error can turn into (ARCHITECTURE.md, "UI states and their accessible names"). */
export type ErrorUiKind =
  | "sign-in"
  | "paused"
  | "allowlist-denial"
  | "field"
  | "top-up"
  | "retry-countdown"
  | "queue-full"
  | "conflict"
  | "invalid-state"
  | "not-found"
  | "job-failed"
  | "generic";

type Spec = { kind: ErrorUiKind; title: string; action: string };

/** One row per code: a code without a UI state does not compile. */
export const ERROR_UI = {
  authentication_failed: {
    kind: "sign-in",
    title: "Sign in again",
    action: "Your session ended or the key is not valid. Sign in, or check the key.",
  },
  account_disabled: {
    kind: "paused",
    title: "Account paused",
    action: "This key or account is paused. Resume the key, or contact support for the account.",
  },
  origin_not_allowed: {
    kind: "allowlist-denial",
    title: "Origin not allowed",
    action: "Add this origin to the key's allowed origins, or call from an allowed site.",
  },
  ip_not_allowed: {
    kind: "allowlist-denial",
    title: "IP address not allowed",
    action: "Add this IP address to the key's allowed IPs, or call from an allowed network.",
  },
  invalid_request: {
    kind: "field",
    title: "Check the highlighted fields",
    action: "Correct the fields marked below and try again.",
  },
  invalid_product: { kind: "field", title: "Unknown product", action: "Choose a product from the list." },
  source_image_required: {
    kind: "field",
    title: "Source image needed",
    action: "This model needs an image to start from. Upload one.",
  },
  invalid_image: {
    kind: "field",
    title: "Image could not be read",
    action: "Use a PNG, JPEG or WebP image.",
  },
  image_too_large: { kind: "field", title: "Image too large", action: "Use a smaller image." },
  insufficient_balance: {
    kind: "top-up",
    title: "Not enough credits",
    action: "Top up credits to continue.",
  },
  product_paused: {
    kind: "paused",
    title: "Product paused",
    action: "This product is temporarily unavailable. Choose another or try later.",
  },
  invalid_state: {
    kind: "invalid-state",
    title: "Not possible right now",
    action: "The job changed state in the meantime. Refresh to see where it is.",
  },
  idempotency_conflict: {
    kind: "conflict",
    title: "Request already used",
    action:
      "This Idempotency-Key was already used for a different request, or that request is still running. Use a new key for a new request.",
  },
  invalid_pack: { kind: "field", title: "Unknown pack", action: "Choose one of the packs shown." },
  rate_limited: {
    kind: "retry-countdown",
    title: "Too many requests",
    action: "Slowing down and retrying by itself.",
  },
  queue_full: {
    kind: "queue-full",
    title: "Too many unfinished jobs",
    action: "Wait for queued jobs under this key to finish, or cancel some.",
  },
  rate_limiter_unavailable: {
    kind: "retry-countdown",
    title: "Temporarily unavailable",
    action: "Requests are paused for safety while a service recovers. Retrying by itself.",
  },
  service_unavailable: {
    kind: "retry-countdown",
    title: "Service unavailable",
    action: "A service is down for a moment. Retrying with backoff.",
  },
  not_found: {
    kind: "not-found",
    title: "Not found",
    action: "It does not exist, or it belongs to another account.",
  },
  generation_failed: {
    kind: "job-failed",
    title: "Generation failed",
    action: "The credits were refunded. Retry the job.",
  },
  internal_error: {
    kind: "generic",
    title: "Something went wrong on our side",
    action: "Try again. If it keeps happening, give support the request ID.",
  },
} as const satisfies Record<ErrorCode, Spec>;

const FALLBACK: Spec = {
  kind: "generic",
  title: "Something went wrong",
  action: "Try again. If it keeps happening, give support the request ID.",
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
  const spec: Spec = isErrorCode(error.code)
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
