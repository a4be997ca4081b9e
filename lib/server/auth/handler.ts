import { pingDb } from "../db/client";
import { bodyTooLarge, DomainError, isDatabaseUnavailable } from "../errors";
import { newId } from "../ids";
import { CLIENT_IP_HEADER } from "../net/client-ip";
import { takeSignInAttempt } from "../ratelimit/limiter";
import { getAuth } from "./auth";
import { redactedError } from "./log";

/**
 * better-auth's endpoints, behind our own limiter on our own client IP (its built-in one trusts the
 * spoofable X-Forwarded-For): an address with too many failed sign-ins is refused for the window.
 */
export async function handleAuthRequest(request: Request, clientIp?: string | null): Promise<Response> {
  const ip = clientIp === undefined ? request.headers.get(CLIENT_IP_HEADER) : clientIp;
  // Standalone API server: no server.ts in front replaced a client-sent copy of the header
  // better-auth reads (ipAddressHeaders), so the socket's address replaces it here.
  if (clientIp !== undefined) request = withClientIp(request, clientIp);
  // Bounded before better-auth (or our email lookup) reads it: its bodies are a few hundred bytes.
  if (request.body) {
    const body = await readCapped(request, AUTH_BODY_LIMIT);
    if (!body) return refusal(bodyTooLarge(AUTH_BODY_LIMIT));
    request = new Request(request, { body: body as BodyInit });
  }
  const path = new URL(request.url).pathname;
  const isSignIn = request.method === "POST" && path.includes("/sign-in/");
  // Sign-up answers whether an email is registered: its probes count like failed sign-ins.
  const isSignUp = request.method === "POST" && path.includes("/sign-up/");
  let giveBack: (() => Promise<void>) | undefined;
  if (isSignIn || isSignUp) {
    try {
      giveBack = await takeSignInAttempt(ip, isSignIn ? await signInEmail(request) : null);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return refusal(error);
    }
  }
  let response: Response;
  try {
    response = await (await getAuth()).handler(request);
  } catch (error) {
    // better-auth rethrows what it did not expect (onAPIError.throw): a database that went away is a
    // 503 like anywhere else under /api; anything else a 500 — in our envelope, never its empty body.
    if (isDatabaseUnavailable(error)) return refusal(databaseDown());
    const requestId = newId("req");
    console.error(
      JSON.stringify({
        level: "error",
        msg: "unhandled auth error",
        request_id: requestId,
        error: redactedError(error),
      }),
    );
    return refusal(new DomainError("internal_error"), requestId);
  }
  // Some endpoints catch the driver's error themselves and answer 500 ("Failed to get session").
  if (response.status >= 500 && !(await databaseReachable())) return refusal(databaseDown());
  // Only a wrong password, or a sign-up that did not create an account, keeps its point.
  if (giveBack && (isSignIn ? response.status !== 401 : response.ok)) await giveBack();
  return response;
}

/** The account a sign-in names, read from a copy of the body (better-auth reads the original). */
async function signInEmail(request: Request): Promise<string | null> {
  try {
    const body = (await request.clone().json()) as { email?: unknown } | null;
    return typeof body?.email === "string" ? body.email.slice(0, 320) : null;
  } catch {
    return null;
  }
}

const AUTH_BODY_LIMIT = 16 * 1024;

/** The body, or null once it passes `max` bytes (by Content-Length, or while it streams). */
async function readCapped(request: Request, max: number): Promise<Uint8Array | null> {
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (declared > max) return null;
  const reader = request.body!.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

function withClientIp(request: Request, clientIp: string | null): Request {
  const headers = new Headers(request.headers);
  headers.delete(CLIENT_IP_HEADER);
  if (clientIp) headers.set(CLIENT_IP_HEADER, clientIp);
  return new Request(request, { headers, duplex: "half" } as RequestInit);
}

const databaseReachable = () =>
  pingDb().then(
    () => true,
    () => false,
  );

function databaseDown(): DomainError {
  return new DomainError("service_unavailable", {
    message: "The database is unreachable. Retry with backoff.",
    retryAfter: 2,
  });
}

/** Our envelope, plus the top-level `code`/`message` better-auth's client reads. */
function refusal(error: DomainError, requestId = newId("req")): Response {
  const headers: Record<string, string> = { "x-request-id": requestId };
  if (error.retryAfter) headers["retry-after"] = String(error.retryAfter);
  return Response.json(
    {
      code: error.code.toUpperCase(),
      message: error.message,
      error: { code: error.code, message: error.message, request_id: requestId, details: error.details },
    },
    { status: error.status, headers },
  );
}
