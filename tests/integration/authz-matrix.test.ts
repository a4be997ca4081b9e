import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Job } from "@/lib/api/contract/jobs.schema";
import type { KeyWithSecret } from "@/lib/api/contract/keys.schema";
import { ERROR_CODES } from "@/lib/api/contract/error-codes";
import { getDb } from "@/lib/server/db/client";
import { users, webhookEndpoints } from "@/lib/server/db/schema";
import { AUTH_ERRORS } from "@/lib/server/api/middleware/auth";
import { DemoBackend } from "@/lib/server/generation/demo";
import { setBackend } from "@/lib/server/generation/registry";
import { JobWorker } from "@/lib/server/worker/worker";
import { appRoutes } from "../support/routes";
import { api, json, ORIGIN, signIn } from "../support/api";
import {
  type Caller,
  type Envelope,
  expectJob,
  newAccount,
  openDatabase,
  pngBytes,
  postJob,
  sessionCaller,
  upload,
  waitForJob,
} from "../support/jobs";
import { installChangeCounter, stateChanges, uninstallChangeCounter } from "../support/state";

// The authorization matrix, generated from the app's own route list: one row per route, and a route
// without a row fails the first test. For every row:
//   • a path id owned by customer A, asked for by customer B (session, and key where keys are
//     accepted) → 404 not_found with the same body as a missing id, and nothing changes;
//   • /support, asked for by a customer (session or key) or by nobody → 404 not_found, identical bodies;
//   • a cookie-authenticated mutation sent cross-site (a foreign Origin, `Origin: null`, no Origin, or a
//     body type a form can send: text/plain) → 403 origin_not_allowed, and nothing changes.

type Auth = "public" | "any" | "session" | "support";
/** Things customer A owns, named by a path id. */
type Fixture =
  | "topUp"
  | "queuedJob"
  | "succeededJob"
  | "key"
  | "request"
  | "upload"
  | "webhookEndpoint"
  | "webhookDelivery"
  | "member"
  | "invitation";
type Row = {
  auth: Auth;
  /** The fixture whose id fills the path's parameter (rows with a parameter only). */
  owns?: Fixture;
  /** What a legitimate call sends (mutations): JSON, or the upload's multipart form. */
  body?: Record<string, unknown> | "multipart";
};

