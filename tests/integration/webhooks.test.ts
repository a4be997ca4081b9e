import { eq } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type {
  WebhookDelivery,
  WebhookDeliveryDetail,
  WebhookDeliveryList,
  WebhookEndpoint,
  WebhookEndpointList,
  WebhookEndpointWithSecret,
} from "@/lib/api/contract/webhook-endpoints.schema";
import { getDb } from "@/lib/server/db/client";
import { events, webhookEndpoints } from "@/lib/server/db/schema";
import { resetEnvCache } from "@/lib/server/env";
import { DemoBackend } from "@/lib/server/generation/demo";
import { setBackend } from "@/lib/server/generation/registry";
import { defaultBackoffMs, type DelivererOptions, WebhookDeliverer } from "@/lib/server/webhooks/worker";
import { JobWorker } from "@/lib/server/worker/worker";
import { api, json } from "../support/api";
import { Clock, Receiver } from "../support/webhook-receiver";
import {
  type Caller,
  expectError,
  expectJob,
  newAccount,
  openDatabase,
  postJob,
  waitForJob,
} from "../support/jobs";

// Webhooks end to end against a real node:http receiver on this machine: the outbox, the signature
// (checked with the standardwebhooks package), retries on a clock the test moves, refused addresses,
// a worker that dies mid-delivery, resend. On the embedded database, and on Postgres in CI.

process.env.WEBHOOK_ALLOW_LOOPBACK = "1";
resetEnvCache();

const receiver = new Receiver();
let url: string;
let acct: Awaited<ReturnType<typeof newAccount>>;

beforeAll(openDatabase);
beforeAll(async () => {
  url = await receiver.start();
  acct = await newAccount("webhooks", 1_000);
});
afterAll(async () => {
  await (await getDb()).delete(webhookEndpoints).where(eq(webhookEndpoints.customerId, acct.customerId));
  await receiver.stop();
});
beforeEach(async () => {
  receiver.received = [];
  receiver.script = [];
  // Each test starts with no endpoint (a failed test's would receive the next one's events).
  await (await getDb()).delete(webhookEndpoints).where(eq(webhookEndpoints.customerId, acct.customerId));
});

function deliverer(clock: Clock, options: Partial<DelivererOptions> = {}) {
  return new WebhookDeliverer({
    now: clock.now,
    random: () => 0.5, // jitter factor exactly 1: the delays are the backoff's
    allowLoopback: true,
    timeoutMs: 500,
    // No DNS in tests: the receivers are IP literals, and a name is answered only where a test says so
    // (another suite's endpoint on a shared database, say https://example.com, is refused, never looked up).
    resolve: async (host) => {
      throw new Error(`no lookups in tests (${host})`);
    },
    ...options,
  });
}

async function createEndpoint(caller: Caller, body: Record<string, unknown>) {
  return api("/webhook-endpoints", { method: "POST", headers: caller.headers, json: body });
}

async function newEndpoint(events: string[], target = url): Promise<WebhookEndpointWithSecret> {
  const res = await createEndpoint(acct.session, { url: target, events });
  expect(res.status, await res.clone().text()).toBe(201);
  return json<WebhookEndpointWithSecret>(res);
}

async function deleteEndpoint(id: string) {
  await api(`/webhook-endpoints/${id}`, { method: "DELETE", headers: acct.session.headers, json: {} });
}

async function deliveriesOf(endpointId: string): Promise<WebhookDelivery[]> {
  const res = await api(`/webhook-deliveries?endpoint_id=${endpointId}&limit=100`, {
    headers: acct.session.headers,
  });
  expect(res.status).toBe(200);
  return (await json<WebhookDeliveryList>(res)).data;
}

async function detail(id: string): Promise<WebhookDeliveryDetail> {
  const res = await api(`/webhook-deliveries/${id}`, { headers: acct.session.headers });
  expect(res.status).toBe(200);
  return json<WebhookDeliveryDetail>(res);
}

