import type { AuditActor } from "../audit/audit";
import { sessionAuth } from "./middleware/auth";
import type { ApiEnv } from "./types";

/** Who this request acts as, for the audit trail: the signed-in person, or the API key (no person). */
export function auditActorOf(c: { get(key: "auth"): ApiEnv["Variables"]["auth"] }): AuditActor {
  const auth = c.get("auth");
  if (auth?.kind === "key") {
    return { userId: null, email: null, role: "api_key", key: { id: auth.keyId, prefix: auth.keyPrefix } };
  }
  const session = sessionAuth(c);
  return { userId: session.userId, email: session.email, role: session.role };
}
