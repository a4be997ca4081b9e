import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { ListQuerySchema } from "@/lib/api/contract/common.schema";
import {
  AllowlistPreviewBodySchema,
  AllowlistPreviewSchema,
  CheckKeyBodySchema,
  CreateKeyBodySchema,
  KeyCheckSchema,
  KeyListSchema,
  KeySchema,
  KeyWithSecretSchema,
  RollKeyBodySchema,
  SecretTrafficQuerySchema,
  SecretTrafficSchema,
  StartShadowBodySchema,
  UpdateKeyBodySchema,
} from "@/lib/api/contract/keys.schema";
import {
  checkKey,
  createKey,
  getKeyOrThrow,
  type KeyChangeContext,
  listKeys,
  revokeKey,
  rollKey,
  updateKey,
} from "../../keys/keys";
import { previewAllowlists } from "../../keys/preview";
import { expireOldSecret, secretTraffic } from "../../keys/rotation";
import { discardShadow, enforceShadow, startShadow } from "../../keys/shadow";
import { env } from "../../env";
import { AUTH_ERRORS, customerIdOf, requireAuth, sessionAuth } from "../middleware/auth";
import { errorResponses, idempotencyHeaders, jsonContent } from "../openapi-helpers";
import { idempotencyClaim, idempotent } from "../idempotent";
import type { ApiEnv } from "../types";

/** /keys: console session only. A key sent as Bearer here is authentication_failed. */
export const keyRoutes = new OpenAPIHono<ApiEnv>();

const TAGS = ["Keys"];
const SESSION = [{ sessionCookie: [] }];
const Params = z.object({
  keyId: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "keyId", in: "path" }, example: "key_01JZ8Q4W4G6V1Y2Q3R4S5T6U7V" }),
});
const body = <T extends z.ZodType>(schema: T, required = true) => ({
  body: { content: { "application/json": { schema } }, required },
});
const IdempotencyHeaders = idempotencyHeaders(
  "body replays the first response, secret included (stored encrypted under a key only this Idempotency-Key unlocks)",
);
const ShadowIdempotencyHeaders = idempotencyHeaders("body replays the first response");

function changeContext(
  c: Parameters<typeof sessionAuth>[0] & { get(key: "requestId"): string },
): KeyChangeContext {
  const auth = sessionAuth(c);
  return {
    customerId: customerIdOf(c),
    actor: { userId: auth.userId, email: auth.email, role: auth.role },
    requestId: c.get("requestId"),
  };
}

keyRoutes.openapi(
  createRoute({
    method: "get",
    path: "/keys",
    tags: TAGS,
    summary: "List the customer's API keys (never their secrets)",
    security: SESSION,
    middleware: [requireAuth("session")] as const,
    request: { query: ListQuerySchema },
    responses: {
      200: jsonContent(KeyListSchema, "Keys, newest first"),
      ...errorResponses(...AUTH_ERRORS.session, "invalid_request", "not_found"),
    },
  }),
  async (c) => c.json(await listKeys(customerIdOf(c), c.req.valid("query")), 200),
);

keyRoutes.openapi(
  createRoute({
    method: "post",
    path: "/keys",
    tags: TAGS,
    summary: "Create a key; the response is the only one that ever carries its secret",
    description:
      "At most MAX_KEYS_PER_CUSTOMER (default 100) live keys (neither revoked nor expired) per customer: " +
      "past it, 409 invalid_state with details.reason key_limit. With an Idempotency-Key, a retry " +
      "replays the same key and secret.",
    security: SESSION,
    middleware: [requireAuth("session")] as const,
    request: { headers: IdempotencyHeaders, ...body(CreateKeyBodySchema) },
    responses: {
      201: jsonContent(KeyWithSecretSchema, "The key, with its secret (shown once)"),
      ...errorResponses(
        ...AUTH_ERRORS.session,
        "invalid_request",
        "not_found",
        "invalid_state",
        "idempotency_conflict",
      ),
    },
  }),
  async (c) => {
    const ctx = changeContext(c);
    const input = c.req.valid("json");
    const limit = env().MAX_KEYS_PER_CUSTOMER;
    const key = await idempotent(c, idempotencyClaim(c, input, { sealed: true }), 201, (tx) =>
      createKey(tx, ctx, input, limit),
    );
    return c.json(key, 201);
  },
);

