import { ERROR_CODES, type ErrorCode } from "@/lib/api/contract/error-codes";
import { ErrorEnvelopeSchema, type ErrorEnvelope } from "@/lib/api/contract/common.schema";

/** Whether a client may send the same call again, and when. */
export type RetryAdvice =
  /** Retry by itself, with backoff, honoring Retry-After, with the same Idempotency-Key. */
  | "automatic"
  /** At most once, by the program itself: the SDK does not retry it (only 429, 503 and network errors). */
  | "once"
  /** Retry only once the cause is fixed (a top-up, an allow-list entry…), with the same Idempotency-Key. */
  | "after-fix"
  /** Sending the same call again gives the same answer. */
  | "never";

export type ErrorDoc = {
  /** What usually leads to this answer. */
  causes: readonly string[];
  /** What to change, in the order to try it. */
  fix: string;
  retry: RetryAdvice;
  /** How, in one or two sentences (Retry-After, the same Idempotency-Key, …). */
  retryHow: string;
  /** The `details` an answer of this code carries (API.md's table), for the example envelope. */
  details?: Record<string, unknown>;
  /** The statements inside `if (err.code === "…") { … }` of the SDK snippet. */
  handle: string;
};

const SAME_KEY =
  "Send it again with the same Idempotency-Key, so a call that did run is answered from its first result and never charged twice.";

/**
 * One documentation page per error code. A `Record<ErrorCode, …>`: a code added to the contract
 * without its page here does not compile.
 */
