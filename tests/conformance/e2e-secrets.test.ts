// @vitest-environment node
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { e2eDataDirs, findLeaks, knownPasswords } from "@/scripts/e2e-secrets";

// scripts/e2e-secrets.ts runs after the e2e suite; these prove it would notice a leak.

describe("the e2e secrets check", () => {
  it("knows every password the e2e run types and the docs seed", () => {
    expect(knownPasswords()).toEqual(
      expect.arrayContaining([
        "demo-password-1",
        "other-password-1",
        "support-password-1",
        "a-long-password-1",
        "not-the-password",
      ]),
    );
  });

  it("reads the folders scripts/e2e-server.mjs writes", () => {
    const server = fs.readFileSync(path.resolve(import.meta.dirname, "../../scripts/e2e-server.mjs"), "utf8");
    expect(server).toContain("const dataDir = `.data-e2e-${kind}-${port}`");
    expect(server).toContain("server.log");
    expect(e2eDataDirs({ E2E_PORT: "3300", E2E_API_PORT: "3301" }).map((d) => path.basename(d))).toEqual([
      ".data-e2e-console-3300",
      ".data-e2e-api-3301",
      ".data-e2e-limits-3102",
      ".data-e2e-redis-down-3103",
    ]);
  });

  it("names each leak and where it was, and lets the stored key prefix through", () => {
    const secret = `sk_live_${"A1b2C3d4".repeat(4)}Zz9Yy8`;
    const token = "Qm9vcGJlZXBib29wYmVlcGJvb3A";
    const leaks = findLeaks(
      [
        ["request_log req_1", `{"key_prefix":"${secret.slice(0, 12)}","path":"/api/v1/balance"}`],
        ["server.log line 3", `{"msg":"auth","authorization":"Bearer ${secret}"}`],
        ["audit_log aud_1", `{"details":{"password":"demo-password-1"}}`],
        ["server.log line 9", `cookie: genmedia.session_token=${token}.c2lnbmF0dXJl`],
        ["request_log req_2", `{"idempotency_key":"${token}"}`],
      ],
      [
        { value: "demo-password-1", what: "a password" },
        { value: token, what: "a session token" },
      ],
    );
    expect(leaks.map((l) => `${l.what} @ ${l.where}`).sort()).toEqual([
      "a password @ audit_log aud_1",
      "a session cookie @ server.log line 9",
      "a session token @ request_log req_2",
      "a session token @ server.log line 9",
      "an API key secret @ server.log line 3",
    ]);
  });
});
