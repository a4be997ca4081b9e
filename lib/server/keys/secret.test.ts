import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  bearerToken,
  checksumOf,
  displayPrefix,
  generateSecret,
  hashSecret,
  isWellFormedSecret,
  sameHash,
} from "./secret";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const base62 = (length: number) =>
  fc.string({ unit: fc.constantFrom(...BASE62), minLength: length, maxLength: length });

describe("secret format and checksum", () => {
  it("generates well-formed secrets: sk_live_ + 32 base62 + 6-char checksum", () => {
    for (let i = 0; i < 200; i++) {
      const secret = generateSecret();
      expect(secret).toMatch(/^sk_live_[0-9A-Za-z]{38}$/);
      expect(isWellFormedSecret(secret)).toBe(true);
      expect(displayPrefix(secret)).toBe(secret.slice(0, 12));
    }
  });

  it("accepts any random part with its own checksum", () => {
    fc.assert(
      fc.property(base62(32), (random) => {
        const sum = checksumOf(random);
        expect(sum).toMatch(/^[0-9A-Za-z]{6}$/);
        expect(isWellFormedSecret(`sk_live_${random}${sum}`)).toBe(true);
      }),
    );
  });

  it("refuses every single-character change of the random part or the checksum", () => {
    fc.assert(
      fc.property(base62(32), fc.nat(37), fc.constantFrom(...BASE62), (random, at, char) => {
        const body = `${random}${checksumOf(random)}`;
        fc.pre(body[at] !== char);
        const changed = `${body.slice(0, at)}${char}${body.slice(at + 1)}`;
        expect(isWellFormedSecret(`sk_live_${changed}`)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it("refuses anything that is not exactly the format", () => {
    const good = generateSecret();
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => {
        fc.pre(s !== good);
        if (isWellFormedSecret(s)) expect(s).toMatch(/^sk_live_[0-9A-Za-z]{38}$/);
      }),
    );
    for (const s of [
      good.slice(0, -1),
      `${good}A`,
      good.replace("sk_live_", "sk_test_"),
      ` ${good}`,
      good.toUpperCase(),
    ]) {
      expect(isWellFormedSecret(s), s).toBe(false);
    }
  });

  it("hashes to SHA-256 hex and compares digests in constant time", () => {
    const secret = generateSecret();
    const hash = hashSecret(secret);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(secret.slice(8));
    expect(sameHash(hash, hashSecret(secret))).toBe(true);
    expect(sameHash(hash, hashSecret(generateSecret()))).toBe(false);
    expect(sameHash(hash, "abcd")).toBe(false);
  });

  it("reads the Bearer token", () => {
    expect(bearerToken("Bearer abc")).toBe("abc");
    expect(bearerToken("bearer  abc ")).toBe("abc");
    expect(bearerToken("Basic abc")).toBeNull();
    expect(bearerToken("Bearer a b")).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });
});
