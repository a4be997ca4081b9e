import { type APIRequestContext, expect, test } from "@playwright/test";
import { uniqueEmail } from "../support/accounts";

// The balance and top-up contract against a real server: the mounted app and `npm run api` alike.
// Every test signs up its own customer (0 credits), so no test depends on another's purchases.

type TopUp = { id: string; status: string; provider: string; credits: number; checkout_url: string | null };
type Entry = { id: string; kind: string; credits: number; balance_after: number; top_up_id: string | null };
type Page = { data: Entry[]; next_cursor: string | null };

let origin: string;

test.beforeEach(async ({ request, baseURL }) => {
  origin = new URL(baseURL!).origin;
  const res = await request.post("/api/auth/sign-up/email", {
    data: { email: uniqueEmail("e2e-billing"), password: "a-long-password-1", name: "E2E Billing" },
    headers: { origin },
  });
  expect(res.status(), await res.text()).toBe(200);
});

async function balance(request: APIRequestContext): Promise<number> {
  const res = await request.get("/api/v1/balance");
  expect(res.status()).toBe(200);
  return (await res.json()).credits;
}

/** balance = Σ ledger, read through the API itself. */
async function expectLedgerExact(request: APIRequestContext) {
  let sum = 0;
  let cursor: string | null = null;
  do {
    const res = await request.get(`/api/v1/ledger?limit=100${cursor ? `&cursor=${cursor}` : ""}`);
    const page: Page = await res.json();
    sum += page.data.reduce((s, e) => s + e.credits, 0);
    cursor = page.next_cursor;
  } while (cursor);
  expect(await balance(request)).toBe(sum);
  return sum;
}

function topUp(request: APIRequestContext, pack: string, headers: Record<string, string> = {}) {
  return request.post("/api/v1/top-ups", { data: { pack }, headers: { origin, ...headers } });
}

test("test mode: a top-up succeeds at once and the ledger explains the new balance", async ({ request }) => {
  expect(await balance(request)).toBe(0);
  const res = await topUp(request, "pack_growth");
  expect(res.status()).toBe(201);
  const body: TopUp = await res.json();
  expect(body).toMatchObject({ status: "succeeded", provider: "test", credits: 2000, checkout_url: null });
  expect(await balance(request)).toBe(2000);
  const page: Page = await (await request.get("/api/v1/ledger?limit=1")).json();
  expect(page.data[0]).toMatchObject({
    kind: "top_up",
    credits: 2000,
    balance_after: 2000,
    top_up_id: body.id,
  });
  expect(await expectLedgerExact(request)).toBe(2000);
});

// @code:invalid_pack
test("an unknown pack is 400 invalid_pack in the envelope; nothing is bought", async ({ request }) => {
  const res = await topUp(request, "pack_unknown");
  expect(res.status()).toBe(400);
  const body = await res.json();
  expect(body.error).toMatchObject({ code: "invalid_pack", details: { fields: [{ path: "pack" }] } });
  expect(res.headers()["x-request-id"]).toBe(body.error.request_id);
  expect(await expectLedgerExact(request)).toBe(0);
});

// @code:idempotency_conflict
test("Idempotency-Key: a replay is marked and buys nothing; another body with the key is a conflict", async ({
  request,
}) => {
  const key = `e2e-${Date.now()}`;
  const first = await topUp(request, "pack_starter", { "idempotency-key": key });
  const again = await topUp(request, "pack_starter", { "idempotency-key": key });
  expect([first.status(), again.status()]).toEqual([201, 201]);
  expect(again.headers()["idempotent-replayed"]).toBe("true");
  expect(await again.text()).toBe(await first.text());
  const conflict = await topUp(request, "pack_scale", { "idempotency-key": key });
  expect(conflict.status()).toBe(409);
  expect((await conflict.json()).error.code).toBe("idempotency_conflict");
  expect(await expectLedgerExact(request)).toBe(500);
});

test("ledger pages are limited to 100 and cursors are opaque", async ({ request }) => {
  for (let i = 0; i < 3; i++) expect((await topUp(request, "pack_starter")).status()).toBe(201);
  const first: Page = await (await request.get("/api/v1/ledger?limit=2")).json();
  expect(first.data).toHaveLength(2);
  expect(first.next_cursor).toBeTruthy();
  const second: Page = await (await request.get(`/api/v1/ledger?limit=2&cursor=${first.next_cursor}`)).json();
  expect(second.data.map((e) => e.balance_after)).toEqual([500]);
  expect(second.next_cursor).toBeNull();
  const tooMany = await request.get("/api/v1/ledger?limit=101");
  expect(tooMany.status()).toBe(400);
  expect((await tooMany.json()).error.code).toBe("invalid_request");
});

test("usage covers the last 30 days, one row per day", async ({ request }) => {
  const res = await request.get("/api/v1/usage?days=30");
  expect(res.status()).toBe(200);
  const usage = await res.json();
  expect(usage.daily).toHaveLength(30);
  expect(usage.to).toBe(new Date().toISOString().slice(0, 10));
  expect(usage.total_credits).toBe(0);
});

test("a Stripe webhook without a valid signature is refused and credits nothing", async ({ request }) => {
  const res = await request.post("/api/v1/webhooks/stripe", {
    data: JSON.stringify({ id: "evt_forged", type: "checkout.session.completed", data: { object: {} } }),
    headers: { "content-type": "application/json", "stripe-signature": "t=1,v1=forged" },
  });
  expect(res.status()).toBe(400);
  expect((await res.json()).error.code).toBe("invalid_request");
  expect(await expectLedgerExact(request)).toBe(0);
});

// @code:insufficient_balance
test("a job the balance cannot pay is 402 insufficient_balance {required, available}; nothing is debited", async ({
  request,
}) => {
  const res = await request.post("/api/v1/jobs", {
    data: { product: "text-to-image", prompt: "e2e: more than the balance" },
    headers: { origin, "idempotency-key": `e2e-402-${Date.now()}` },
  });
  expect(res.status(), await res.text()).toBe(402);
  const body = await res.json();
  expect(body.error.code).toBe("insufficient_balance");
  expect(body.error.details).toEqual({ required: 10, available: 0 });
  expect(await expectLedgerExact(request)).toBe(0);
  // After a top-up the same job goes through (a new key: the 402 is stored under the first one).
  expect((await topUp(request, "pack_starter")).status()).toBe(201);
  const retry = await request.post("/api/v1/jobs", {
    data: { product: "text-to-image", prompt: "e2e: more than the balance" },
    headers: { origin, "idempotency-key": `e2e-402-retry-${Date.now()}` },
  });
  expect(retry.status(), await retry.text()).toBe(201);
  expect(await expectLedgerExact(request)).toBe(490);
});
