import { eq } from "drizzle-orm";
import { getDb } from "../db/client";
import { apiKeys, customers, keySecrets } from "../db/schema";
import { DomainError } from "../errors";
import { evaluateWithShadow } from "./allowlist";
import { cachedKeyRow } from "./auth-cache";
import { bearerToken, displayPrefix, hashSecret, isWellFormedSecret, sameHash } from "./secret";
import { touchKeyUsage } from "./usage";

export type AuthenticatedKey = { keyId: string; keyPrefix: string; customerId: string };

/** An authorised request, and the code the key's shadow allowlist would have refused it with (or null). */
export type AuthorizedKey = AuthenticatedKey & {
  wouldRefuse: "ip_not_allowed" | "origin_not_allowed" | null;
};

const failed = (message: string) => new DomainError("authentication_failed", { message });

/**
 * Step 1, authentication: a well-formed secret (checked before any query) whose hash names a live key
 * and a live secret. Missing, malformed, unknown, revoked or expired → authentication_failed.
 */
export async function authenticateSecret(authorization: string | null | undefined, now = new Date()) {
  const token = bearerToken(authorization);
  if (!token) throw failed("Send Authorization: Bearer sk_live_….");
  if (!isWellFormedSecret(token)) {
    throw failed("That is not a valid API key (wrong format or checksum). Copy it again from the console.");
  }
  const hash = hashSecret(token);
  // Served from this process's cache when it holds the row (auth-cache.ts: forgotten on every change).
  const row = await cachedKeyRow(hash, () => readKeyRow(hash));
  if (!row || !sameHash(row.secretHash, hash)) throw failed("Unknown API key.");
  if (row.status === "revoked") throw failed("This API key was revoked.");
  if (row.keyExpiresAt && row.keyExpiresAt <= now) throw failed("This API key has expired.");
  if (row.secretExpiresAt && row.secretExpiresAt <= now) {
    throw failed("This secret was rolled and has expired. Use the key's new secret.");
  }
  // The prefix of the secret actually used (an old one still in its grace period has its own).
  return { ...row, prefix: displayPrefix(token) };
}

/** What a verdict reads about a secret: one indexed look-up (the secret, its key, the key's customer). */
async function readKeyRow(hash: string) {
  const db = await getDb();
  const [row] = await db
    .select({
      secretHash: keySecrets.secretHash,
      secretExpiresAt: keySecrets.expiresAt,
      keyId: apiKeys.id,
      prefix: apiKeys.prefix,
      status: apiKeys.status,
      keyExpiresAt: apiKeys.expiresAt,
      allowedIps: apiKeys.allowedIps,
      allowedOrigins: apiKeys.allowedOrigins,
      shadowAllowedIps: apiKeys.shadowAllowedIps,
      shadowAllowedOrigins: apiKeys.shadowAllowedOrigins,
      shadowEndsAt: apiKeys.shadowEndsAt,
      customerId: apiKeys.customerId,
      customerStatus: customers.status,
    })
    .from(keySecrets)
    .innerJoin(apiKeys, eq(apiKeys.id, keySecrets.keyId))
    .innerJoin(customers, eq(customers.id, apiKeys.customerId))
    .where(eq(keySecrets.secretHash, hash));
  return row;
}

export type KeyAuthorizationInput = {
  authorization: string | null | undefined;
  clientIp: string | null;
  origin: string | null | undefined;
  /** Called as soon as the key is known, before the later checks, so their refusals are attributed. */
  onAuthenticated?: (key: AuthenticatedKey) => void;
};

/**
 * Bearer authorisation in API.md's order: authentication → paused (customer, key) → IP → origin. A shadow
 * list never refuses: it only says what it would have answered (`wouldRefuse`, for the request log).
 */
export async function authorizeKeyRequest(input: KeyAuthorizationInput): Promise<AuthorizedKey> {
  const row = await authenticateSecret(input.authorization);
  const key = { keyId: row.keyId, keyPrefix: row.prefix, customerId: row.customerId };
  input.onAuthenticated?.(key);
  if (row.customerStatus === "paused") {
    throw new DomainError("account_disabled", {
      message: "This account is paused. Contact support.",
      details: { scope: "customer" },
    });
  }
  if (row.status === "paused") {
    throw new DomainError("account_disabled", {
      message: "This key is paused. Resume it in the console.",
      details: { scope: "key" },
    });
  }
  const origin = input.origin ?? null;
  const { verdict, wouldRefuse } = evaluateWithShadow(row, { ip: input.clientIp, origin }, new Date());
  if (verdict.code === "ip_not_allowed") {
    throw new DomainError("ip_not_allowed", {
      message: `${verdict.ip.value ?? "This client IP"} is not in this key's allowed IPs.`,
      details: { ip: verdict.ip.value },
    });
  }
  if (verdict.code === "origin_not_allowed") {
    throw new DomainError("origin_not_allowed", {
      message:
        origin === null || origin === "null"
          ? "This key only accepts requests from its allowed origins, and this one sent none."
          : `${origin} is not in this key's allowed origins.`,
      details: { origin: origin?.slice(0, 500) ?? null },
    });
  }
  touchKeyUsage(row.keyId, input.clientIp, origin);
  return { ...key, wouldRefuse };
}
