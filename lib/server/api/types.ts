import type { HttpBindings } from "@hono/node-server";
import type { Role } from "@/lib/api/contract/session.schema";

export type SessionAuth = {
  kind: "session";
  userId: string;
  email: string;
  role: Role;
  customerId: string | null;
  sessionId: string;
};

export type KeyAuth = { kind: "key"; keyId: string; keyPrefix: string; customerId: string };

export type AuthContext = SessionAuth | KeyAuth;

export type ApiEnv = {
  // Present only when served by @hono/node-server (standalone); mounted in Next there is no socket.
  Bindings: Partial<HttpBindings>;
  Variables: {
    requestId: string;
    clientIp: string | null;
    auth?: AuthContext;
    errorCode?: string;
    /** The error's scalar details, for the request log (errorDetailsForLog). */
    errorDetails?: Record<string, string | number | boolean | null>;
    jobId?: string;
    /** What the key's shadow allowlist would have answered this request (it was let through). */
    wouldRefuse?: string;
    /** The origin a key's allowlists judged: the Origin header, or a same-origin GET's own origin. */
    enforcedOrigin?: string;
  };
};
