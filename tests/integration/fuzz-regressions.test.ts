import Stripe from "stripe";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/server/db/client";
import { resetEnvCache } from "@/lib/server/env";
import { flushRequestLog } from "@/lib/server/request-log/writer";
import { sql } from "drizzle-orm";
import { api, json } from "../support/api";
import { type Envelope, expectError, newAccount, openDatabase } from "../support/jobs";

// Defects `npm run test:fuzz` found, each pinned by the smallest request that showed it (all were 500s
// or lost request-log entries before their fix).

beforeAll(openDatabase);

type Account = Awaited<ReturnType<typeof newAccount>>;
let acct: Account;
beforeAll(async () => {
  acct = await newAccount("fuzz-regressions", 100);
});

describe("text with a NUL character (U+0000), which Postgres cannot store", () => {
  // @code:invalid_request
  it("in a path id is invalid_request naming the field, never a 500", async () => {
    for (const path of [
      "/jobs/a%00b",
      "/jobs/%00/output",
      "/uploads/a%00b",
      "/top-ups/a%00b",
      "/requests/x%00",
    ]) {
      const error = await expectError(
        await api(path, { headers: acct.keyCaller!.headers }),
        400,
        "invalid_request",
      );
      expect(error.details, path).toMatchObject({ fields: [{ path: expect.any(String) }] });
    }
    const cancel = await api("/jobs/a%00b/cancel", {
      method: "POST",
      headers: acct.keyCaller!.headers,
      json: {},
    });
    await expectError(cancel, 400, "invalid_request");
  });

  it("in a JSON string is invalid_request at that field", async () => {
    const res = await api("/jobs", {
      method: "POST",
      headers: acct.keyCaller!.headers,
      json: { product: "text-to-image", prompt: "a cat\u0000" },
    });
    const error = await expectError(res, 400, "invalid_request");
    expect(error.details).toEqual({ fields: [{ path: "prompt", message: expect.stringMatching(/NUL/) }] });
  });

  it("in the path still gets its request-log entry, and does not lose the entries written with it", async () => {
    const ids: string[] = [];
    for (const path of ["/balance", "/jobs/a%00b", "/balance"]) {
      ids.push((await api(path, { headers: acct.keyCaller!.headers })).headers.get("x-request-id")!);
    }
    // Written off the request's path (by this process, or by the server under test with API_BASE_URL).
    await flushRequestLog();
    const db = await getDb();
    let rows: { request_id: string; path: string }[] = [];
    for (let i = 0; i < 50 && rows.length < ids.length; i++) {
      if (i) await new Promise((r) => setTimeout(r, 100));
      ({ rows } = await db.execute<{ request_id: string; path: string }>(
        sql`select request_id, path from request_log where request_id in (${sql.join(ids, sql`, `)})`,
      ));
    }
    expect(rows.map((r) => r.request_id).sort()).toEqual([...ids].sort());
    expect(rows.find((r) => r.request_id === ids[1])!.path).toBe("/api/v1/jobs/a%00b");
  });
});

describe("a signed Stripe webhook that is not an event", () => {
  const secret = "whsec_regression_0123456789";
  const deliver = (payload: string) =>
    api("/webhooks/stripe", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "stripe-signature": Stripe.webhooks.generateTestHeaderString({ payload, secret }),
      },
      body: payload,
    });

  // The webhook secret is this process's setting: not for a server under test (API_BASE_URL).
  it.skipIf(Boolean(process.env.API_BASE_URL))(
    "is invalid_request, never a 500 (no data, a scalar, no id)",
    async () => {
      const before = process.env.STRIPE_WEBHOOK_SECRET;
      process.env.STRIPE_WEBHOOK_SECRET = secret;
      resetEnvCache();
      try {
        for (const payload of [
          '{"id":"evt_1","type":"charge.refunded"}',
          "null",
          "1",
          '{"type":"checkout.session.completed","data":{"object":{}}}',
          '{"id":"evt_2","type":"checkout.session.completed","data":{"object":null}}',
          '{"id":{"x":1},"type":"checkout.session.completed","data":{"object":{}}}',
          // Past every validator, into the database: text with a NUL is the input's fault (SQLSTATE 22021).
          '{"id":"evt_\\u0000x","type":"charge.refunded","data":{"object":{}}}',
        ]) {
          const res = await deliver(payload);
          const body = await json<Envelope>(res);
          expect(res.status, `${payload}: ${JSON.stringify(body)}`).toBe(400);
          expect(body.error.code).toBe("invalid_request");
        }
        // A well-formed event still goes through.
        expect((await deliver('{"id":"evt_ok","type":"charge.refunded","data":{"object":{}}}')).status).toBe(
          200,
        );
      } finally {
        if (before === undefined) delete process.env.STRIPE_WEBHOOK_SECRET;
        else process.env.STRIPE_WEBHOOK_SECRET = before;
        resetEnvCache();
      }
    },
  );
});

describe("GET /openapi.json", () => {
  it("is built once and served from memory (it is public: no CPU sink)", async () => {
    const first = await api("/openapi.json");
    const t0 = performance.now();
    for (let i = 0; i < 20; i++) await (await api("/openapi.json")).arrayBuffer();
    expect(first.status).toBe(200);
    // 20 regenerations took ~0.5 s on a quiet machine; 20 cached answers take a few ms.
    expect(performance.now() - t0).toBeLessThan(2_000);
  });
});
