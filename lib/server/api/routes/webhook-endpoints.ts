import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { ListQuerySchema } from "@/lib/api/contract/common.schema";
import {
  CreateWebhookEndpointBodySchema,
  UpdateWebhookEndpointBodySchema,
  WebhookDeliveryDetailSchema,
  WebhookDeliveryListSchema,
  WebhookDeliveryQuerySchema,
  WebhookDeliverySchema,
  WebhookEndpointListSchema,
  WebhookEndpointSchema,
  WebhookEndpointWithSecretSchema,
} from "@/lib/api/contract/webhook-endpoints.schema";
import {
  createEndpoint,
  deleteEndpoint,
  type EndpointChangeContext,
  getDelivery,
  getEndpoint,
  listDeliveries,
  listEndpoints,
  resendDelivery,
  rollEndpointSecret,
  sendTestEvent,
  updateEndpoint,
} from "../../webhooks/endpoints";
import { auditActorOf } from "../actor";
import { AUTH_ERRORS, customerIdOf, requireAuth } from "../middleware/auth";
import { idempotencyClaim, idempotent } from "../idempotent";
import { errorResponses, idempotencyHeaders, jsonContent } from "../openapi-helpers";
import type { ApiEnv } from "../types";

/** /webhook-endpoints and their delivery log: console session only. */
export const webhookEndpointRoutes = new OpenAPIHono<ApiEnv>();

const TAGS = ["Webhooks"];
const SESSION = [{ sessionCookie: [] }];
const pathId = (name: string, example: string) =>
  z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name, in: "path" }, example });
const EndpointParams = z.object({ endpointId: pathId("endpointId", "we_01JZ8Q4W4G6V1Y2Q3R4S5T6U7V") });
const DeliveryParams = z.object({ deliveryId: pathId("deliveryId", "msg_01JZ8Q4W4G6V1Y2Q3R4S5T6U7V") });
const body = <T extends z.ZodType>(schema: T) => ({
  body: { content: { "application/json": { schema } }, required: true },
});
const session = requireAuth("session");
const SealedIdempotency = idempotencyHeaders(
  "body replays the first response, secret included (stored encrypted under a key only this Idempotency-Key unlocks)",
);
const Idempotency = idempotencyHeaders("body replays the first response");

function changeContext(c: Context<ApiEnv>): EndpointChangeContext {
  return { customerId: customerIdOf(c), actor: auditActorOf(c), requestId: c.get("requestId") };
}

webhookEndpointRoutes.openapi(
  createRoute({
    method: "get",
    path: "/webhook-endpoints",
    tags: TAGS,
    summary: "List the customer's webhook endpoints (never their secrets)",
    security: SESSION,
    middleware: [session] as const,
    request: { query: ListQuerySchema },
    responses: {
      200: jsonContent(WebhookEndpointListSchema, "Endpoints, newest first"),
      ...errorResponses(...AUTH_ERRORS.session, "invalid_request", "not_found"),
    },
  }),
  async (c) => c.json(await listEndpoints(customerIdOf(c), c.req.valid("query")), 200),
);

webhookEndpointRoutes.openapi(
  createRoute({
    method: "post",
    path: "/webhook-endpoints",
    tags: TAGS,
    summary: "Add an endpoint; the response is the only one that carries its signing secret",
    description:
      "The URL must be https:// and must not name a private, loopback or link-local address (checked " +
      "again, after resolving the host, at every delivery). Deliveries are signed with the Standard " +
      "Webhooks scheme: `webhook-signature: v1,<base64 HMAC-SHA256 of id.timestamp.body>` under the " +
      "base64 key after `whsec_`. At most 20 endpoints: past it, 409 invalid_state (details.reason endpoint_limit).",
    security: SESSION,
    middleware: [session] as const,
    request: { headers: SealedIdempotency, ...body(CreateWebhookEndpointBodySchema) },
    responses: {
      201: jsonContent(WebhookEndpointWithSecretSchema, "The endpoint, with its secret (shown once)"),
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
    const endpoint = await idempotent(c, idempotencyClaim(c, input, { sealed: true }), 201, (tx) =>
      createEndpoint(ctx, input, tx),
    );
    return c.json(endpoint, 201);
  },
);

webhookEndpointRoutes.openapi(
  createRoute({
    method: "get",
    path: "/webhook-endpoints/{endpointId}",
    tags: TAGS,
    summary: "One endpoint",
    security: SESSION,
    middleware: [session] as const,
    request: { params: EndpointParams },
    responses: {
      200: jsonContent(WebhookEndpointSchema, "The endpoint"),
      ...errorResponses(...AUTH_ERRORS.session, "not_found"),
    },
  }),
  async (c) => c.json(await getEndpoint(customerIdOf(c), c.req.valid("param").endpointId), 200),
);

webhookEndpointRoutes.openapi(
  createRoute({
    method: "patch",
    path: "/webhook-endpoints/{endpointId}",
    tags: TAGS,
    summary: "Change the URL, events or description; enable or disable it",
    security: SESSION,
    middleware: [session] as const,
    request: { params: EndpointParams, ...body(UpdateWebhookEndpointBodySchema) },
    responses: {
      200: jsonContent(WebhookEndpointSchema, "The updated endpoint"),
      ...errorResponses(...AUTH_ERRORS.session, "invalid_request", "not_found"),
    },
  }),
  async (c) =>
    c.json(await updateEndpoint(changeContext(c), c.req.valid("param").endpointId, c.req.valid("json")), 200),
);

webhookEndpointRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/webhook-endpoints/{endpointId}",
    tags: TAGS,
    summary: "Delete an endpoint and its delivery log; pending deliveries are not sent",
    security: SESSION,
    middleware: [session] as const,
    request: { params: EndpointParams },
    responses: {
      200: jsonContent(WebhookEndpointSchema, "The deleted endpoint"),
      ...errorResponses(...AUTH_ERRORS.session, "not_found"),
    },
  }),
  async (c) => c.json(await deleteEndpoint(changeContext(c), c.req.valid("param").endpointId), 200),
);

