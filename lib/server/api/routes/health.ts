import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { HealthSchema } from "@/lib/api/contract/health.schema";
import { pingDb } from "../../db/client";
import { DomainError } from "../../errors";
import { errorResponses, jsonContent } from "../openapi-helpers";
import type { ApiEnv } from "../types";

export const health = new OpenAPIHono<ApiEnv>();

health.openapi(
  createRoute({
    method: "get",
    path: "/health",
    tags: ["Health"],
    summary: "Liveness of the API and its dependencies (no auth)",
    responses: {
      200: jsonContent(HealthSchema, "Everything is up"),
      ...errorResponses("service_unavailable"),
    },
  }),
  async (c) => {
    const database = await pingDb().then(
      () => "ok" as const,
      () => "down" as const,
    );
    const rateLimiter = "ok" as const;
    if (database !== "ok") {
      throw new DomainError("service_unavailable", {
        message: "The database is unreachable.",
        details: { database, rate_limiter: rateLimiter },
        retryAfter: 5,
      });
    }
    return c.json({ status: "ok" as const, database, rate_limiter: rateLimiter }, 200);
  },
);