const MATRIX: Record<string, Row> = {
  "GET /health": { auth: "public" },
  "GET /openapi.json": { auth: "public" },
  // Authenticated by Stripe's signature over the body, never by a cookie or key.
  "POST /webhooks/stripe": { auth: "public" },

  "GET /products": { auth: "any" },
  "GET /balance": { auth: "any" },
  "GET /top-up-packs": { auth: "any" },
  "GET /billing/settings": { auth: "any" },
  "GET /billing/spend-alerts": { auth: "any" },
  "PATCH /billing/settings": { auth: "session", body: { low_balance_credits: 7 } },
  "POST /top-ups": { auth: "any", body: { pack: "pack_starter" } },
  "POST /billing/payment-method": { auth: "session", body: { resume_auto_recharge: true } },
  "GET /top-ups/{id}": { auth: "any", owns: "topUp" },
  "GET /ledger": { auth: "any" },
  "GET /usage": { auth: "any" },

  "GET /keys": { auth: "session" },
  "POST /keys": { auth: "session", body: { name: "cross-site" } },
  "GET /keys/{keyId}": { auth: "session", owns: "key" },
  "PATCH /keys/{keyId}": { auth: "session", owns: "key", body: { name: "stolen", status: "paused" } },
  "DELETE /keys/{keyId}": { auth: "session", owns: "key", body: {} },
  "POST /keys/{keyId}/roll": { auth: "session", owns: "key", body: {} },
  "POST /keys/{keyId}/check": { auth: "session", owns: "key", body: { ip: "203.0.113.7" } },
  "POST /keys/{keyId}/allowlist-preview": {
    auth: "session",
    owns: "key",
    body: { allowed_ips: ["203.0.113.0/24"], allowed_origins: [] },
  },
  "POST /keys/{keyId}/shadow": {
    auth: "session",
    owns: "key",
    body: { allowed_ips: ["203.0.113.0/24"], allowed_origins: [], duration_seconds: 3600 },
  },
  "POST /keys/{keyId}/shadow/enforce": { auth: "session", owns: "key", body: {} },
  "POST /keys/{keyId}/shadow/discard": { auth: "session", owns: "key", body: {} },
  "GET /keys/{keyId}/secret-traffic": { auth: "session", owns: "key" },
  "POST /keys/{keyId}/expire-old-secret": { auth: "session", owns: "key", body: {} },

  "GET /members": { auth: "session" },
  "PATCH /members/{userId}": { auth: "session", owns: "member", body: { role: "viewer" } },
  "DELETE /members/{userId}": { auth: "session", owns: "member", body: {} },
  "GET /members/invitations": { auth: "session" },
  "POST /members/invitations": { auth: "session", body: { email: "cross-site@example.test", role: "owner" } },
  "DELETE /members/invitations/{invitationId}": { auth: "session", owns: "invitation", body: {} },
  "POST /invitations/accept": { auth: "session", body: { token: "gmi_cross-site" } },
  "GET /session/customers": { auth: "session" },
  "POST /session/customer": { auth: "session", body: { customer_id: "cus_cross-site" } },

  "GET /events/stream": { auth: "any" },
  "GET /webhook-endpoints": { auth: "session" },
  "POST /webhook-endpoints": {
    auth: "session",
    body: { url: "https://example.com/cross-site", events: ["job.succeeded"] },
  },
  "GET /webhook-endpoints/{endpointId}": { auth: "session", owns: "webhookEndpoint" },
  "PATCH /webhook-endpoints/{endpointId}": {
    auth: "session",
    owns: "webhookEndpoint",
    body: { url: "https://attacker.example/steal" },
  },
  "DELETE /webhook-endpoints/{endpointId}": { auth: "session", owns: "webhookEndpoint", body: {} },
  "POST /webhook-endpoints/{endpointId}/roll-secret": { auth: "session", owns: "webhookEndpoint", body: {} },
  "POST /webhook-endpoints/{endpointId}/test": { auth: "session", owns: "webhookEndpoint", body: {} },
  "GET /webhook-deliveries": { auth: "session" },
  "GET /webhook-deliveries/{deliveryId}": { auth: "session", owns: "webhookDelivery" },
  "POST /webhook-deliveries/{deliveryId}/resend": { auth: "session", owns: "webhookDelivery", body: {} },

  "GET /audit": { auth: "session" },

  "GET /requests": { auth: "any" },
  "GET /requests/summary": { auth: "any" },
  "GET /requests/{request_id}": { auth: "any", owns: "request" },

  "POST /jobs": { auth: "any", body: { product: "text-to-image", prompt: "cross-site" } },
  "GET /jobs": { auth: "any" },
  "GET /jobs/export.csv": { auth: "any" },
  "GET /jobs/{id}": { auth: "any", owns: "queuedJob" },
  "GET /jobs/{id}/output": { auth: "any", owns: "succeededJob" },
  // A queued job: B must get 404, never invalid_state (which would tell the job exists).
  "POST /jobs/{id}/retry": { auth: "any", owns: "queuedJob", body: {} },
  "POST /jobs/{id}/cancel": { auth: "any", owns: "queuedJob", body: {} },

  "POST /uploads": { auth: "any", body: "multipart" },
  "GET /uploads/{id}": { auth: "any", owns: "upload" },
  "GET /uploads/{id}/content": { auth: "any", owns: "upload" },

  "GET /support/lookup": { auth: "support" },
  "POST /support/lookup": { auth: "support", body: { q: "req_01ZZZZZZZZZZZZZZZZZZZZZZZZ" } },
  "GET /support/requests/{request_id}": { auth: "support", owns: "request" },
  "GET /support/customers/{customer_id}": { auth: "support" },
  "GET /support/products": { auth: "support" },
  "GET /support/audit": { auth: "support" },
  "POST /support/customers/{customer_id}/pause": { auth: "support", body: { reason: "cross-site" } },
  "POST /support/customers/{customer_id}/unpause": { auth: "support", body: { reason: "cross-site" } },
  "POST /support/keys/{key_id}/pause": { auth: "support", owns: "key", body: { reason: "cross-site" } },
  "POST /support/keys/{key_id}/unpause": { auth: "support", owns: "key", body: { reason: "cross-site" } },
  "POST /support/products/{product_id}/pause": { auth: "support", body: { reason: "cross-site" } },
  "POST /support/products/{product_id}/unpause": { auth: "support", body: { reason: "cross-site" } },
};

