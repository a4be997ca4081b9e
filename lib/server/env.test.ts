// @vitest-environment node
import { describe, expect, it } from "vitest";
import { assertProductionConfig, type Env, secureCookies } from "./env";

const base = { NODE_ENV: "production", APP_URL: undefined, BETTER_AUTH_SECRET: undefined } as unknown as Env;

describe("production configuration", () => {
  it("refuses to start without BETTER_AUTH_SECRET, only in production", () => {
    expect(() => assertProductionConfig(base)).toThrow(/BETTER_AUTH_SECRET must be set in production/);
    expect(() => assertProductionConfig({ ...base, BETTER_AUTH_SECRET: "x".repeat(32) })).not.toThrow();
    expect(() => assertProductionConfig({ ...base, NODE_ENV: "development" })).not.toThrow();
  });

  it.each([
    ["production", undefined, true],
    ["production", "https://console.example.com", true],
    ["production", "http://console.example.com", true],
    ["production", "http://localhost:3000", false],
    ["production", "http://127.0.0.1:3000", false],
    ["development", undefined, false],
  ] as const)("%s with APP_URL %s: Secure cookies %s", (NODE_ENV, APP_URL, secure) => {
    expect(secureCookies({ NODE_ENV, APP_URL })).toBe(secure);
  });
});
