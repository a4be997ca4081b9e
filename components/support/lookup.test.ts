import { describe, expect, it } from "vitest";
import { urlSafeLookup } from "./lookup";

describe("urlSafeLookup", () => {
  it("turns a pasted key secret into its prefix, so the secret never reaches the URL", () => {
    expect(urlSafeLookup("  sk_live_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789  ")).toBe("sk_live_AbCd");
    expect(urlSafeLookup("sk_test_0123456789abcdef")).toBe("sk_test_0123");
  });

  it("keeps ids, prefixes and emails as they are", () => {
    for (const q of [
      "req_01JZ8Q4W4G6V1Y2Q3R4S5T6U7V",
      "sk_live_AbCd",
      "key_01ABC",
      "demo@example.com",
      "cus_demo",
    ]) {
      expect(urlSafeLookup(q)).toBe(q);
    }
  });
});
