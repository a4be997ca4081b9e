import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from "node:crypto";
import { serverSecret } from "../env";

/**
 * Webhook signing secrets. The receiver needs the secret itself to verify an HMAC, so unlike an API key
 * it cannot be stored as a hash: it is stored sealed (AES-256-GCM under a key derived from the server's
 * secret, bound to its endpoint's id), shown once at creation and at each roll, and opened only to sign.
 */
export const WEBHOOK_SECRET_PREFIX = "whsec_";
const KEY_BYTES = 24;
/** `whsec_` and the first 4 characters of the base64 key. */
export const SECRET_DISPLAY_LENGTH = WEBHOOK_SECRET_PREFIX.length + 4;

export function generateWebhookSecret(): string {
  return WEBHOOK_SECRET_PREFIX + randomBytes(KEY_BYTES).toString("base64");
}

/** The HMAC key a `whsec_…` secret stands for: the base64 after the prefix (the Standard Webhooks scheme). */
export function signingKey(secret: string): Buffer {
  return Buffer.from(secret.slice(WEBHOOK_SECRET_PREFIX.length), "base64");
}

function cipherKey(): Buffer {
  return Buffer.from(hkdfSync("sha256", serverSecret(), "genmedia", "webhook-signing-secret", 32));
}

export function sealSecret(endpointId: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", cipherKey(), iv);
  cipher.setAAD(Buffer.from(endpointId));
  const data = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), data]).toString("base64");
}

export function openSecret(endpointId: string, sealed: string): string {
  const raw = Buffer.from(sealed, "base64");
  const decipher = createDecipheriv("aes-256-gcm", cipherKey(), raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(endpointId));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
}

/**
 * The Standard Webhooks headers for one message: `webhook-signature` is `v1,` + base64 HMAC-SHA256 of
 * `${id}.${timestamp}.${body}` under the secret's key; the timestamp is whole seconds since the epoch.
 */
export function signedHeaders(
  secret: string,
  id: string,
  timestampSeconds: number,
  body: string,
): Record<string, string> {
  const signature = createHmac("sha256", signingKey(secret))
    .update(`${id}.${timestampSeconds}.${body}`)
    .digest("base64");
  return {
    "webhook-id": id,
    "webhook-timestamp": String(timestampSeconds),
    "webhook-signature": `v1,${signature}`,
  };
}