async function topUp() {
  const res = await api("/top-ups", {
    method: "POST",
    headers: acct.session.headers,
    json: { pack: "pack_starter" },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return json<{ id: string }>(res);
}

describe("endpoints API", () => {
  it("POST /webhook-endpoints takes an Idempotency-Key: a retry replays the endpoint and its secret, creating nothing", async () => {
    const key = `we-${Date.now()}`;
    const headers = { ...acct.session.headers, "idempotency-key": key };
    const body = { url, events: ["job.succeeded"] };
    const first = await api("/webhook-endpoints", { method: "POST", headers, json: body });
    expect(first.status, await first.clone().text()).toBe(201);
    const again = await api("/webhook-endpoints", { method: "POST", headers, json: body });
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    const [a, b] = [
      await json<WebhookEndpointWithSecret>(first),
      await json<WebhookEndpointWithSecret>(again),
    ];
    expect(b).toEqual(a);
    expect(b.secret).toMatch(/^whsec_/);
    const list = await json<WebhookEndpointList>(
      await api("/webhook-endpoints", { headers: acct.session.headers }),
    );
    expect(list.data.map((e) => e.id)).toEqual([a.id]);
    // The same key with another body: 409, and still one endpoint.
    const other = await api("/webhook-endpoints", {
      method: "POST",
      headers,
      json: { url, events: ["job.failed"] },
    });
    expect(other.status).toBe(409);
    expect((await json<{ error: { code: string } }>(other)).error.code).toBe("idempotency_conflict");

    // Rolling the secret: a retry gets the same new secret; another key rolls again.
    const roll = (k: string) =>
      api(`/webhook-endpoints/${a.id}/roll-secret`, {
        method: "POST",
        headers: { ...acct.session.headers, "idempotency-key": k },
        json: {},
      });
    const rolledRes = await roll(`${key}-roll`);
    expect(rolledRes.status, await rolledRes.clone().text()).toBe(200);
    const rolled = await json<WebhookEndpointWithSecret>(rolledRes);
    const replayed = await roll(`${key}-roll`);
    expect(replayed.headers.get("idempotent-replayed")).toBe("true");
    expect((await json<WebhookEndpointWithSecret>(replayed)).secret).toBe(rolled.secret);
    expect(rolled.secret).not.toBe(a.secret);
    const rolledAgain = await json<WebhookEndpointWithSecret>(await roll(`${key}-roll-2`));
    expect(rolledAgain.secret).not.toBe(rolled.secret);

    // Send test event: a retry replays the one delivery.
    const test = () =>
      api(`/webhook-endpoints/${a.id}/test`, {
        method: "POST",
        headers: { ...acct.session.headers, "idempotency-key": `${key}-test` },
        json: {},
      });
    const sent = await json<WebhookDelivery>(await test());
    expect((await json<WebhookDelivery>(await test())).id).toBe(sent.id);
    expect((await deliveriesOf(a.id)).map((d) => d.id)).toEqual([sent.id]);
  });

  it("creates with a whsec_ secret shown once, lists and reads without it, updates, rolls and deletes", async () => {
    const created = await newEndpoint(["job.succeeded", "top_up.succeeded"]);
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(created.secret_prefix).toBe(created.secret.slice(0, 10));
    expect(created).toMatchObject({ url, enabled: true, events: ["job.succeeded", "top_up.succeeded"] });

    const got = await json<WebhookEndpoint>(
      await api(`/webhook-endpoints/${created.id}`, { headers: acct.session.headers }),
    );
    expect(got).not.toHaveProperty("secret");
    const list = await json<WebhookEndpointList>(
      await api("/webhook-endpoints", { headers: acct.session.headers }),
    );
    expect(list.data.map((e) => e.id)).toContain(created.id);
    expect(JSON.stringify(list)).not.toContain(created.secret);
    // Stored sealed, never in the clear.
    const [row] = await (
      await getDb()
    )
      .select()
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.id, created.id));
    expect(row!.secretSealed).not.toContain(created.secret.slice(6));

    const patched = await api(`/webhook-endpoints/${created.id}`, {
      method: "PATCH",
      headers: acct.session.headers,
      json: { events: ["job.failed"], enabled: false, description: "billing" },
    });
    expect(patched.status).toBe(200);
    expect(await json(patched)).toMatchObject({
      events: ["job.failed"],
      enabled: false,
      description: "billing",
    });

    const rolled = await json<WebhookEndpointWithSecret>(
      await api(`/webhook-endpoints/${created.id}/roll-secret`, {
        method: "POST",
        headers: acct.session.headers,
        json: {},
      }),
    );
    expect(rolled.secret).toMatch(/^whsec_/);
    expect(rolled.secret).not.toBe(created.secret);

    const deleted = await api(`/webhook-endpoints/${created.id}`, {
      method: "DELETE",
      headers: acct.session.headers,
      json: {},
    });
    expect(deleted.status).toBe(200);
    await expectError(
      await api(`/webhook-endpoints/${created.id}`, { headers: acct.session.headers }),
      404,
      "not_found",
    );
  });

  it("refuses a URL that is not https (http only on loopback under the flag), or names a private address", async () => {
    for (const bad of [
      "http://example.com/hook",
      "ftp://example.com/hook",
      "https://10.0.0.5/hook",
      "https://192.168.1.1/hook",
      "https://169.254.169.254/latest/meta-data",
      "https://[fd00::1]/hook",
      "https://user:pw@example.com/hook",
      "not a url",
    ]) {
      const error = await expectError(
        await createEndpoint(acct.session, { url: bad, events: ["job.succeeded"] }),
        400,
        "invalid_request",
      );
      expect(error.details?.fields, bad).toEqual([expect.objectContaining({ path: "url" })]);
    }
    await expectError(
      await createEndpoint(acct.session, { url: "https://example.com/h", events: [] }),
      400,
      "invalid_request",
    );
    await expectError(
      await createEndpoint(acct.session, { url: "https://example.com/h", events: ["job.exploded"] }),
      400,
      "invalid_request",
    );
  });

  it("is session only, and another customer's endpoint is not_found", async () => {
    const mine = await newEndpoint(["job.succeeded"]);
    await expectError(
      await api("/webhook-endpoints", { headers: acct.keyCaller!.headers }),
      401,
      "authentication_failed",
    );
    const other = await newAccount("webhooks-other", 0, false);
    await expectError(
      await api(`/webhook-endpoints/${mine.id}`, { headers: other.session.headers }),
      404,
      "not_found",
    );
    await expectError(
      await api(`/webhook-endpoints/${mine.id}/test`, {
        method: "POST",
        headers: other.session.headers,
        json: {},
      }),
      404,
      "not_found",
    );
    await deleteEndpoint(mine.id);
  });
});

