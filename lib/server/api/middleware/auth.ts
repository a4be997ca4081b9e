import type { Context, MiddlewareHandler } from "hono";
import type { ErrorCode } from "@/lib/api/contract/error-codes";
import { can, type Permission, ROLE_LABELS } from "@/lib/api/contract/roles";
import { getConsoleSession } from "../../auth/session";
import { appOrigin } from "../../auth/origin";
import { DomainError } from "../../errors";
import { consumeRequest, recordAuthFailure } from "../../ratelimit/limiter";
import type { ApiEnv, SessionAuth } from "../types";
import { ROUTE_PERMISSIONS, routeKey } from "../permissions";
import { authenticateKey } from "./key-auth";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export type AuthMode = "any" | "session" | "support";

/**
 * `body`: what a cookie-authenticated mutation may carry: JSON everywhere, multipart where a route takes
 * files. `permission`: for a route outside the app's table (ROUTE_PERMISSIONS), such as a test harness's.
 */
export type AuthOptions = { body?: "json" | "multipart"; permission?: Permission | null };

const BODY_TYPES = { json: "application/json", multipart: "multipart/form-data" } as const;

/**
 * Every catalog code requireAuth(mode) can answer with (authentication, paused account or key, IP and
 * origin allowlists, CSRF, the rate limiter — 503 rate_limiter_unavailable when its store is down, as
 * it fails closed). Each route documents these for its mode: `errorResponses(...AUTH_ERRORS[mode], …)`.
 */
export const AUTH_ERRORS = {
  // not_found: a console member whose role lacks the route's permission (checkRole).
  any: [
    "authentication_failed",
    "account_disabled",
    "not_found",
    "ip_not_allowed",
    "origin_not_allowed",
    "rate_limited",
    "rate_limiter_unavailable",
  ],
  session: [
    "authentication_failed",
    "account_disabled",
    "not_found",
    "origin_not_allowed",
    "rate_limited",
    "rate_limiter_unavailable",
  ],
  // Anyone but staff gets 404, as for an unknown path.
  support: [
    "not_found",
    "account_disabled",
    "origin_not_allowed",
    "rate_limited",
    "rate_limiter_unavailable",
  ],
} as const satisfies Record<AuthMode, readonly ErrorCode[]>;

/**
 * Authentication for a route. "any": a key (Bearer) or a console session; "session": console only;
 * "support": console session with the platform support role — everyone else gets 404, not 403.
 */
export function requireAuth(mode: AuthMode, options: AuthOptions = {}): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    // API.md's order: authentication → paused → IP → origin (key auth) → rate limit → validation.
    try {
      await authenticate(c, mode, options);
    } catch (error) {
      // Failed authentications count against the client IP, so keys and passwords can't be guessed at
      // speed: past the limit a failure is a 429, not a 401. Only failures are refused: a valid key or
      // session behind the same address (a shared NAT) still passes, and costs no lockout read.
      if (error instanceof DomainError && error.code === "authentication_failed") {
        await recordAuthFailure(c.get("clientIp"));
      }
      throw error;
    }
    checkRole(c, options);
    await applyRateLimit(c);
    return next();
  };
}

/**
 * Whether a request's credentials still hold for the customer it began with — for a response that
 * outlives the moment it was authenticated (GET /events/stream): the session not signed out or revoked,
 * the person still a member of that customer, the key not revoked or paused, the account not paused.
 */
export async function stillAuthenticated(c: Context<ApiEnv>): Promise<boolean> {
  const customerId = c.get("auth")?.customerId ?? null;
  try {
    await authenticate(c, "any", {});
  } catch {
    return false;
  }
  return customerId !== null && c.get("auth")?.customerId === customerId;
}

