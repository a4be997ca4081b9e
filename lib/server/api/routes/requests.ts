import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import {
  RequestListQuerySchema,
  RequestListSchema,
  RequestStorySchema,
  RequestSummaryQuerySchema,
  RequestSummarySchema,
} from "@/lib/api/contract/requests.schema";
import { findRequestRow, requestNotFound } from "../../requests/find";
import { listRequests, summarizeRequests } from "../../requests/list";
import { buildStory } from "../../requests/story";
import { AUTH_ERRORS, customerIdOf, requireAuth } from "../middleware/auth";
import { errorResponses, jsonContent, SECURITY } from "../openapi-helpers";
import type { ApiEnv } from "../types";

/** /requests: a customer's own request log (a key or the console session), and one request's story. */
export const requestRoutes = new OpenAPIHono<ApiEnv>();

const TAGS = ["Request log"];
requestRoutes.openapi(
  createRoute({
    method: "get",
    path: "/requests",
    tags: TAGS,
    summary: "Your requests, newest first (keyset pagination), with filters",
    security: SECURITY,
    middleware: [requireAuth("any")] as const,
    request: { query: RequestListQuerySchema },
    responses: {
      200: jsonContent(RequestListSchema, "Requests, newest first"),
      ...errorResponses(...AUTH_ERRORS.any, "invalid_request", "not_found"),
    },
  }),
  async (c) => c.json(await listRequests(customerIdOf(c), c.req.valid("query")), 200),
);

// Registered before /requests/{request_id}, which would otherwise take "summary" for an id.
requestRoutes.openapi(
  createRoute({
    method: "get",
    path: "/requests/summary",
    tags: TAGS,
    summary: "What keeps failing: error codes with counts over a time range (default: the last 24 hours)",
    security: SECURITY,
    middleware: [requireAuth("any")] as const,
    request: { query: RequestSummaryQuerySchema },
    responses: {
      200: jsonContent(RequestSummarySchema, "Counts per status class and per error code"),
      ...errorResponses(...AUTH_ERRORS.any, "invalid_request", "not_found"),
    },
  }),
  async (c) => c.json(await summarizeRequests(customerIdOf(c), c.req.valid("query")), 200),
);

requestRoutes.openapi(
  createRoute({
    method: "get",
    path: "/requests/{request_id}",
    tags: TAGS,
    summary: "One request's story: the key and its allowlist decision, the job, the credits, the fix",
    security: SECURITY,
    middleware: [requireAuth("any")] as const,
    request: {
      params: z.object({
        request_id: z
          .string()
          .min(1)
          .max(100)
          .openapi({ param: { name: "request_id", in: "path" }, example: "req_01JZ8Q4W4G6V1Y2Q3R4S5T6U7V" }),
      }),
    },
    responses: {
      200: jsonContent(RequestStorySchema, "The story"),
      ...errorResponses(...AUTH_ERRORS.any, "not_found"),
    },
  }),
  async (c) => {
    const { request_id: id } = c.req.valid("param");
    const row = await findRequestRow(id, customerIdOf(c));
    if (!row) throw requestNotFound(id);
    return c.json(await buildStory(row), 200);
  },
);