const ROWS = Object.entries(MATRIX).map(([route, row]) => {
  const [method, path] = route.split(" ") as [string, string];
  return { route, method, path, ...row };
});
const isMutation = (method: string) => !["GET", "HEAD", "OPTIONS"].includes(method);

type Account = Awaited<ReturnType<typeof newAccount>>;
let a: Account;
let b: Account;
let staffCookie: string;
const ids = {} as Record<Fixture, string>;
let png: Buffer;

beforeAll(openDatabase);
beforeAll(async () => {
  png = await pngBytes(32, 24);
  [a, b] = [await newAccount("authz-a", 1000), await newAccount("authz-b", 1000)];
  staffCookie = await signIn("support@example.com", "support-password-1");

  // A succeeded job (it has output bytes), made by a worker that then stops: the rest stay queued.
  setBackend(new DemoBackend({ generationMs: 5 }));
  const worker = new JobWorker({ idleMinMs: 5, idleMaxMs: 20, retryDelayMs: () => 10, leaseMs: 5_000 });
  worker.start();
  try {
    const done = await expectJob(await postJob(a.keyCaller!, { product: "text-to-image", prompt: "mine" }));
    await waitForJob(done.id, ["succeeded"], 60_000);
    ids.succeededJob = done.id;
  } finally {
    await worker.stop();
    setBackend(undefined);
  }
  ids.queuedJob = (
    await expectJob(await postJob(a.session, { product: "text-to-image", prompt: "queued" }))
  ).id;

  const topUp = await api("/top-ups", {
    method: "POST",
    headers: a.session.headers,
    json: { pack: "pack_starter" },
  });
  expect(topUp.status, await topUp.clone().text()).toBe(201);
  ids.topUp = (await json<{ id: string }>(topUp)).id;

  const key = await api("/keys", {
    method: "POST",
    headers: a.session.headers,
    json: { name: "a's other key" },
  });
  expect(key.status).toBe(201);
  ids.key = (await json<KeyWithSecret>(key)).id;

  const endpoint = await api("/webhook-endpoints", {
    method: "POST",
    headers: a.session.headers,
    json: { url: "https://example.com/a-hooks", events: ["job.succeeded"] },
  });
  expect(endpoint.status, await endpoint.clone().text()).toBe(201);
  ids.webhookEndpoint = (await json<{ id: string }>(endpoint)).id;
  const test = await api(`/webhook-endpoints/${ids.webhookEndpoint}/test`, {
    method: "POST",
    headers: a.session.headers,
    json: {},
  });
  expect(test.status, await test.clone().text()).toBe(201);
  ids.webhookDelivery = (await json<{ id: string }>(test)).id;

  const db = await getDb();
  const [owner] = await db.select({ id: users.id }).from(users).where(eq(users.customerId, a.customerId));
  ids.member = owner!.id;
  const invitation = await api("/members/invitations", {
    method: "POST",
    headers: a.session.headers,
    json: { email: "authz-invitee@example.test", role: "developer" },
  });
  expect(invitation.status, await invitation.clone().text()).toBe(201);
  ids.invitation = (await json<{ id: string }>(invitation)).id;

  const uploaded = await upload(a.keyCaller!, png);
  expect(uploaded.status).toBe(201);
  ids.upload = (await json<{ id: string }>(uploaded)).id;

  const read = await api("/balance", { headers: a.keyCaller!.headers });
  ids.request = read.headers.get("x-request-id")!;
  // The request log is written off the request's path: wait until A can read its own request.
  for (let i = 0; ; i++) {
    const res = await api(`/requests/${ids.request}`, { headers: a.session.headers });
    if (res.status === 200) break;
    if (i > 100) throw new Error(`A cannot read its own request ${ids.request}: ${res.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }

  await installChangeCounter();
}, 180_000);
afterAll(async () => {
  await uninstallChangeCounter();
  // The endpoints point at the public internet: no deliverer of a later suite on this database may try them.
  const db = await getDb();
  await db.delete(webhookEndpoints).where(inArray(webhookEndpoints.customerId, [a.customerId, b.customerId]));
});

/** The path of a row with its parameter filled: A's fixture, or a plausible value of A's. */
function pathOf(row: (typeof ROWS)[number], id?: string): string {
  return row.path.replace(/\{([A-Za-z_]+)\}/, (_, param: string) => {
    if (id) return id;
    if (row.owns) return ids[row.owns];
    if (param === "customer_id") return a.customerId;
    if (param === "product_id") return "text-to-image";
    throw new Error(`no value for {${param}} in ${row.route}: give the row an \`owns\``);
  });
}

