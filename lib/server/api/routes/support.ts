import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { KeySchema } from "@/lib/api/contract/keys.schema";
import {
  AuditListSchema,
  AuditQuerySchema,
  CustomerPauseResultSchema,
  CustomerSummarySchema,
  LookupQuerySchema,
  LookupResultSchema,
  ReasonBodySchema,
  SupportProductListSchema,
  SupportProductSchema,
  SupportRequestSchema,
} from "@/lib/api/contract/support.schema";
import { type AuditActor, recordAudit } from "../../audit/audit";
import { getDb } from "../../db/client";
import { findRequestRow, requestNotFound } from "../../requests/find";
import { buildStory } from "../../requests/story";
import { listAudit } from "../../support/audit-list";
import { getCustomerSummary } from "../../support/customer-summary";
import { auditableQuery, lookup } from "../../support/lookup";
import { jobWebhookDeliveries } from "../../support/webhooks";
import { setCustomerPaused, setKeyPaused, setProductPaused, type StaffAction } from "../../support/pause";
import { listSupportProducts } from "../../support/products";
import { AUTH_ERRORS, requireAuth, sessionAuth } from "../middleware/auth";
import { errorResponses, jsonContent } from "../openapi-helpers";
import { idempotencyClaim, idempotent } from "../idempotent";
import type { ApiEnv } from "../types";

/** /support: staff only (anyone else gets 404). Every lookup and every action is audited. */
export const supportRoutes = new OpenAPIHono<ApiEnv>();

const TAGS = ["Support"];
const SESSION = [{ sessionCookie: [] }];
// Non-staff never learn these routes exist: 404, as for an unknown path (AUTH_ERRORS.support).
const READ_ERRORS = AUTH_ERRORS.support;
const WRITE_ERRORS = [...READ_ERRORS, "invalid_request", "invalid_state", "idempotency_conflict"] as const;

const pathParam = <N extends string>(name: N, example: string) =>
  z.object({
    [name]: z
      .string()
      .min(1)
      .max(100)
      .openapi({ param: { name, in: "path" }, example }),
  } as Record<N, z.ZodString>);

function actorOf(c: Context<ApiEnv>): AuditActor {
  const auth = sessionAuth(c);
  return { userId: auth.userId, email: auth.email, role: auth.role };
}

/** Staff reads are audited too: who looked at what, when. */
async function auditRead(
  c: Context<ApiEnv>,
  entry: {
    action: string;
    customerId: string | null;
    targetType: string;
    targetId: string;
    details?: object;
  },
) {
  await recordAudit(await getDb(), {
    actor: actorOf(c),
    action: entry.action,
    customerId: entry.customerId,
    targetType: entry.targetType,
    targetId: entry.targetId,
    requestId: c.get("requestId"),
    details: entry.details as Record<string, unknown> | undefined,
  });
}

supportRoutes.openapi(
  createRoute({
    method: "get",
    path: "/support/lookup",
    tags: TAGS,
    summary: "Find anything by id or email: request, job, key (id or prefix), customer, account email",
    security: SESSION,
    middleware: [requireAuth("support")] as const,
    request: { query: LookupQuerySchema },
    responses: {
      200: jsonContent(LookupResultSchema, "What the query names (empty when nothing)"),
      ...errorResponses(...READ_ERRORS, "invalid_request"),
    },
  }),
  async (c) => c.json(await auditedLookup(c, c.req.valid("query").q), 200),
);

// The same lookup with the query in the body: a pasted secret (sk_live_…) then lands in no URL, and
// so in no browser history, proxy log or Referer.
supportRoutes.openapi(
  createRoute({
    method: "post",
    path: "/support/lookup",
    tags: TAGS,
    summary: "Find anything by id or email, the query in the body (for pasted secrets)",
    security: SESSION,
    middleware: [requireAuth("support")] as const,
    request: { body: { content: { "application/json": { schema: LookupQuerySchema } }, required: true } },
    responses: {
      200: jsonContent(LookupResultSchema, "What the query names (empty when nothing)"),
      ...errorResponses(...READ_ERRORS, "invalid_request"),
    },
  }),
  async (c) => c.json(await auditedLookup(c, c.req.valid("json").q), 200),
);

async function auditedLookup(c: Context<ApiEnv>, q: string) {
  const data = await lookup(q);
  const first = data[0];
  await auditRead(c, {
    action: "support.lookup",
    customerId: first?.customer_id ?? null,
    targetType: first?.kind ?? "query",
    targetId: first?.id ?? auditableQuery(q),
    details: {
      q: auditableQuery(q),
      matches: data.map((m) => ({ kind: m.kind, id: m.id, customer_id: m.customer_id })),
    },
  });
  return { data, next_cursor: null };
}

