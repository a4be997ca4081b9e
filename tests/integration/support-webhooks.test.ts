import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CustomerSummary, SupportRequest } from "@/lib/api/contract/support.schema";
import type { WebhookEndpointWithSecret } from "@/lib/api/contract/webhook-endpoints.schema";
import { getDb } from "@/lib/server/db/client";
import { auditLog, webhookEndpoints } from "@/lib/server/db/schema";
import { resetEnvCache } from "@/lib/server/env";
import { DemoBackend } from "@/lib/server/generation/demo";
import { setBackend } from "@/lib/server/generation/registry";
import { type DelivererOptions, WebhookDeliverer } from "@/lib/server/webhooks/worker";
import { JobWorker } from "@/lib/server/worker/worker";
import { api, json, signIn } from "../support/api";
import { expectJob, newAccount, openDatabase, postJob, sessionCaller, waitForJob } from "../support/jobs";
import { Clock, Receiver } from "../support/webhook-receiver";

// Support sees a job's webhook deliveries in the request story, and a customer's endpoints (failing,
// disabled) and latest deliveries in the customer panel: a job finished by the worker, its event
// delivered by the real deliverer to node:http receivers on this machine (one answers 200, one 500).

process.env.WEBHOOK_ALLOW_LOOPBACK = "1";
resetEnvCache();

const good = new Receiver();
const bad = new Receiver();
let acct: Awaited<ReturnType<typeof newAccount>>;
let staff: ReturnType<typeof sessionCaller>;
let goodEndpoint: WebhookEndpointWithSecret;
let badEndpoint: WebhookEndpointWithSecret;