describe("delivery", () => {
  it("signs with the Standard Webhooks scheme: the standardwebhooks package verifies it", async () => {
    const clock = new Clock();
    const endpoint = await newEndpoint(["top_up.succeeded"]);
    const top = await topUp();
    const worker = deliverer(clock);
    expect(await worker.drain()).toBe(1);
    expect(receiver.received).toHaveLength(1);
    const { headers, body } = receiver.received[0]!;
    const verified = new Webhook(endpoint.secret).verify(body, headers as Record<string, string>) as {
      id: string;
      type: string;
      data: { id: string; status: string };
    };
    expect(verified.type).toBe("top_up.succeeded");
    expect(verified.data).toMatchObject({ id: top.id, status: "succeeded" });
    expect(headers["webhook-id"]).toBe(verified.id);
    expect(headers["content-type"]).toBe("application/json");
    // A wrong secret does not verify.
    expect(() =>
      new Webhook("whsec_" + Buffer.alloc(24, 7).toString("base64")).verify(
        body,
        headers as Record<string, string>,
      ),
    ).toThrow();
    // The event row was written with the top-up (the outbox), and is now dispatched.
    const [event] = await (await getDb()).select().from(events).where(eq(events.id, verified.id));
    expect(event).toMatchObject({ customerId: acct.customerId, type: "top_up.succeeded" });
    expect(event!.dispatchedAt).not.toBeNull();
    const [delivery] = await deliveriesOf(endpoint.id);
    expect(delivery).toMatchObject({
      status: "succeeded",
      attempts: 1,
      last_status_code: 200,
      event_id: verified.id,
    });
    await deleteEndpoint(endpoint.id);
  });

  it("a job finished by the worker becomes job.succeeded; a canceled one job.canceled", async () => {
    const clock = new Clock();
    const endpoint = await newEndpoint(["job.succeeded", "job.canceled"]);
    setBackend(new DemoBackend({ generationMs: 5 }));
    try {
      const done = await expectJob(
        await postJob(acct.keyCaller!, { product: "text-to-image", prompt: "hook me" }),
      );
      // Until this job is done: on a shared database (CI's Postgres run) other files' queued jobs are
      // older, and one pass of the worker would take one of those instead.
      const worker = new JobWorker({ leaseMs: 5_000, idleMinMs: 5, idleMaxMs: 20 });
      worker.start();
      try {
        await waitForJob(done.id, ["succeeded"], 60_000);
      } finally {
        await worker.stop();
      }
      const canceled = await expectJob(
        await postJob(acct.keyCaller!, { product: "text-to-image", prompt: "never mind" }),
      );
      const res = await api(`/jobs/${canceled.id}/cancel`, {
        method: "POST",
        headers: acct.keyCaller!.headers,
        json: {},
      });
      expect(res.status).toBe(200);
      await deliverer(clock).drain();
      const bodies = receiver.received.map(
        (r) => JSON.parse(r.body) as { type: string; data: { id: string; status: string } },
      );
      expect(bodies.map((b) => [b.type, b.data.id, b.data.status])).toEqual([
        ["job.succeeded", done.id, "succeeded"],
        ["job.canceled", canceled.id, "canceled"],
      ]);
    } finally {
      setBackend(undefined);
      await deleteEndpoint(endpoint.id);
    }
  });

  it("retries a 500 and a timeout with growing delays, then succeeds, exactly as logged", async () => {
    const clock = new Clock();
    const endpoint = await newEndpoint(["top_up.succeeded"]);
    receiver.script = [{ status: 500 }, { status: 503 }, "hang"];
    await topUp();
    const worker = deliverer(clock);
    const due: number[] = [];
    for (let attempt = 1; attempt <= 4; attempt++) {
      expect(await worker.drain(), `attempt ${attempt}`).toBe(1);
      // Nothing more is due until the clock reaches the next attempt's time.
      expect(await worker.drain()).toBe(0);
      const [delivery] = await deliveriesOf(endpoint.id);
      if (delivery!.status === "succeeded") break;
      expect(delivery!.status).toBe("pending");
      const next = Date.parse(delivery!.next_attempt_at!);
      due.push(next - clock.t);
      clock.advanceTo(next);
    }
    // 10 s, 40 s, 160 s: exponential (the jitter is pinned at its middle here).
    expect(due).toEqual([defaultBackoffMs(1), defaultBackoffMs(2), defaultBackoffMs(3)]);
    expect(due).toEqual([10_000, 40_000, 160_000]);

    const [delivery] = await deliveriesOf(endpoint.id);
    expect(delivery).toMatchObject({ status: "succeeded", attempts: 4, last_status_code: 200 });
    const log = (await detail(delivery!.id)).attempts_log;
    expect(log.map((a) => [a.attempt, a.status_code, a.ok])).toEqual([
      [1, 500, false],
      [2, 503, false],
      [3, null, false],
      [4, 200, true],
    ]);
    expect(log[0]!.response?.body_excerpt).toBe("failing with 500");
    expect(log[2]!.error).toMatch(/within 0.5 s/);
    expect(log[2]!.duration_ms).toBeGreaterThanOrEqual(450);
    expect(log[3]!.next_attempt_at).toBeNull();
    for (let i = 0; i < 3; i++)
      expect(Date.parse(log[i]!.next_attempt_at!) - Date.parse(log[i]!.started_at)).toBeGreaterThanOrEqual(
        due[i]!,
      );
    // Every attempt was the same message: one webhook-id, one body.
    expect(receiver.received).toHaveLength(4);
    expect(new Set(receiver.received.map((r) => r.headers["webhook-id"])).size).toBe(1);
    expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);
    expect(log.map((a) => a.request.body)).toEqual(receiver.received.map((r) => r.body));
    await deleteEndpoint(endpoint.id);
  });

  it("gives up after the retry window, and turns an endpoint off after days of failures", async () => {
    const clock = new Clock();
    const endpoint = await newEndpoint(["top_up.succeeded"]);
    receiver.script = Array.from({ length: 50 }, () => ({ status: 500 }));
    await topUp();
    const worker = deliverer(clock, { retryWindowMs: 60_000, disableAfterMs: 3 * 60_000 });
    await worker.drain(); // 1st attempt; next in 10 s
    clock.advanceTo(clock.t + 10_000);
    await worker.drain(); // 2nd; next would be 40 s later: 50 s after creation, inside the window
    clock.advanceTo(clock.t + 40_000);
    await worker.drain(); // 3rd; the next (160 s) falls past 60 s: failed for good
    const [first] = await deliveriesOf(endpoint.id);
    expect(first).toMatchObject({ status: "failed", attempts: 3, next_attempt_at: null });

    // Still failing 3 minutes after the streak began: turned off, with the reason for the console.
    clock.advanceTo(clock.t + 3 * 60_000);
    await topUp();
    await worker.drain();
    const got = await json<WebhookEndpoint>(
      await api(`/webhook-endpoints/${endpoint.id}`, { headers: acct.session.headers }),
    );
    expect(got.enabled).toBe(false);
    expect(got.disabled_reason).toMatch(/failed/);
    expect(got.failing_since).not.toBeNull();
    // Off: later events are not sent to it.
    const before = receiver.received.length;
    await topUp();
    await worker.drain();
    expect(receiver.received.length).toBe(before);
    // Turned on again by the customer: the reason is cleared.
    const on = await api(`/webhook-endpoints/${endpoint.id}`, {
      method: "PATCH",
      headers: acct.session.headers,
      json: { enabled: true },
    });
    expect(await json(on)).toMatchObject({ enabled: true, disabled_reason: null, failing_since: null });
    await deleteEndpoint(endpoint.id);
  });

  it("refuses a private or loopback address at delivery time, after resolving the host", async () => {
    const clock = new Clock();
    // Saved under the development flag; this deliverer runs as production would (no loopback).
    const loopback = await newEndpoint(["top_up.succeeded"]);
    await topUp();
    await deliverer(clock, { allowLoopback: false }).drain();
    expect(receiver.received).toHaveLength(0);
    let [d] = await deliveriesOf(loopback.id);
    expect(d!.last_error).toMatch(/127\.0\.0\.1.*not a public address/);
    await deleteEndpoint(loopback.id);

    // A public-looking name that resolves (among others) to a private address: refused as a whole.
    const named = await newEndpoint(["top_up.succeeded"], "https://hooks.customer.test/in");
    await topUp();
    await deliverer(clock, {
      allowLoopback: false,
      resolve: async () => [
        { address: "93.184.216.34", family: 4 },
        { address: "10.1.2.3", family: 4 },
      ],
    }).drain();
    [d] = await deliveriesOf(named.id);
    expect(d!.last_error).toMatch(/10\.1\.2\.3/);
    expect((await detail(d!.id)).attempts_log[0]).toMatchObject({ status_code: null, ok: false });
    await deleteEndpoint(named.id);
  });

  it("connects to the address it checked (no second lookup to rebind)", async () => {
    const clock = new Clock();
    const port = new URL(url).port;
    // A name no DNS server knows: only the checked answer can reach the receiver.
    const endpoint = await newEndpoint(["top_up.succeeded"], `http://localhost:${port}/pinned`);
    const db = await getDb();
    await db
      .update(webhookEndpoints)
      .set({ url: `http://rebind.invalid:${port}/pinned` })
      .where(eq(webhookEndpoints.id, endpoint.id));
    let lookups = 0;
    await topUp();
    await deliverer(clock, {
      resolve: async () => {
        lookups++;
        return [{ address: "127.0.0.1", family: 4 }];
      },
    }).drain();
    expect(lookups).toBe(1);
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]!.headers.host).toBe(`rebind.invalid:${port}`);
    await deleteEndpoint(endpoint.id);
  });

  it("a worker killed mid-delivery loses no event: the lease runs out and another sends it", async () => {
    const clock = new Clock();
    const endpoint = await newEndpoint(["top_up.succeeded"]);
    // Events recorded while no worker runs wait in the outbox.
    await topUp();
    const dying = deliverer(clock, { leaseMs: 30_000 });
    expect(await dying.dispatch()).toBeGreaterThanOrEqual(1);
    const claimed = await dying.claim();
    expect(claimed).not.toBeNull();
    // …and it dies here, never sending or recording. Another worker cannot take the leased delivery…
    const survivor = deliverer(clock, { leaseMs: 30_000 });
    expect(await survivor.drain()).toBe(0);
    expect(receiver.received).toHaveLength(0);
    // …until the lease runs out.
    clock.advanceTo(clock.t + 30_001);
    expect(await survivor.drain()).toBe(1);
    expect(receiver.received).toHaveLength(1);
    const [delivery] = await deliveriesOf(endpoint.id);
    expect(delivery).toMatchObject({ status: "succeeded", attempts: 2 });
    const log = (await detail(delivery!.id)).attempts_log;
    expect(log.map((a) => [a.attempt, a.ok])).toEqual([
      [1, false],
      [2, true],
    ]);
    expect(log[0]!.error).toMatch(/worker sending it stopped/);
    // The dead worker's late outcome is refused by the lease guard: nothing changes.
    await dying.deliver(claimed!);
    expect((await detail(delivery!.id)).attempts_log).toHaveLength(2);
    await deleteEndpoint(endpoint.id);
  });

  it("resend and send-test-event keep their event: the same id reaches the receiver again", async () => {
    const clock = new Clock();
    const endpoint = await newEndpoint(["top_up.succeeded"]);
    await topUp();
    const worker = deliverer(clock);
    await worker.drain();
    const [first] = await deliveriesOf(endpoint.id);
    const resent = await api(`/webhook-deliveries/${first!.id}/resend`, {
      method: "POST",
      headers: acct.session.headers,
      json: {},
    });
    expect(resent.status).toBe(201);
    const again = await json<WebhookDelivery>(resent);
    expect(again.id).not.toBe(first!.id);
    expect(again.event_id).toBe(first!.event_id);
    await worker.drain();
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1]!.headers["webhook-id"]).toBe(first!.event_id);
    expect(JSON.parse(receiver.received[1]!.body)).toEqual(JSON.parse(receiver.received[0]!.body));

    const test = await api(`/webhook-endpoints/${endpoint.id}/test`, {
      method: "POST",
      headers: acct.session.headers,
      json: {},
    });
    expect(test.status).toBe(201);
    await worker.drain();
    expect(JSON.parse(receiver.received[2]!.body)).toMatchObject({ type: "webhook.test" });
    await deleteEndpoint(endpoint.id);
  });
});

describe("balance.low", () => {
  it("is recorded once, by the debit that crosses the threshold", async () => {
    const low = await newAccount("webhooks-low", 125);
    // Threshold 100 (the default): 125 → 115 → 105 stays above; 105 → 95 crosses; 95 → 85 does not again.
    const db = await getDb();
    for (let i = 0; i < 4; i++)
      await expectJob(await postJob(low.keyCaller!, { product: "text-to-image", prompt: `low ${i}` }));
    const rows = await db.select().from(events).where(eq(events.customerId, low.customerId));
    const lows = rows.filter((e) => e.type === "balance.low");
    expect(lows).toHaveLength(1);
    expect(lows[0]!.data).toEqual({ credits: 95, low_balance_credits: 100 });
  });
});
