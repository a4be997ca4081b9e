import { OpenAPIHono } from "@hono/zod-openapi";
import { HTTPException } from "hono/http-exception";
import { env } from "../env";
import { DomainError, isDatabaseUnavailable } from "../errors";
import { errorResponse } from "./envelope";
import { ReplayedResponse } from "./idempotent";
import { limitBodies } from "./middleware/body-limit";
import { requestContext } from "./middleware/request-context";
import { auditRoutes } from "./routes/audit";
import { billingRoutes } from "./routes/billing";
import { eventRoutes } from "./routes/events";
import { health } from "./routes/health";
import { jobRoutes } from "./routes/jobs";
import { keyRoutes } from "./routes/keys";
import { memberRoutes } from "./routes/members";
import { productRoutes } from "./routes/products";
import { requestRoutes } from "./routes/requests";
import { supportRoutes } from "./routes/support";
import { uploadRoutes } from "./routes/uploads";
import { webhookEndpointRoutes } from "./routes/webhook-endpoints";
import { webhookRoutes } from "./routes/webhooks";
import type { ApiEnv } from "./types";
import { pgErrorCode } from "../db/pg-error";
import { redactedError, stackFrames } from "../auth/log";
import { unstorableTextError, unstorableTextFromDatabase, validationError } from "./validation";

export const API_BASE = "/api/v1";

/** The platform API: one Hono app, mounted in Next at /api/v1 or served alone (`npm run api`). */
export function createApiApp() {
  const app = new OpenAPIHono<ApiEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error, result.target);
      const unstorable = unstorableTextError(result.data, result.target);
      if (unstorable) throw unstorable;
    },
  }).basePath(API_BASE);

  app.use("*", requestContext);
  app.use("*", limitBodies);
  // The baseline of bench/: the same server and middleware, no auth, no database.
  if (env().BENCH_ROUTES) app.get("/__bench/noop", (c) => c.json({ ok: true }));

  app.route("/", health);
  app.route("/", productRoutes);
  app.route("/", billingRoutes);
  app.route("/", keyRoutes);
  app.route("/", memberRoutes);
  app.route("/", auditRoutes);
  app.route("/", requestRoutes);
  app.route("/", supportRoutes);
  app.route("/", webhookRoutes);
  app.route("/", webhookEndpointRoutes);
  app.route("/", eventRoutes);
  app.route("/", jobRoutes);
  app.route("/", uploadRoutes);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "sk_live_… API key",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "sessionCookie", {
    type: "apiKey",
    in: "cookie",
    name: "genmedia.session_token",
  });
  // Generated and serialised once, on first request (every route is registered by then): building it
  // costs ~20 ms of CPU and this route is public, so doing it per request would be a free CPU sink.
  let openApiJson: string | undefined;
  app.get("/openapi.json", (c) => {
    openApiJson ??= JSON.stringify(openApiDocument(app));
    return c.body(openApiJson, 200, { "Content-Type": "application/json" });
  });

  app.notFound((c) =>
    errorResponse(
      c,
      new DomainError("not_found", { message: `No route for ${c.req.method} ${c.req.path}.` }),
    ),
  );

  app.onError((error, c) => {
    if (error instanceof DomainError) return errorResponse(c, error);
    if (error instanceof ReplayedResponse) return error.response;
    if (error instanceof HTTPException && (error.status === 400 || error.status === 415)) {
      // Malformed JSON never reaches zod: Hono's body parser throws this.
      return errorResponse(
        c,
        new DomainError("invalid_request", {
          message: "The body is not valid JSON.",
          details: { fields: [{ path: "body", message: "Malformed JSON" }] },
        }),
      );
    }
    // 22021: text with a NUL character (Postgres cannot store it) that no validator saw: the input's fault.
    if (pgErrorCode(error) === "22021") return errorResponse(c, unstorableTextFromDatabase());
    if (isDatabaseUnavailable(error)) {
      return errorResponse(
        c,
        new DomainError("service_unavailable", {
          message: "The database is unreachable. Retry with backoff.",
          retryAfter: 2,
        }),
      );
    }
    console.error(
      JSON.stringify({
        level: "error",
        msg: "unhandled API error",
        request_id: c.get("requestId"),
        // Redacted: a database error's message carries the query's parameters (a session token…).
        error: redactedError(error),
        stack: stackFrames(error),
      }),
    );
    return errorResponse(c, new DomainError("internal_error"));
  });

  return app;
}

export type ApiApp = ReturnType<typeof createApiApp>;

/** The OpenAPI 3.1 document GET /openapi.json serves (and `npm run sdk:generate` writes to sdk/). */
export function openApiDocument(app: Pick<ApiApp, "getOpenAPI31Document">) {
  return app.getOpenAPI31Document({
    openapi: "3.1.0",
    info: {
      title: "Generative media platform API",
      version: "1.0.0",
      description: "Errors use one envelope: {error: {code, message, request_id, details?}}.",
    },
    servers: [{ url: "/" }],
  });
}

let app: ApiApp | undefined;

export function getApiApp(): ApiApp {
  return (app ??= createApiApp());
}