webhookEndpointRoutes.openapi(
  createRoute({
    method: "post",
    path: "/webhook-endpoints/{endpointId}/roll-secret",
    tags: TAGS,
    summary: "Replace the signing secret at once; the response is the only one that carries it",
    security: SESSION,
    middleware: [session] as const,
    request: { params: EndpointParams, headers: SealedIdempotency },
    responses: {
      200: jsonContent(WebhookEndpointWithSecretSchema, "The endpoint, with its new secret (shown once)"),
      ...errorResponses(...AUTH_ERRORS.session, "not_found", "idempotency_conflict"),
    },
  }),
  async (c) => {
    const ctx = changeContext(c);
    const { endpointId } = c.req.valid("param");
    const endpoint = await idempotent(c, idempotencyClaim(c, {}, { sealed: true }), 200, (tx) =>
      rollEndpointSecret(ctx, endpointId, tx),
    );
    return c.json(endpoint, 200);
  },
);

webhookEndpointRoutes.openapi(
  createRoute({
    method: "post",
    path: "/webhook-endpoints/{endpointId}/test",
    tags: TAGS,
    summary: "Send a webhook.test event to this endpoint now",
    security: SESSION,
    middleware: [session] as const,
    request: { params: EndpointParams, headers: Idempotency },
    responses: {
      201: jsonContent(WebhookDeliverySchema, "The delivery (due now; its attempts appear in the log)"),
      ...errorResponses(...AUTH_ERRORS.session, "not_found", "idempotency_conflict"),
    },
  }),
  async (c) => {
    const customerId = customerIdOf(c);
    const { endpointId } = c.req.valid("param");
    const delivery = await idempotent(c, idempotencyClaim(c, {}), 201, (tx) =>
      sendTestEvent(customerId, endpointId, tx),
    );
    return c.json(delivery, 201);
  },
);

webhookEndpointRoutes.openapi(
  createRoute({
    method: "get",
    path: "/webhook-deliveries",
    tags: TAGS,
    summary: "The delivery log, newest first, filtered by endpoint, status, event type or event id",
    security: SESSION,
    middleware: [session] as const,
    request: {
      query: WebhookDeliveryQuerySchema.extend({ endpoint_id: z.string().max(100).optional() }),
    },
    responses: {
      200: jsonContent(WebhookDeliveryListSchema, "Deliveries"),
      ...errorResponses(...AUTH_ERRORS.session, "invalid_request", "not_found"),
    },
  }),
  async (c) => c.json(await listDeliveries(customerIdOf(c), c.req.valid("query")), 200),
);

webhookEndpointRoutes.openapi(
  createRoute({
    method: "get",
    path: "/webhook-deliveries/{deliveryId}",
    tags: TAGS,
    summary: "One delivery with every attempt's request and response",
    security: SESSION,
    middleware: [session] as const,
    request: { params: DeliveryParams },
    responses: {
      200: jsonContent(WebhookDeliveryDetailSchema, "The delivery and its attempts"),
      ...errorResponses(...AUTH_ERRORS.session, "not_found"),
    },
  }),
  async (c) => c.json(await getDelivery(customerIdOf(c), c.req.valid("param").deliveryId), 200),
);

webhookEndpointRoutes.openapi(
  createRoute({
    method: "post",
    path: "/webhook-deliveries/{deliveryId}/resend",
    tags: TAGS,
    summary: "Send the same event (same id) to the same endpoint again, now",
    security: SESSION,
    middleware: [session] as const,
    request: { params: DeliveryParams, headers: Idempotency },
    responses: {
      201: jsonContent(WebhookDeliverySchema, "The new delivery"),
      ...errorResponses(...AUTH_ERRORS.session, "not_found", "idempotency_conflict"),
    },
  }),
  async (c) => {
    const customerId = customerIdOf(c);
    const { deliveryId } = c.req.valid("param");
    const delivery = await idempotent(c, idempotencyClaim(c, {}), 201, (tx) =>
      resendDelivery(customerId, deliveryId, tx),
    );
    return c.json(delivery, 201);
  },
);
