import type { Context } from "hono";
import { authorizeKeyRequest } from "../../keys/authenticate";
import type { ApiEnv } from "../types";

/**
 * Bearer key authentication: authentication → paused key or customer → IP → origin (API.md's order).
 * `auth` is set as soon as the key is known, so later refusals are logged against the key.
 */
export async function authenticateKey(c: Context<ApiEnv>, authorization: string): Promise<void> {
  const key = await authorizeKeyRequest({
    authorization,
    clientIp: c.get("clientIp"),
    origin: c.req.header("origin"),
    onAuthenticated: (k) => c.set("auth", { kind: "key", ...k }),
  });
  c.set("auth", { kind: "key", ...key });
}
