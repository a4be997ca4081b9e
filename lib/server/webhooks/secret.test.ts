import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { generateWebhookSecret, openSecret, sealSecret, signedHeaders } from "./secret";

describe("webhook secrets", () => {
  it("signs exactly as the standardwebhooks package verifies", () => {
    const secret = generateWebhookSecret();
    const body = JSON.stringify({
      id: "evt_1",
      type: "job.succeeded",
      created_at: "2026-12-05T10:00:00Z",
      data: {},
    });
    const now = Math.floor(Date.now() / 1000);
    const headers = signedHeaders(secret, "evt_1", now, body);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    // Its own signature equals ours byte for byte.
    expect(new Webhook(secret).sign("evt_1", new Date(now * 1000), body)).toBe(headers["webhook-signature"]);
    expect(() => new Webhook(secret).verify(body.replace("job", "jab"), headers)).toThrow();
  });

  it("seals the secret to its endpoint: another endpoint's row cannot open it", () => {
    const secret = generateWebhookSecret();
    const sealed = sealSecret("we_A", secret);
    expect(sealed).not.toContain(secret.slice(6));
    expect(openSecret("we_A", sealed)).toBe(secret);
    expect(() => openSecret("we_B", sealed)).toThrow();
  });
});
