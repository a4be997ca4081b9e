import type { Context } from "hono";
import { ownOrigin } from "../../auth/origin";
import { env } from "../../env";
import { authorizeKeyRequest } from "../../keys/authenticate";
import type { ApiEnv } from "../types";

/**
 * Bearer key authentication: authentication → paused key or customer → IP → origin (API.md's order).
 * `auth` is set as soon as the key is known, so later refusals are logged against the key.
 */
export async function authenticateKey(c: Context<ApiEnv>, authorization: string): Promise<void> {
  const origin = requestOrigin(c.req.raw);
  // The request log keeps the origin the allowlists judged (a same-origin GET's own origin, though it
  // sent no Origin header), so the allowlist preview replays what enforcement saw.
  if (origin !== undefined) c.set("enforcedOrigin", origin);
  const key = await authorizeKeyRequest({
    authorization,
    clientIp: c.get("clientIp"),
    origin,
    onAuthenticated: (k) => c.set("auth", { kind: "key", ...k }),
  });
  const { wouldRefuse, ...auth } = key;
  c.set("auth", { kind: "key", ...auth });
  if (wouldRefuse) c.set("wouldRefuse", wouldRefuse);
}

/**
 * The origin a request comes from. Browsers leave `Origin` off same-origin GETs (a playground polling
 * its job) but always send `Sec-Fetch-Site`, which a page can't set: a same-origin request comes from
 * the origin it was sent to. A program could claim that header, just as it could claim any `Origin`,
 * so this grants nothing `Origin` doesn't.
 */
function requestOrigin(request: Request): string | undefined {
  const origin = request.headers.get("origin");
  if (origin !== null) return origin;
  if (request.headers.get("sec-fetch-site") !== "same-origin") return undefined;
  const self = ownOrigin(request);
  // Behind a TLS-terminating proxy the URL says http: APP_URL knows the public scheme for its host.
  const configured = env().APP_URL;
  return configured && new URL(configured).host === new URL(self).host ? new URL(configured).origin : self;
}
