import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { HealthSchema } from "@/lib/api/contract/health.schema";
import { pingDb } from "../../db/client";
import { DomainError } from "../../errors";
import { pingRateLimiter } from "../../ratelimit/limiter";
import { errorResponses, jsonContent } from "../openapi-helpers";
import type { ApiEnv } from "../types";

export const health = new OpenAPIHono<ApiEnv>();

health.openapi(
  createRoute({
    method: "get",
    path: "/health",
    tags: ["Health"],
    summary: "Liveness of the API and its dependencies (no auth)",
    // Public: an empty requirement says so (an operation without one would inherit a default).
    security: [],
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
    const rateLimiter = await pingRateLimiter().then(
      () => "ok" as const,
      () => "down" as const,
    );
    if (database !== "ok" || rateLimiter !== "ok") {
      const down = [
        database !== "ok" && "the database",
        rateLimiter !== "ok" && "the rate limiter's store",
      ].filter(Boolean);
      throw new DomainError("service_unavailable", {
        message: `Unreachable: ${down.join(" and ")}.`,
        details: { database, rate_limiter: rateLimiter },
        retryAfter: 5,
      });
    }
    return c.json({ status: "ok" as const, database: "ok" as const, rate_limiter: "ok" as const }, 200);
  },
);
