import { DomainError } from "../errors";
import { newId } from "../ids";
import { CLIENT_IP_HEADER } from "../net/client-ip";
import { assertNotLockedOut, recordAuthFailure } from "../ratelimit/limiter";
import { getAuth } from "./auth";

/**
 * better-auth's endpoints, behind our own limiter on our own client IP (its built-in one trusts the
 * spoofable X-Forwarded-For): an address with too many failed sign-ins is refused for the window.
 */
export async function handleAuthRequest(request: Request, clientIp?: string | null): Promise<Response> {
  const ip = clientIp ?? request.headers.get(CLIENT_IP_HEADER);
  const isSignIn = request.method === "POST" && new URL(request.url).pathname.includes("/sign-in/");
  if (isSignIn) {
    try {
      await assertNotLockedOut(ip);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const requestId = newId("req");
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
  }
  const response = await (await getAuth()).handler(request);
  if (isSignIn && response.status === 401) await recordAuthFailure(ip);
  return response;
}
