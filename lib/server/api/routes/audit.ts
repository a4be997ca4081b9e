import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { CustomerAuditListSchema, CustomerAuditQuerySchema } from "@/lib/api/contract/audit.schema";
import { listCustomerAudit } from "../../audit/customer-log";
import { AUTH_ERRORS, customerIdOf, requireAuth } from "../middleware/auth";
import { errorResponses, jsonContent } from "../openapi-helpers";
import type { ApiEnv } from "../types";

/** /audit: the customer's own audit log, console session only (owners and admins: audit.read). */
export const auditRoutes = new OpenAPIHono<ApiEnv>();

auditRoutes.openapi(
  createRoute({
    method: "get",
    path: "/audit",
    tags: ["Audit"],
    summary: "Every change to the account: who, when, what changed (before → after), and the request",
    description:
      "Changes by the account's members (keys and their allowlists, billing settings, top-ups, webhook " +
      "endpoints, members) and by API keys (top-ups), and support staff's actions on the account with " +
      "their reason; staff lookups are not listed. Newest first. Filters: `category`, `action`, `actor` " +
      "(a member's email or user id, or `staff`), `target` (an id), `from`/`to`. Owners and admins only.",
    security: [{ sessionCookie: [] }],
    middleware: [requireAuth("session")] as const,
    request: { query: CustomerAuditQuerySchema },
    responses: {
      200: jsonContent(CustomerAuditListSchema, "One page of audit entries"),
      ...errorResponses(...AUTH_ERRORS.session, "invalid_request"),
    },
  }),
  async (c) => c.json(await listCustomerAudit(customerIdOf(c), c.req.valid("query")), 200),
);