export const ERROR_DOCS = {
  authentication_failed: {
    causes: [
      "No Authorization header, or not of the form `Bearer sk_live_…`.",
      "The key was revoked, has expired, or never existed (a typo, a key of another environment).",
      "In the console: the session ended.",
    ],
    fix: "Send `Authorization: Bearer <secret>` with the secret of an active key. Create a new key in the console if the secret is lost: it is shown only once.",
    retry: "after-fix",
    retryHow:
      "Not with the same key: it answers the same way until the key is replaced. With a valid key, send the call again with the same Idempotency-Key.",
    handle: `// The key is missing, revoked or expired: replace it, don't retry.\nthrow new Error(\`Check GENMEDIA_API_KEY (request \${err.requestId})\`);`,
  },
  account_disabled: {
    causes: [
      'The key was paused in the console (details.scope = "key").',
      'The whole account was paused by support (details.scope = "customer").',
    ],
    fix: "Resume the key on its page in the console. A paused account is resumed by support: contact them with the request ID.",
    retry: "after-fix",
    retryHow: "Once the key or account is resumed, send the call again with the same Idempotency-Key.",
    details: { scope: "key" },
    handle: `// details.scope is "key" (resume it in the console) or "customer" (contact support).\nconsole.error(\`Paused (\${err.details?.scope}); request \${err.requestId}\`);`,
  },
  origin_not_allowed: {
    causes: [
      "The key has an allowed-origin list and the browser's Origin header is not on it.",
      "A call from a server with an Origin header set by a proxy.",
    ],
    fix: "Add the origin (details.origin) to the key's allowed origins in the console, or call from a site that is on the list.",
    retry: "after-fix",
    retryHow: "After the origin is allowed, send the call again with the same Idempotency-Key.",
    details: { origin: "https://shop.example.com" },
    handle: `console.error(\`Origin \${err.details?.origin} is not on this key's list (request \${err.requestId})\`);`,
  },
  ip_not_allowed: {
    causes: [
      "The key has an allowed-IP list and the caller's address is not on it.",
      "The program moved to another network, host or egress address.",
    ],
    fix: "Add the address (details.ip) or its CIDR range to the key's allowed IPs in the console.",
    retry: "after-fix",
    retryHow: "After the address is allowed, send the call again with the same Idempotency-Key.",
    details: { ip: "203.0.113.7" },
    handle: `console.error(\`IP \${err.details?.ip} is not on this key's list (request \${err.requestId})\`);`,
  },
  invalid_request: {
    causes: [
      "A required field is missing, or a field has the wrong type or is out of range.",
      "The body is not JSON, or its Content-Type is not application/json.",
    ],
    fix: "Correct each field listed in details.fields (its path and message) and send a new call.",
    retry: "never",
    retryHow:
      "The same body fails the same way. Fix it; a corrected body is a new call, so it takes a new Idempotency-Key.",
    details: { fields: [{ path: "prompt", message: "Required" }] },
    handle: `for (const field of (err.details?.fields ?? []) as { path: string; message: string }[]) {\n    console.error(\`\${field.path}: \${field.message}\`);\n  }`,
  },
  invalid_product: {
    causes: [
      "The product id is misspelled, or the product was retired.",
      "details.product names the id that was sent.",
    ],
    fix: "Use an id from GET /api/v1/products.",
    retry: "never",
    retryHow:
      "The same product id fails the same way; a call with another product is a new call (a new Idempotency-Key).",
    details: { product: "text-to-imag" },
    handle: `const products = await genmedia.products.list();\nconsole.error(\`Unknown product \${err.details?.product}; one of\`, products.map((p) => p.id));`,
  },
  source_image_required: {
    causes: [
      "The product transforms an image (image-to-image, image-to-video) and no source image was given.",
    ],
    fix: "Upload the image and pass source_image_url (start_image_url for video).",
    retry: "never",
    retryHow: "Add the image first; the call with it is a new call (a new Idempotency-Key).",
    handle: `console.error("This product needs source_image_url (start_image_url for video)");`,
  },
  invalid_image: {
    causes: ["The upload is not a PNG, JPEG or WebP image, or it is truncated or corrupt."],
    fix: "Upload a valid PNG, JPEG or WebP file.",
    retry: "never",
    retryHow: "The same bytes fail the same way. Upload another file.",
    handle: `console.error("Upload a PNG, JPEG or WebP image");`,
  },
  image_too_large: {
    causes: ["The upload is larger than the size cap (details.max_bytes)."],
    fix: "Resize or recompress the image below details.max_bytes.",
    retry: "never",
    retryHow: "The same file fails the same way. Upload a smaller one.",
    details: { max_bytes: 10485760, bytes: 14680064 },
    handle: `console.error(\`Image is \${err.details?.bytes} bytes; the cap is \${err.details?.max_bytes}\`);`,
  },
  insufficient_balance: {
    causes: [
      "The account's credits do not cover the product's price (details.required > details.available).",
      "Other jobs reserved the credits a moment before.",
      'A monthly spend limit was reached (details.reason = "spend_limit"): this calendar month\'s (UTC) job charges plus this one would pass the limit named by details.limit — "customer" (the account\'s, set in Billing) or "key" (this key\'s, details.key_id, set on the key\'s page) — with details.monthly_credit_limit and details.month_spent_credits. A top-up does not help here.',
    ],
    fix: 'Top up credits in the console\'s Billing page (or enable auto top-up), then send the call again. Nothing was charged. For details.reason = "spend_limit", raise (or remove) that monthly credit limit — PATCH /api/v1/billing/settings or PATCH /api/v1/keys/{id} with monthly_credit_limit — or wait for the next month.',
    retry: "after-fix",
    retryHow:
      "After the top-up, send the call again with the same Idempotency-Key: the refused call never ran, so it cannot run twice.",
    details: { required: 8, available: 0 },
    handle: `console.error(\`Need \${err.details?.required} credits, have \${err.details?.available}: top up (request \${err.requestId})\`);`,
  },
  product_paused: {
    causes: ["The product is temporarily switched off (maintenance, a backend incident)."],
    fix: "Choose another product, or try this one later.",
    retry: "after-fix",
    retryHow: "Later, when the product is back, with the same Idempotency-Key. Don't retry in a tight loop.",
    details: { product: "image-to-video" },
    handle: `console.error(\`\${err.details?.product} is paused for now; try another product\`);`,
  },
  invalid_state: {
    causes: [
      "The action does not apply to the job's current status (details.status), e.g. retrying a job that has not failed or cancelling a finished one.",
      "The job changed state between reading it and acting on it.",
    ],
    fix: "Read the job again (GET /api/v1/jobs/{id}) and act on its current status; details.allowed_from lists the statuses the action accepts.",
    retry: "never",
    retryHow: "The same action on the same job fails the same way until the job's status changes.",
    details: { status: "succeeded", allowed_from: ["failed"] },
    handle: `const job = await genmedia.jobs.get(jobId);\nconsole.log(\`The job is \${job.status}; the action needs one of\`, err.details?.allowed_from);`,
  },
  idempotency_conflict: {
    causes: [
      "The Idempotency-Key was used before with a different body.",
      'The first request with this key is still running (details.reason = "in_progress").',
    ],
    fix: "Use one key per logical call: a new key for a new body. For in_progress, wait for Retry-After and send the same call again.",
    retry: "after-fix",
    retryHow:
      "Only the in_progress form: after Retry-After, with the same key and the same body (the SDK does this by itself). A different body needs a new Idempotency-Key.",
    details: { reason: "in_progress" },
    handle: `// A different body under a used key: a new call needs a new key.\nawait genmedia.jobs.create(input, { idempotencyKey: crypto.randomUUID() });`,
  },
  invalid_pack: {
    causes: ["The top-up pack id is unknown or no longer offered."],
    fix: "Choose one of the packs GET /api/v1/billing/packs lists.",
    retry: "never",
    retryHow: "The same pack id fails the same way.",
    handle: `console.error("Choose one of the packs the Billing page lists");`,
  },
  rate_limited: {
    causes: ["The key sent more requests than its limit (details.limit per details.window_seconds)."],
    fix: "Slow down: space the calls, or spread the work over time.",
    retry: "automatic",
    retryHow: `Wait at least Retry-After seconds (details.retry_after), then back off exponentially with jitter. ${SAME_KEY} The SDK does this by itself.`,
    details: { retry_after: 3, limit: 60, window_seconds: 60 },
    handle: `// The SDK already retried, honoring Retry-After; it gives up when the wait is too long.\nawait new Promise((r) => setTimeout(r, (err.retryAfter ?? 1) * 1000));`,
  },
  queue_full: {
    causes: [
      "Too many jobs under this key are still queued or running (details.unfinished of details.limit).",
    ],
    fix: "Wait for queued jobs to finish, or cancel some, before creating more.",
    retry: "after-fix",
    retryHow:
      "After jobs finish, with the same Idempotency-Key. Waiting for a job (waitForJob) is the way to know when.",
    details: { unfinished: 10, limit: 10 },
    handle: `console.log(\`\${err.details?.unfinished} of \${err.details?.limit} jobs are unfinished; wait for some\`);`,
  },
  rate_limiter_unavailable: {
    causes: [
      "The rate limiter's store is unreachable: requests are refused (fail-closed) rather than let through unlimited.",
    ],
    fix: "Nothing to change on your side: retry shortly.",
    retry: "automatic",
    retryHow: `After Retry-After, with exponential backoff and jitter. ${SAME_KEY} The SDK does this by itself.`,
    handle: `// The SDK already retried with backoff; try again later with the same Idempotency-Key.\nconsole.warn(\`Temporarily unavailable (request \${err.requestId})\`);`,
  },
  service_unavailable: {
    causes: [
      "503: a dependency of the platform (its database) is down for a moment.",
      "502: the generation backend answered badly.",
    ],
    fix: "Nothing to change on your side: retry with backoff. If it lasts, give support the request ID.",
    retry: "automatic",
    retryHow: `After Retry-After (on the 503), with exponential backoff and jitter. ${SAME_KEY} The SDK does this by itself.`,
    handle: `// The SDK already retried with backoff; try again later with the same Idempotency-Key.\nconsole.warn(\`Service unavailable (request \${err.requestId})\`);`,
  },
  not_found: {
    causes: [
      "The id does not exist (a typo, a deleted resource).",
      "It belongs to another account: the API does not say which.",
      "The path or method is not part of the API.",
    ],
    fix: "Check the id and that it was created with a key of this account.",
    retry: "never",
    retryHow: "The same id answers the same way.",
    handle: `console.error(\`No such resource for this key (request \${err.requestId})\`);`,
  },
  generation_failed: {
    causes: [
      "The backend could not produce this output (a safety filter, an unusable source image, a model failure).",
      "It is not an HTTP answer: it appears in a job's error, with the job's status failed.",
    ],
    fix: "The credits were refunded. Retry the job (POST /api/v1/jobs/{id}/retry), or change the prompt or image.",
    retry: "after-fix",
    retryHow: "Retry the failed job itself (POST /jobs/{id}/retry), which charges again only if it runs.",
    handle: `// Not thrown: a failed job carries it in job.error.\nconst done = await genmedia.waitForJob(job.id);\nif (done.error?.code === "generation_failed") await genmedia.jobs.retry(done.id);`,
  },
  internal_error: {
    causes: ["A fault of the platform that no other code names. It is a bug every time."],
    fix: "Give support the request ID: it finds the request's log by it.",
    retry: "once",
    retryHow: `At most once, after a pause; the SDK does not retry a 500 by itself. ${SAME_KEY}`,
    handle: `console.error(\`A fault on Genmedia's side; quote request \${err.requestId} to support\`);`,
  },
} as const satisfies Record<ErrorCode, ErrorDoc>;