keyRoutes.openapi(
  createRoute({
    method: "get",
    path: "/keys/{keyId}",
    tags: TAGS,
    summary: "One key",
    security: SESSION,
    middleware: [requireAuth("session")] as const,
    request: { params: Params },
    responses: {
      200: jsonContent(KeySchema, "The key"),
      ...errorResponses(...AUTH_ERRORS.session, "not_found"),
    },
  }),
  async (c) => c.json(await getKeyOrThrow(customerIdOf(c), c.req.valid("param").keyId), 200),
);

keyRoutes.openapi(
  createRoute({
    method: "patch",
    path: "/keys/{keyId}",
    tags: TAGS,
    summary: "Rename, pause or resume a key, replace its allowlists, or set its monthly credit limit",
    security: SESSION,
    middleware: [requireAuth("session")] as const,
    request: { params: Params, ...body(UpdateKeyBodySchema) },
    responses: {
      200: jsonContent(KeySchema, "The updated key"),
      ...errorResponses(...AUTH_ERRORS.session, "invalid_request", "not_found", "invalid_state"),
    },
  }),
  async (c) =>
    c.json(await updateKey(changeContext(c), c.req.valid("param").keyId, c.req.valid("json")), 200),
);

keyRoutes.openapi(
  createRoute({
    method: "post",
    path: "/keys/{keyId}/roll",
    tags: TAGS,
    summary: "Roll the secret; the old one keeps working for expire_old_in_seconds (default 0)",
    security: SESSION,
    middleware: [requireAuth("session")] as const,
    request: { params: Params, headers: IdempotencyHeaders, ...body(RollKeyBodySchema, false) },
    responses: {
      200: jsonContent(KeyWithSecretSchema, "The key, with its new secret (shown once)"),
      ...errorResponses(
        ...AUTH_ERRORS.session,
        "invalid_request",
        "not_found",
        "invalid_state",
        "idempotency_conflict",
      ),
    },
  }),
  async (c) => {
    const ctx = changeContext(c);
    const grace = c.req.valid("json")?.expire_old_in_seconds ?? 0;
    const { keyId } = c.req.valid("param");
    const claim = idempotencyClaim(c, { expire_old_in_seconds: grace }, { sealed: true });
    const key = await idempotent(c, claim, 200, (tx) => rollKey(tx, ctx, keyId, grace));
    return c.json(key, 200);
  },
);

keyRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/keys/{keyId}",
    tags: TAGS,
    summary: "Revoke a key, permanently (later use is authentication_failed)",
    security: SESSION,
    middleware: [requireAuth("session")] as const,
    request: { params: Params },
    responses: {
      200: jsonContent(KeySchema, "The revoked key"),
      ...errorResponses(...AUTH_ERRORS.session, "not_found"),
    },
  }),
  async (c) => c.json(await revokeKey(changeContext(c), c.req.valid("param").keyId), 200),
);

keyRoutes.openapi(
  createRoute({
    method: "post",
    path: "/keys/{keyId}/check",
    tags: TAGS,
    summary: "Would a request with this origin and IP pass the key, and which rule decides",
    security: SESSION,
    middleware: [requireAuth("session")] as const,
    request: { params: Params, ...body(CheckKeyBodySchema) },
    responses: {
      200: jsonContent(KeyCheckSchema, "The verdict, per list"),
      ...errorResponses(...AUTH_ERRORS.session, "invalid_request", "not_found"),
    },
  }),
  async (c) => c.json(await checkKey(customerIdOf(c), c.req.valid("param").keyId, c.req.valid("json")), 200),
);

keyRoutes.openapi(
  createRoute({
    method: "post",
    path: "/keys/{keyId}/allowlist-preview",
    tags: TAGS,
    summary: "How the key's traffic of the last 7 days would fare under candidate allowlists",
    description:
      "Replays the key's request log of the last 7 days (from the start of that hour, UTC) through the middleware's own matcher with the " +
      "given lists (nothing is saved): how many requests, client IPs and origins they would refuse, " +
      "and the refused IPs and origins with the most requests. Invalid entries → invalid_request with " +
      "field paths, as a save would answer.",
    security: SESSION,
    middleware: [requireAuth("session")] as const,
    request: { params: Params, ...body(AllowlistPreviewBodySchema) },
    responses: {
      200: jsonContent(AllowlistPreviewSchema, "The traffic the lists would refuse"),
      ...errorResponses(...AUTH_ERRORS.session, "invalid_request", "not_found"),
    },
  }),
  async (c) =>
    c.json(await previewAllowlists(customerIdOf(c), c.req.valid("param").keyId, c.req.valid("json")), 200),
);