supportRoutes.openapi(
  createRoute({
    method: "get",
    path: "/support/requests/{request_id}",
    tags: TAGS,
    summary: "Any customer's request: its story, its job's webhook deliveries, and the customer's summary",
    security: SESSION,
    middleware: [requireAuth("support")] as const,
    request: { params: pathParam("request_id", "req_01JZ8Q4W4G6V1Y2Q3R4S5T6U7V") },
    responses: {
      200: jsonContent(SupportRequestSchema, "The story and the customer"),
      ...errorResponses(...READ_ERRORS),
    },
  }),
  async (c) => {
    const { request_id: id } = c.req.valid("param");
    const row = await findRequestRow(id);
    if (!row) throw requestNotFound(id);
    const story = await buildStory(row);
    const [customer, deliveries] = await Promise.all([
      row.customerId ? getCustomerSummary(row.customerId) : null,
      story.job && row.customerId ? jobWebhookDeliveries(row.customerId, story.job.id) : null,
    ]);
    await auditRead(c, {
      action: "support.request.view",
      customerId: row.customerId,
      targetType: "request",
      targetId: id,
    });
    return c.json({ story, customer, job_webhook_deliveries: deliveries }, 200);
  },
);

supportRoutes.openapi(
  createRoute({
    method: "get",
    path: "/support/customers/{customer_id}",
    tags: TAGS,
    summary:
      "A customer: status (who paused it, when, why), balance, keys, recent errors and jobs, webhook endpoints and deliveries",
    security: SESSION,
    middleware: [requireAuth("support")] as const,
    request: { params: pathParam("customer_id", "cus_demo") },
    responses: {
      200: jsonContent(CustomerSummarySchema, "The customer"),
      ...errorResponses(...READ_ERRORS),
    },
  }),
  async (c) => {
    const { customer_id: id } = c.req.valid("param");
    const summary = await getCustomerSummary(id);
    await auditRead(c, {
      action: "support.customer.view",
      customerId: id,
      targetType: "customer",
      targetId: id,
    });
    return c.json(summary, 200);
  },
);

supportRoutes.openapi(
  createRoute({
    method: "get",
    path: "/support/products",
    tags: TAGS,
    summary: "Every product with its pause state",
    security: SESSION,
    middleware: [requireAuth("support")] as const,
    responses: {
      200: jsonContent(SupportProductListSchema, "The products"),
      ...errorResponses(...READ_ERRORS),
    },
  }),
  async (c) => c.json({ data: await listSupportProducts(), next_cursor: null }, 200),
);

supportRoutes.openapi(
  createRoute({
    method: "get",
    path: "/support/audit",
    tags: TAGS,
    summary: "The audit trail, newest first: every staff action and lookup (who, what, when, reason)",
    security: SESSION,
    middleware: [requireAuth("support")] as const,
    request: { query: AuditQuerySchema },
    responses: {
      200: jsonContent(AuditListSchema, "Audit entries, newest first"),
      ...errorResponses(...READ_ERRORS, "invalid_request"),
    },
  }),
  async (c) => c.json(await listAudit(c.req.valid("query")), 200),
);

type Target = "customers" | "keys" | "products";
const TARGETS: { target: Target; param: string; example: string; what: string; schema: z.ZodType }[] = [
  {
    target: "customers",
    param: "customer_id",
    example: "cus_demo",
    what: "a customer (ends its console sessions; its keys answer account_disabled)",
    schema: CustomerPauseResultSchema,
  },
  {
    target: "keys",
    param: "key_id",
    example: "key_01JZ8Q4W4G6V1Y2Q3R4S5T6U7V",
    what: "one API key of any customer",
    schema: KeySchema,
  },
  {
    target: "products",
    param: "product_id",
    example: "text-to-image",
    what: "a product for everyone (new jobs answer product_paused)",
    schema: SupportProductSchema,
  },
];

const ACTIONS = {
  customers: setCustomerPaused,
  keys: setKeyPaused,
  products: setProductPaused,
} satisfies Record<Target, (tx: never, id: string, paused: boolean, action: StaffAction) => Promise<unknown>>;

/** The new state a pause or unpause answers with: a customer's, a key's or a product's. */
type PauseResult = Awaited<ReturnType<(typeof ACTIONS)[Target]>>;

for (const { target, param, example, what, schema } of TARGETS) {
  for (const verb of ["pause", "unpause"] as const) {
    supportRoutes.openapi(
      createRoute({
        method: "post",
        path: `/support/${target}/{${param}}/${verb}`,
        tags: TAGS,
        summary: `${verb === "pause" ? "Pause" : "Unpause"} ${what}; a reason is required and audited`,
        security: SESSION,
        middleware: [requireAuth("support")] as const,
        request: {
          params: pathParam(param, example),
          body: { content: { "application/json": { schema: ReasonBodySchema } }, required: true },
        },
        responses: {
          200: jsonContent(schema, "The new state"),
          ...errorResponses(...WRITE_ERRORS),
        },
      }),
      async (c) => {
        const id = (c.req.valid("param") as Record<string, string>)[param]!;
        const body = c.req.valid("json");
        const action: StaffAction = { actor: actorOf(c), reason: body.reason, requestId: c.get("requestId") };
        const state = await idempotent<PauseResult>(c, idempotencyClaim(c, body), 200, (tx) =>
          ACTIONS[target](tx, id, verb === "pause", action),
        );
        return c.json(state, 200);
      },
    );
  }
}