/** An id of the same shape that names nothing. */
function missingLike(id: string): string {
  const missing = `${id.slice(0, -4)}ZZZZ`;
  return missing === id ? `${id.slice(0, -4)}YYYY` : missing;
}

function send(method: string, path: string, caller: Caller, body?: Row["body"]) {
  if (body === "multipart") {
    const form = new FormData();
    form.set("file", new Blob([new Uint8Array(png)], { type: "image/png" }), "a.png");
    return api(path, { method, headers: caller.headers, body: form });
  }
  return api(path, { method, headers: caller.headers, json: body });
}

async function envelopeOf(res: Response, label: string): Promise<Envelope["error"]> {
  const text = await res.text();
  expect(res.status, `${label}: ${text}`).toBe(404);
  const { error } = JSON.parse(text) as Envelope;
  expect(error.code, label).toBe("not_found");
  expect(error.request_id, label).toBe(res.headers.get("x-request-id"));
  return error;
}

/** The body with its request id dropped and the asked-for id replaced, for comparing two answers. */
function comparable(error: Envelope["error"], id?: string) {
  const { request_id: _requestId, ...rest } = error;
  const text = JSON.stringify(rest);
  return JSON.parse(id ? text.replaceAll(id, "<ID>") : text) as unknown;
}

describe("the matrix", () => {
  it("has exactly one row per route the API serves (a new route needs a row here)", () => {
    const routes = appRoutes();
    const rows = Object.keys(MATRIX).sort();
    expect(
      routes.filter((r) => !rows.includes(r)),
      "routes without a row in MATRIX",
    ).toEqual([]);
    expect(
      rows.filter((r) => !routes.includes(r)),
      "rows naming no route",
    ).toEqual([]);
    for (const row of ROWS) {
      if (/\{/.test(row.path) && row.auth !== "support") {
        expect(row.owns, `${row.route} takes an id: which of A's things does it name?`).toBeDefined();
      }
      if (isMutation(row.method) && row.auth !== "public") {
        expect(row.body, `${row.route} is a mutation: what does a legitimate call send?`).toBeDefined();
      }
    }
  });

  it("documents, on every authenticated route, each error its requireAuth mode can answer with", async () => {
    const doc = await json<{
      paths: Record<string, Record<string, { responses: Record<string, { description: string }> }>>;
    }>(await api("/openapi.json"));
    const missing: string[] = [];
    for (const row of ROWS) {
      if (row.auth === "public" || row.route === "GET /openapi.json") continue;
      const operation = doc.paths[`/api/v1${row.path}`]?.[row.method.toLowerCase()];
      expect(operation, `${row.route} in the OpenAPI document`).toBeDefined();
      for (const code of AUTH_ERRORS[row.auth]) {
        // errorResponses() lists a status's codes in its description: "rate_limited, …".
        const listed = operation!.responses[String(ERROR_CODES[code].status)]?.description.split(", ");
        if (!listed?.includes(code)) missing.push(`${row.route}: ${code}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("sees a change when one happens (the counter behind “changes nothing”)", async () => {
    const before = await stateChanges();
    const res = await api("/billing/settings", {
      method: "PATCH",
      headers: a.session.headers,
      json: { low_balance_credits: 99 },
    });
    expect(res.status).toBe(200);
    expect(await stateChanges()).toBeGreaterThan(before);
  });

  it("each fixture is real: its owner reads it", async () => {
    for (const row of ROWS.filter((r) => r.owns && r.method === "GET" && r.auth !== "support")) {
      const res = await api(pathOf(row), { headers: a.session.headers });
      expect(res.status, `${row.route} as its owner`).toBe(200);
    }
  });
});

describe("another customer's id is 404, with the same body as a missing id", () => {
  for (const row of ROWS.filter((r) => r.owns && r.auth !== "support")) {
    // @code:not_found
    it(row.route, async () => {
      const callers: [string, Caller][] = [["B's session", b.session]];
      if (row.auth === "any") callers.push(["B's key", b.keyCaller!]);
      const id = ids[row.owns!];
      const missing = missingLike(id);
      const before = await stateChanges();
      for (const [who, caller] of callers) {
        const body = row.body === "multipart" ? undefined : row.body;
        const foreign = await envelopeOf(
          await send(row.method, pathOf(row), caller, body),
          `${row.route} with A's id as ${who}`,
        );
        const absent = await envelopeOf(
          await send(row.method, pathOf(row, missing), caller, body),
          `${row.route} with a missing id as ${who}`,
        );
        expect(comparable(foreign, id), `${row.route} as ${who}`).toEqual(comparable(absent, missing));
      }
      expect(await stateChanges(), `${row.route} changed something`).toBe(before);
    });
  }
});

describe("/support is 404 to a customer (session or key) and to nobody, the same answer each time", () => {
  for (const row of ROWS.filter((r) => r.auth === "support")) {
    // @code:not_found
    it(row.route, async () => {
      const anonymous: Caller = { headers: { origin: ORIGIN } };
      const callers: [string, Caller][] = [
        ["A's session", a.session],
        ["A's key", a.keyCaller!],
        ["nobody", anonymous],
        ["a garbage cookie", { headers: { cookie: "genmedia.session_token=forged", origin: ORIGIN } }],
      ];
      const before = await stateChanges();
      const bodies: unknown[] = [];
      for (const [who, caller] of callers) {
        const error = await envelopeOf(
          await send(row.method, pathOf(row), caller, row.body),
          `${row.route} as ${who}`,
        );
        expect(error.details, `${row.route} as ${who}`).toBeUndefined();
        bodies.push(comparable(error));
      }
      for (const body of bodies) expect(body).toEqual(bodies[0]);
      expect(await stateChanges(), `${row.route} changed something`).toBe(before);
    });
  }

  it("while staff get the real thing", async () => {
    const staff = sessionCaller(staffCookie);
    for (const row of ROWS.filter((r) => r.auth === "support" && r.method === "GET")) {
      const path = row.route.endsWith("/lookup") ? `${pathOf(row)}?q=${a.customerId}` : pathOf(row);
      expect((await api(path, { headers: staff.headers })).status, row.route).toBe(200);
    }
  });
});

const CROSS_SITE: [string, (type: string) => Record<string, string>][] = [
  ["a foreign Origin", (type) => ({ origin: "https://evil.example", "content-type": type })],
  ["Origin: null", (type) => ({ origin: "null", "content-type": type })],
  ["no Origin", (type) => ({ "content-type": type })],
  ["text/plain from the console's origin", () => ({ origin: ORIGIN, "content-type": "text/plain" })],
];

describe("cookie-authenticated mutations sent cross-site are refused, and change nothing", () => {
  for (const row of ROWS.filter((r) => isMutation(r.method) && r.auth !== "public")) {
    // @code:origin_not_allowed
    it(row.route, async () => {
      const cookie = row.auth === "support" ? staffCookie : a.cookie;
      const before = await stateChanges();
      for (const [name, headersFor] of CROSS_SITE) {
        let body: BodyInit;
        let type: string;
        if (row.body === "multipart") {
          const form = new FormData();
          form.set("file", new Blob([new Uint8Array(png)], { type: "image/png" }), "a.png");
          const encoded = new Request("http://x/", { method: "POST", body: form });
          type = encoded.headers.get("content-type")!;
          body = await encoded.arrayBuffer();
        } else {
          type = "application/json";
          body = JSON.stringify(row.body ?? {});
        }
        const res = await api(pathOf(row), {
          method: row.method,
          headers: { ...headersFor(type), cookie },
          body,
        });
        const text = await res.text();
        expect(res.status, `${row.route} with ${name}: ${text}`).toBe(403);
        const { error } = JSON.parse(text) as Envelope;
        expect(error.code, `${row.route} with ${name}`).toBe("origin_not_allowed");
        expect(error.request_id).toBe(res.headers.get("x-request-id"));
      }
      expect(await stateChanges(), `${row.route} changed something`).toBe(before);
      // Still A's: the job queued, the key active.
      if (row.owns === "queuedJob") {
        const job = await json<Job>(await api(`/jobs/${ids.queuedJob}`, { headers: a.session.headers }));
        expect(job.status).toBe("queued");
      }
    });
  }
});