keyRoutes.openapi(
  createRoute({
    method: "post",
    path: "/keys/{keyId}/shadow",
    tags: TAGS,
    summary: "Try candidate allowlists in shadow: nothing is refused, would-be refusals are logged",
    description:
      "Saves the lists as the key's shadow for duration_seconds, replacing any shadow it had. Until then " +
      "every request is still judged by the key's enforced lists; each one the shadow lists would " +
      "refuse is logged with would_refuse (GET /requests?would_refuse=true) and counted in the key's " +
      "shadow.would_refuse. Then enforce or discard it. Audited (key.shadow.start).",
    security: SESSION,
    middleware: [requireAuth("session")] as const,
    request: { params: Params, headers: ShadowIdempotencyHeaders, ...body(StartShadowBodySchema) },
    responses: {
      200: jsonContent(KeySchema, "The key, with its shadow"),
      ...errorResponses(
        ...AUTH_ERRORS.session,
        "invalid_request",
        "not_found",
        "invalid_state",
        "idempotency_conflict",
      ),
    },
  }),
  async (c) => {
    const ctx = changeContext(c);
    const input = c.req.valid("json");
    const { keyId } = c.req.valid("param");
    const key = await idempotent(c, idempotencyClaim(c, input), 200, (tx) =>
      startShadow(tx, ctx, keyId, input),
    );
    return c.json(key, 200);
  },
);

for (const [action, summary, work] of [
  [
    "enforce",
    "Enforce the shadow allowlists: they replace the key's lists, and the shadow ends (audited)",
    enforceShadow,
  ],
  ["discard", "Discard the shadow allowlists: the key's lists stay as they are (audited)", discardShadow],
] as const) {
  keyRoutes.openapi(
    createRoute({
      method: "post",
      path: `/keys/{keyId}/shadow/${action}`,
      tags: TAGS,
      summary,
      description: "Without a shadow: 409 invalid_state with details.reason no_shadow.",
      security: SESSION,
      middleware: [requireAuth("session")] as const,
      request: { params: Params, headers: ShadowIdempotencyHeaders },
      responses: {
        200: jsonContent(KeySchema, "The key"),
        ...errorResponses(...AUTH_ERRORS.session, "not_found", "invalid_state", "idempotency_conflict"),
      },
    }),
    async (c) => {
      const ctx = changeContext(c);
      const { keyId } = c.req.valid("param");
      const key = await idempotent(c, idempotencyClaim(c, {}), 200, (tx) => work(tx, ctx, keyId));
      return c.json(key, 200);
    },
  );
}

keyRoutes.openapi(
  createRoute({
    method: "get",
    path: "/keys/{keyId}/secret-traffic",
    tags: TAGS,
    summary: "The key's traffic per secret (old and new prefix) over time, for a roll's grace period",
    description:
      "Every logged request records the prefix of the secret that authenticated it. This groups the key's " +
      "requests by that prefix over time (from an hour before its last roll, at most 7 days), names the " +
      "IPs and origins still sending a secret other than the current one, and says whether the old " +
      "secret is safe to expire: in its grace, with no request for quiet_seconds.",
    security: SESSION,
    middleware: [requireAuth("session")] as const,
    request: { params: Params, query: SecretTrafficQuerySchema },
    responses: {
      200: jsonContent(SecretTrafficSchema, "Traffic per secret"),
      ...errorResponses(...AUTH_ERRORS.session, "invalid_request", "not_found"),
    },
  }),
  async (c) =>
    c.json(await secretTraffic(customerIdOf(c), c.req.valid("param").keyId, c.req.valid("query")), 200),
);

keyRoutes.openapi(
  createRoute({
    method: "post",
    path: "/keys/{keyId}/expire-old-secret",
    tags: TAGS,
    summary: "End a roll's grace now: the old secret stops working (audited)",
    description:
      "Every secret of the key but the current one stops working at once (later use is 401 " +
      "authentication_failed). Audited (key.expire_old_secret). Without an old secret still in its grace: " +
      "409 invalid_state with details.reason no_grace.",
    security: SESSION,
    middleware: [requireAuth("session")] as const,
    request: { params: Params, headers: ShadowIdempotencyHeaders },
    responses: {
      200: jsonContent(KeySchema, "The key, without its rotation"),
      ...errorResponses(...AUTH_ERRORS.session, "not_found", "invalid_state", "idempotency_conflict"),
    },
  }),
  async (c) => {
    const ctx = changeContext(c);
    const { keyId } = c.req.valid("param");
    const key = await idempotent(c, idempotencyClaim(c, {}), 200, (tx) => expireOldSecret(tx, ctx, keyId));
    return c.json(key, 200);
  },
);
