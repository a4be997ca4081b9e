import { expect, test } from "@playwright/test";
import { DEMO, signInApi } from "../support/accounts";

// The contract's envelope, table-driven; runs against the mounted app and `npm run api` alike.
type Case = {
  name: string;
  method: string;
  path: string;
  status: number;
  code: string;
  headers?: Record<string, string>;
  data?: string;
};

const UNAUTHENTICATED: Case[] = [
  { name: "unknown path", method: "GET", path: "/api/v1/anything-unknown", status: 404, code: "not_found" },
  {
    name: "method a path does not take",
    method: "PUT",
    path: "/api/v1/health",
    status: 404,
    code: "not_found",
  },
  {
    name: "OPTIONS is enveloped too",
    method: "OPTIONS",
    path: "/api/v1/balance",
    status: 404,
    code: "not_found",
  },
  {
    name: "no credentials",
    method: "GET",
    path: "/api/v1/balance",
    status: 401,
    code: "authentication_failed",
  },
  {
    name: "an unknown bearer key",
    method: "GET",
    path: "/api/v1/balance",
    status: 401,
    code: "authentication_failed",
    headers: { authorization: "Bearer sk_live_nope" },
  },
];

for (const c of UNAUTHENTICATED) {
  test(`${c.name} → ${c.status} ${c.code}, header id = envelope id`, async ({ request }) => {
    const res = await request.fetch(c.path, { method: c.method, headers: c.headers, data: c.data });
    expect(res.status()).toBe(c.status);
    const body = await res.json();
    expect(body.error.code).toBe(c.code);
    expect(body.error.request_id).toMatch(/^req_/);
    expect(res.headers()["x-request-id"]).toBe(body.error.request_id);
    expect(res.headers()["content-type"]).toContain("application/json");
  });
}

test("health answers without auth, with a request id", async ({ request }) => {
  const res = await request.get("/api/v1/health");
  expect(res.status()).toBe(200);
  expect(await res.json()).toEqual({ status: "ok", database: "ok", rate_limiter: "ok" });
  expect(res.headers()["x-request-id"]).toMatch(/^req_/);
});

test.describe("signed in", () => {
  test.beforeEach(async ({ request, baseURL }) => signInApi(request, baseURL!, DEMO));

  test("reads the balance and the catalog", async ({ request }) => {
    const balance = await request.get("/api/v1/balance");
    expect(balance.status()).toBe(200);
    expect(typeof (await balance.json()).credits).toBe("number");
    const products = await (await request.get("/api/v1/products")).json();
    expect(products.data.length).toBeGreaterThanOrEqual(4);
  });

  test("validation failures are invalid_request with field paths", async ({ request, baseURL }) => {
    const res = await request.patch("/api/v1/billing/settings", {
      data: { low_balance_credits: "many" },
      headers: { origin: new URL(baseURL!).origin },
    });
    expect(res.status()).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe("invalid_request");
    expect(body.error.details.fields[0].path).toBe("low_balance_credits");
  });

  test("a cross-site cookie mutation is refused", async ({ request }) => {
    const res = await request.patch("/api/v1/billing/settings", {
      data: { low_balance_credits: 1 },
      headers: { origin: "https://evil.example" },
    });
    expect(res.status()).toBe(403);
    expect((await res.json()).error.code).toBe("origin_not_allowed");
  });
});

test("the OpenAPI document is served", async ({ request }) => {
  const doc = await (await request.get("/api/v1/openapi.json")).json();
  expect(doc.openapi).toBe("3.1.0");
  expect(doc.paths["/api/v1/balance"]).toBeDefined();
});