async function authenticate(c: Context<ApiEnv>, mode: AuthMode, options: AuthOptions): Promise<void> {
  const authorization = c.req.header("authorization");
  if (authorization !== undefined && mode === "any") {
    await authenticateKey(c, authorization);
    return;
  }
  const session = await getConsoleSession(c.req.raw.headers);
  if (!session) {
    if (mode === "support") throw new DomainError("not_found");
    throw new DomainError("authentication_failed", {
      message:
        authorization !== undefined
          ? "This endpoint takes a console session, not an API key."
          : "Sign in, or send Authorization: Bearer sk_live_….",
    });
  }
  const auth: SessionAuth = {
    kind: "session",
    userId: session.user.id,
    email: session.user.email,
    role: session.user.role,
    customerId: session.customer?.id ?? null,
    sessionId: session.sessionId,
  };
  c.set("auth", auth);
  if (mode === "support" && auth.role !== "support") throw new DomainError("not_found");
  if (!SAFE_METHODS.has(c.req.method)) checkCsrf(c, BODY_TYPES[options.body ?? "json"]);
  if (session.customer?.status === "paused") {
    throw new DomainError("account_disabled", {
      message: "This account is paused. Contact support.",
      details: { scope: "customer" },
    });
  }
}

/** Per key, or per customer for console sessions (per user for staff). Sets X-RateLimit-* headers. */
async function applyRateLimit(c: Context<ApiEnv>): Promise<void> {
  const auth = c.get("auth");
  const key =
    auth?.kind === "key"
      ? `key:${auth.keyId}`
      : auth?.customerId
        ? `cus:${auth.customerId}`
        : `user:${auth?.kind === "session" ? auth.userId : "anonymous"}`;
  try {
    const quota = await consumeRequest(key);
    c.header("X-RateLimit-Limit", String(quota.limit));
    c.header("X-RateLimit-Remaining", String(quota.remaining));
    c.header("X-RateLimit-Reset", String(quota.resetSeconds));
  } catch (error) {
    if (error instanceof DomainError && error.code === "rate_limited") {
      const details = error.details as { limit: number; retry_after: number };
      c.header("X-RateLimit-Limit", String(details.limit));
      c.header("X-RateLimit-Remaining", "0");
      c.header("X-RateLimit-Reset", String(details.retry_after));
    }
    throw error;
  }
}

/**
 * Cookie-authenticated mutations must come from the console's own origin, with the route's body type
 * (JSON, or multipart for uploads): a cross-site page cannot send our Origin.
 */
function checkCsrf(c: Parameters<MiddlewareHandler<ApiEnv>>[0], bodyType: string) {
  const origin = c.req.header("origin") ?? null;
  const contentType = (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
  if (origin !== appOrigin(c.req.raw) || contentType !== bodyType) {
    throw new DomainError("origin_not_allowed", {
      message: "Console requests that change state must come from the console itself, as JSON.",
      details: { origin },
    });
  }
}

/**
 * A console member may call a route only if their role has the route's permission (the table in
 * lib/server/api/permissions.ts over lib/api/contract/roles.ts). An API key acts for the whole
 * customer; staff have no customer (customer routes answer them 404 by `customerIdOf`). Refused: 404
 * like the support routes — the catalog has no "forbidden" — with `details.reason = "role"`.
 */
function checkRole(c: Context<ApiEnv>, options: AuthOptions): void {
  const auth = c.get("auth");
  if (auth?.kind !== "session" || auth.role === "support") return;
  const route = routeKey(c.req.method === "HEAD" ? "GET" : c.req.method, c.req.routePath);
  const permission = options.permission !== undefined ? options.permission : ROUTE_PERMISSIONS[route];
  if (permission === undefined) throw new Error(`${route} has no row in ROUTE_PERMISSIONS`);
  if (permission === null || can(auth.role, permission)) return;
  throw new DomainError("not_found", {
    message: `Your role in this account (${ROLE_LABELS[auth.role]}) cannot do this; an owner or admin can change your role.`,
    details: { reason: "role", role: auth.role, permission },
  });
}

export function sessionAuth(c: { get(key: "auth"): ApiEnv["Variables"]["auth"] }): SessionAuth {
  const auth = c.get("auth");
  if (auth?.kind !== "session") throw new DomainError("authentication_failed");
  return auth;
}

/** The customer this request acts for (key or session). Staff without a customer get 404. */
export function customerIdOf(c: { get(key: "auth"): ApiEnv["Variables"]["auth"] }): string {
  const id = c.get("auth")?.customerId;
  if (!id) throw new DomainError("not_found", { message: "This account has no customer." });
  return id;
}
