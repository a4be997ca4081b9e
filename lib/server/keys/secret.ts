import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { crc32 } from "node:zlib";

export const SECRET_PREFIX = "sk_live_";
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
export const RANDOM_LENGTH = 32;
export const CHECKSUM_LENGTH = 6;
/** `prefix` shown in lists: `sk_live_` and the first 4 random chars. */
export const DISPLAY_PREFIX_LENGTH = 12;

const SECRET_RE = new RegExp(
  `^${SECRET_PREFIX}([0-9A-Za-z]{${RANDOM_LENGTH}})([0-9A-Za-z]{${CHECKSUM_LENGTH}})$`,
);

/** CRC32 of the random part, as 6 base62 chars (62^6 > 2^32), left-padded with "0". */
export function checksumOf(random: string): string {
  let n = crc32(random);
  let out = "";
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    out = ALPHABET[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // 248 = 4 × 62: rejecting bytes above it keeps every char equally likely.
      if (byte < 248 && out.length < length) out += ALPHABET[byte % 62];
    }
  }
  return out;
}

/** A new secret: `sk_live_` + 32 random base62 chars + their 6-char checksum. */
export function generateSecret(): string {
  const random = randomBase62(RANDOM_LENGTH);
  return `${SECRET_PREFIX}${random}${checksumOf(random)}`;
}

/**
 * True when `value` has the secret's shape and a correct checksum — checked before any database query,
 * so typos and scanners' guesses cost nothing.
 */
export function isWellFormedSecret(value: string): boolean {
  const m = SECRET_RE.exec(value);
  return m !== null && checksumOf(m[1]!) === m[2];
}

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export function displayPrefix(secret: string): string {
  return secret.slice(0, DISPLAY_PREFIX_LENGTH);
}

/** Constant-time comparison of two hex digests. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, "hex");
  const y = Buffer.from(b, "hex");
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The token of an `Authorization: Bearer …` header, or null. */
export function bearerToken(authorization: string | null | undefined): string | null {
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? "");
  return m ? m[1]! : null;
}
