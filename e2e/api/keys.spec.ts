import { type APIRequestContext, expect, test } from "@playwright/test";
import { DEMO, OTHER, signInApi } from "../support/accounts";

// The keys contract against a real server: the mounted app (server.ts) and `npm run api` alike.

type KeyWithSecret = { id: string; name: string; prefix: string; secret: string; status: string };

let origin: string;

test.beforeEach(async ({ request, baseURL }) => {
  origin = new URL(baseURL!).origin;
  await signInApi(request, baseURL!, DEMO);
});

async function createKey(
  request: APIRequestContext,
  body: Record<string, unknown> = {},
): Promise<KeyWithSecret> {
  const res = await request.post("/api/v1/keys", {
    data: { name: `e2e ${Date.now()}`, ...body },
    headers: { origin },
  });
  expect(res.status(), await res.text()).toBe(201);
  return res.json();
}

async function patchKey(request: APIRequestContext, id: string, data: Record<string, unknown>) {
  const res = await request.patch(`/api/v1/keys/${id}`, { data, headers: { origin } });
  expect(res.status(), await res.text()).toBe(200);
}

/** A program's call: the key as Bearer, never the console's cookie. */
async function call(baseURL: string, secret: string, headers: Record<string, string> = {}) {
  const { request } = await import("@playwright/test");
  const ctx = await request.newContext({ baseURL });
  const res = await ctx.get("/api/v1/products", {
    headers: { authorization: `Bearer ${secret}`, ...headers },
  });
  const body = res.status() === 200 ? null : await res.json();
  await ctx.dispose();
  return { status: res.status(), body, requestId: res.headers()["x-request-id"] };
}

test("create returns the secret once; lists and reads never do", async ({ request, baseURL }) => {
  const key = await createKey(request);
  expect(key.secret).toMatch(/^sk_live_[0-9A-Za-z]{38}$/);
  expect(key.prefix).toBe(key.secret.slice(0, 12));
  const list = await (await request.get("/api/v1/keys")).text();
  const one = await (await request.get(`/api/v1/keys/${key.id}`)).text();
  expect(list).toContain(key.id);
  for (const text of [list, one]) expect(text).not.toContain(key.secret);
  expect((await call(baseURL!, key.secret)).status).toBe(200);
});

// @code:authentication_failed @code:account_disabled @code:ip_not_allowed @code:origin_not_allowed
test("each of the four codes, with its details", async ({ request, baseURL }) => {
  const key = await createKey(request);
  const malformed = await call(baseURL!, "sk_live_nope");
  expect([malformed.status, malformed.body.error.code]).toEqual([401, "authentication_failed"]);
  expect(malformed.body.error.request_id).toBe(malformed.requestId);

  await patchKey(request, key.id, { status: "paused" });
  const paused = await call(baseURL!, key.secret);
  expect([paused.status, paused.body.error.code, paused.body.error.details]).toEqual([
    403,
    "account_disabled",
    { scope: "key" },
  ]);
  await patchKey(request, key.id, { status: "active", allowed_ips: ["203.0.113.7"] });

  const ip = await call(baseURL!, key.secret);
  expect(ip.status).toBe(403);
  expect(ip.body.error.code).toBe("ip_not_allowed");
  expect(ip.body.error.details.ip).toMatch(/^(127\.0\.0\.1|::1)$/);

  await patchKey(request, key.id, { allowed_ips: [], allowed_origins: ["https://app.example.com"] });
  const wrong = await call(baseURL!, key.secret, { origin: "https://evil.example" });
  expect([wrong.status, wrong.body.error.code, wrong.body.error.details]).toEqual([
    403,
    "origin_not_allowed",
    { origin: "https://evil.example" },
  ]);
  const none = await call(baseURL!, key.secret);
  expect(none.body.error.details).toEqual({ origin: null });
  expect((await call(baseURL!, key.secret, { origin: "https://app.example.com" })).status).toBe(200);
});

test("a spoofed X-Forwarded-For or internal client-IP header is not believed", async ({
  request,
  baseURL,
}) => {
  const key = await createKey(request, { allowed_ips: ["203.0.113.7"] });
  const spoofed = await call(baseURL!, key.secret, {
    "x-forwarded-for": "203.0.113.7",
    "x-genmedia-client-ip": "203.0.113.7",
    "x-real-ip": "203.0.113.7",
  });
  expect(spoofed.status).toBe(403);
  expect(spoofed.body.error.code).toBe("ip_not_allowed");
  expect(spoofed.body.error.details.ip).not.toBe("203.0.113.7");
});

test("roll keeps the old secret for its grace; revoke ends every secret", async ({ request, baseURL }) => {
  const key = await createKey(request);
  const rollRes = await request.post(`/api/v1/keys/${key.id}/roll`, {
    data: { expire_old_in_seconds: 3600 },
    headers: { origin },
  });
  expect(rollRes.status()).toBe(200);
  const rolled: KeyWithSecret = await rollRes.json();
  expect((await call(baseURL!, key.secret)).status).toBe(200);
  expect((await call(baseURL!, rolled.secret)).status).toBe(200);
  const revoke = await request.delete(`/api/v1/keys/${key.id}`, {
    headers: { origin, "content-type": "application/json" },
  });
  expect(revoke.status()).toBe(200);
  for (const secret of [key.secret, rolled.secret]) {
    const res = await call(baseURL!, secret);
    expect([res.status, res.body.error.code]).toEqual([401, "authentication_failed"]);
  }
});

// @code:not_found
test("another customer's key is not_found, like a missing one", async ({ request, baseURL, playwright }) => {
  const key = await createKey(request);
  const other = await playwright.request.newContext({ baseURL });
  await signInApi(other, baseURL!, OTHER);
  for (const id of [key.id, "key_01ZZZZZZZZZZZZZZZZZZZZZZZZ"]) {
    const read = await other.get(`/api/v1/keys/${id}`);
    expect(read.status()).toBe(404);
    expect((await read.json()).error.code).toBe("not_found");
    const revoke = await other.delete(`/api/v1/keys/${id}`, {
      headers: { origin, "content-type": "application/json" },
    });
    expect(revoke.status()).toBe(404);
  }
  await other.dispose();
  expect((await call(baseURL!, key.secret)).status).toBe(200);
});

test("key mutations from another site are refused (CSRF)", async ({ request }) => {
  const res = await request.post("/api/v1/keys", {
    data: { name: "csrf" },
    headers: { origin: "https://evil.example" },
  });
  expect(res.status()).toBe(403);
  expect((await res.json()).error.code).toBe("origin_not_allowed");
  const list = await (await request.get("/api/v1/keys")).json();
  expect(list.data.some((k: { name: string }) => k.name === "csrf")).toBe(false);
});

test("invalid allowlist entries come back with one field path each", async ({ request }) => {
  const res = await request.post("/api/v1/keys", {
    data: {
      name: "bad",
      allowed_ips: ["203.0.113.7", "0.0.0.0/0", "nope"],
      allowed_origins: ["https://*.co.uk"],
    },
    headers: { origin },
  });
  expect(res.status()).toBe(400);
  const body = await res.json();
  expect(body.error.code).toBe("invalid_request");
  expect(body.error.details.fields.map((f: { path: string }) => f.path)).toEqual([
    "allowed_origins.0",
    "allowed_ips.1",
    "allowed_ips.2",
  ]);
});