beforeAll(openDatabase);
beforeAll(async () => {
  acct = await newAccount("support-hooks", 1_000);
  staff = sessionCaller(await signIn("support@example.com", "support-password-1"));
  const make = async (url: string) => {
    const res = await api("/webhook-endpoints", {
      method: "POST",
      headers: acct.session.headers,
      json: { url, events: ["job.succeeded", "job.failed"] },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    return json<WebhookEndpointWithSecret>(res);
  };
  goodEndpoint = await make(await good.start());
  badEndpoint = await make(await bad.start());
});
afterAll(async () => {
  await (await getDb()).delete(webhookEndpoints).where(eq(webhookEndpoints.customerId, acct.customerId));
  await Promise.all([good.stop(), bad.stop()]);
});

function deliverer(clock: Clock, options: Partial<DelivererOptions> = {}) {
  return new WebhookDeliverer({
    now: clock.now,
    random: () => 0.5,
    allowLoopback: true,
    timeoutMs: 2_000,
    // The receivers are IP literals; any other suite's endpoint on a shared database is refused unlooked-up.
    resolve: async (host) => {
      throw new Error(`no lookups in tests (${host})`);
    },
    ...options,
  });
}

/** The staff view of a request, once the request log (written off the request's path) has it. */
async function supportRequest(requestId: string): Promise<SupportRequest> {
  for (let i = 0; ; i++) {
    const res = await api(`/support/requests/${requestId}`, { headers: staff.headers });
    if (res.status === 200) return json<SupportRequest>(res);
    expect(res.status, await res.clone().text()).toBe(404);
    if (i > 100) throw new Error(`${requestId} never reached the request log`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function customerSummary(): Promise<CustomerSummary> {
  const res = await api(`/support/customers/${acct.customerId}`, { headers: staff.headers });
  expect(res.status, await res.clone().text()).toBe(200);
  return json<CustomerSummary>(res);
}

describe("support: a job's webhook deliveries", () => {
  let requestId: string;
  let jobId: string;
  const clock = new Clock();

  beforeAll(async () => {
    bad.script = Array.from({ length: 10 }, () => ({ status: 500 }));
    const created = await postJob(acct.keyCaller!, { product: "text-to-image", prompt: "tell support" });
    requestId = created.headers.get("x-request-id")!;
    jobId = (await expectJob(created)).id;
    setBackend(new DemoBackend({ generationMs: 5 }));
    const worker = new JobWorker({ leaseMs: 5_000, idleMinMs: 5, idleMaxMs: 20 });
    worker.start();
    try {
      await waitForJob(jobId, ["succeeded"], 60_000);
    } finally {
      await worker.stop();
      setBackend(undefined);
    }
    await deliverer(clock).drain();
    expect(good.received).toHaveLength(1);
    expect(bad.received).toHaveLength(1);
  }, 120_000);

  it("the story of the request that created the job lists each delivery: endpoint, status, attempts, last answer, next retry", async () => {
    const body = await supportRequest(requestId);
    expect(body.story.job).toMatchObject({ id: jobId, status: "succeeded" });
    const deliveries = body.job_webhook_deliveries!;
    expect(deliveries).toHaveLength(2);
    const byUrl = new Map(deliveries.map((d) => [d.endpoint_url, d]));
    expect(byUrl.get(goodEndpoint.url)).toMatchObject({
      endpoint_id: goodEndpoint.id,
      event_type: "job.succeeded",
      status: "succeeded",
      attempts: 1,
      next_attempt_at: null,
      job_id: jobId,
      job_request_id: requestId,
      last_attempt: { status_code: 200, ok: true, error: null },
    });
    const failing = byUrl.get(badEndpoint.url)!;
    expect(failing).toMatchObject({
      endpoint_id: badEndpoint.id,
      status: "pending",
      attempts: 1,
      last_status_code: 500,
      last_attempt: { status_code: 500, ok: false },
    });
    // The retry is due after the first backoff (10 s on the deliverer's clock).
    expect(Date.parse(failing.next_attempt_at!)).toBeGreaterThan(clock.t);
    expect(failing.last_attempt!.duration_ms).toBeGreaterThanOrEqual(0);
    // The event the receiver got is the one listed.
    const received = JSON.parse(good.received[0]!.body) as { id: string };
    expect(deliveries.map((d) => d.event_id)).toEqual([received.id, received.id]);

    const audit = await (await getDb()).select().from(auditLog).where(eq(auditLog.targetId, requestId));
    expect(audit.map((a) => a.action)).toContain("support.request.view");
  });

  it("a request about the job (GET /jobs/{id}) shows them too; a request without a job has none; a job not ended yet, an empty list", async () => {
    const read = await api(`/jobs/${jobId}`, { headers: acct.keyCaller!.headers });
    expect(read.status).toBe(200);
    const about = await supportRequest(read.headers.get("x-request-id")!);
    expect(about.story.job_relation).toBe("acted_on");
    expect(about.job_webhook_deliveries?.map((d) => d.job_id)).toEqual([jobId, jobId]);

    const balance = await api("/balance", { headers: acct.keyCaller!.headers });
    expect((await supportRequest(balance.headers.get("x-request-id")!)).job_webhook_deliveries).toBeNull();

    const queued = await postJob(acct.keyCaller!, { product: "text-to-image", prompt: "still queued" });
    expect(queued.status).toBe(201);
    const pending = await supportRequest(queued.headers.get("x-request-id")!);
    expect(pending.story.job?.status).toBe("queued");
    expect(pending.job_webhook_deliveries).toEqual([]);
    await api(`/jobs/${pending.story.job!.id}/cancel`, {
      method: "POST",
      headers: acct.keyCaller!.headers,
      json: {},
    });
  });

  it("the customer panel shows the failing endpoint's streak and the latest deliveries; past the limit, the endpoint disabled", async () => {
    let summary = await customerSummary();
    const health = new Map(summary.webhook_endpoints.map((e) => [e.id, e]));
    expect(health.get(goodEndpoint.id)).toMatchObject({
      enabled: true,
      failing_since: null,
      consecutive_failures: 0,
    });
    expect(health.get(badEndpoint.id)).toMatchObject({ enabled: true, consecutive_failures: 1 });
    expect(health.get(badEndpoint.id)!.failing_since).not.toBeNull();
    expect(summary.recent_webhook_deliveries.filter((d) => d.job_id === jobId)).toHaveLength(2);
    expect(summary.recent_webhook_deliveries[0]).toMatchObject({ job_request_id: requestId });
    // Nothing secret: the panel shows the secret's prefix as the customer's own page does, never the secret.
    expect(JSON.stringify(summary)).not.toContain(badEndpoint.secret);

    // The retry fails again, past disableAfterMs: the platform turns the endpoint off.
    const [failing] = (await supportRequest(requestId)).job_webhook_deliveries!.filter(
      (d) => d.endpoint_id === badEndpoint.id,
    );
    clock.advanceTo(Date.parse(failing!.next_attempt_at!));
    await deliverer(clock, { disableAfterMs: 1 }).drain();
    expect(bad.received).toHaveLength(2);

    summary = await customerSummary();
    const disabled = summary.webhook_endpoints.find((e) => e.id === badEndpoint.id)!;
    expect(disabled).toMatchObject({ enabled: false, consecutive_failures: 2 });
    expect(disabled.disabled_reason).toMatch(/^Every delivery failed/);
    const [after] = (await supportRequest(requestId)).job_webhook_deliveries!.filter(
      (d) => d.endpoint_id === badEndpoint.id,
    );
    expect(after).toMatchObject({ attempts: 2, last_attempt: { status_code: 500, ok: false } });
  });

  it("customers never see it: their own request and their own customer are 404 on /support", async () => {
    for (const path of [`/support/requests/${requestId}`, `/support/customers/${acct.customerId}`]) {
      for (const caller of [acct.session, acct.keyCaller!]) {
        const res = await api(path, { headers: caller.headers });
        expect(res.status, path).toBe(404);
        expect(JSON.stringify(await res.json())).not.toContain(goodEndpoint.url);
      }
    }
  });
});