/** The HTTP status as the catalog writes it: `service_unavailable` is 503 or 502, a job's error has none. */
export function statusLabel(code: ErrorCode): string {
  if (code === "service_unavailable") return "502 / 503";
  const status = ERROR_CODES[code].status;
  return status === null ? "async (in a job's error)" : String(status);
}

/** An answer of this code as the API sends it, built from (and checked by) the contract's envelope schema. */
export function exampleEnvelope(code: ErrorCode): ErrorEnvelope {
  const doc: ErrorDoc = ERROR_DOCS[code];
  return ErrorEnvelopeSchema.parse({
    error: {
      code,
      message: ERROR_CODES[code].message,
      request_id: "req_01JEXAMPLE8M2Q7X4V9K3T6W5Z",
      ...(doc.details ? { details: doc.details } : {}),
    },
  });
}

/** The SDK's way to handle this code: catch the `GenmediaError` and branch on `err.code`. */
export function sdkSnippet(code: ErrorCode): string {
  const doc: ErrorDoc = ERROR_DOCS[code];
  const body = doc.handle.replaceAll("\n", "\n  ");
  if (code === "generation_failed") return `import { Genmedia } from "@genmedia/sdk";\n\n${doc.handle}`;
  return [
    `import { Genmedia, GenmediaError } from "@genmedia/sdk";`,
    ``,
    `try {`,
    `  await genmedia.jobs.create(input);`,
    `} catch (err) {`,
    `  if (err instanceof GenmediaError && err.code === "${code}") {`,
    `    ${body.replaceAll("\n  ", "\n    ")}`,
    `  } else {`,
    `    throw err;`,
    `  }`,
    `}`,
  ].join("\n");
}
