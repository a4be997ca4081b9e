import type { ErrorCode } from "./error-codes";

/**
 * What each error code is called and what to do about it, in words a person reads: the console's
 * error states (lib/api/error-ui.ts) and the request story the server assembles
 * (lib/server/requests/story.ts) both say it this way. Neutral ground: no UI state, no server code.
 */
export const ERROR_WORDING = {
  authentication_failed: {
    title: "Sign in again",
    action: "Your session ended or the key is not valid. Sign in, or check the key.",
  },
  account_disabled: {
    title: "Account paused",
    action: "This key or account is paused. Resume the key, or contact support for the account.",
  },
  origin_not_allowed: {
    title: "Origin not allowed",
    action: "Add this origin to the key's allowed origins, or call from an allowed site.",
  },
  ip_not_allowed: {
    title: "IP address not allowed",
    action: "Add this IP address to the key's allowed IPs, or call from an allowed network.",
  },
  invalid_request: {
    title: "Check the highlighted fields",
    action: "Correct the fields marked below and try again.",
  },
  invalid_product: {
    title: "Unknown product",
    action: "Choose a product from the list.",
  },
  source_image_required: {
    title: "Source image needed",
    action: "This model needs an image to start from. Upload one.",
  },
  invalid_image: {
    title: "Image could not be read",
    action: "Use a PNG, JPEG or WebP image.",
  },
  image_too_large: {
    title: "Image too large",
    action: "Use a smaller image.",
  },
  insufficient_balance: {
    title: "Not enough credits",
    action: "Top up credits to continue.",
  },
  product_paused: {
    title: "Product paused",
    action: "This product is temporarily unavailable. Choose another or try later.",
  },
  invalid_state: {
    title: "Not possible right now",
    action: "The job changed state in the meantime. Refresh to see where it is.",
  },
  idempotency_conflict: {
    title: "Request already used",
    action:
      "This Idempotency-Key was already used for a different request, or that request is still running. Use a new key for a new request.",
  },
  invalid_pack: {
    title: "Unknown pack",
    action: "Choose one of the packs shown.",
  },
  rate_limited: {
    title: "Too many requests",
    action: "Slowing down and retrying by itself.",
  },
  queue_full: {
    title: "Too many unfinished jobs",
    action: "Wait for queued jobs under this key to finish, or cancel some.",
  },
  rate_limiter_unavailable: {
    title: "Temporarily unavailable",
    action: "Requests are paused for safety while a service recovers. Retrying by itself.",
  },
  service_unavailable: {
    title: "Service unavailable",
    action: "A service is down for a moment. Retrying with backoff.",
  },
  not_found: {
    title: "Not found",
    action: "It does not exist, or it belongs to another account.",
  },
  generation_failed: {
    title: "Generation failed",
    action: "The credits were refunded. Retry the job.",
  },
  internal_error: {
    title: "Something went wrong on our side",
    action: "Try again. If it keeps happening, give support the request ID.",
  },
} as const satisfies Record<ErrorCode, { title: string; action: string }>;
