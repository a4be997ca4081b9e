/**
 * `npm run test:fuzz`: fast-check over every route of the API app (its own route list, with what its
 * OpenAPI operation declares), in-process through the app's fetch handler on the embedded database.
 *
 * For each endpoint, RUNS (10,000) generated requests: valid and mutated JSON bodies from the OpenAPI
 * schemas, any JSON, malformed and truncated text, query strings, path ids (own, another customer's,
 * missing, encoded garbage), headers (keys, sessions, staff, forged credentials, origins, content types,
 * Idempotency-Key, forwarded IPs), multipart bodies for /uploads and signed or forged Stripe events.
 * Every answer must hold:
 *   • no 5xx (the one designed exception: 502 service_unavailable for a prompt with the `!unavailable`
 *     test trigger, docs/test-triggers.md);
 *   • an error is exactly the envelope {error: {code, message, request_id, details?}} with a catalog code
 *     at its catalog status, and request_id = X-Request-Id (an idempotent replay carries the first answer's
 *     body, API.md, and so the first request's id), with Retry-After on every 429 and 5xx;
 *   • a refused request (≥ 400) changed nothing: not one committed write to the product's tables
 *     (tests/support/state.ts counts them with triggers);
 *   • every request has its request-log entry.
 *
 * Two shards (endpoints-0/1.test.ts) run in parallel, one database each; each endpoint gets fresh
 * customers. Knobs: FUZZ_SEED (default 20261125, printed; a comma list runs every endpoint once per seed —
 * CI adds a random one), FUZZ_RUNS (per endpoint and seed), FUZZ_ONLY="POST /jobs" (only the
 * endpoints whose key contains it), FUZZ_SAMPLES=n (print the first n requests and answers). A failure
 * prints the request; rerun with the same FUZZ_SEED (and FUZZ_ONLY) to reproduce it.
 */
import fc from "fast-check";
import { afterAll, beforeAll, it } from "vitest";
import sharp from "sharp";
import Stripe from "stripe";
import { ERROR_CODES, isErrorCode } from "@/lib/api/contract/error-codes";
import { getApiApp } from "@/lib/server/api/app";
import { credit } from "@/lib/server/billing/ledger";
import { getDb } from "@/lib/server/db/client";
import { resetEnvCache } from "@/lib/server/env";
import { DemoBackend } from "@/lib/server/generation/demo";
import { setBackend } from "@/lib/server/generation/registry";
import { CLIENT_IP_HEADER } from "@/lib/server/net/client-ip";
import { resetLimiters } from "@/lib/server/ratelimit/limiter";
import { flushRequestLog } from "@/lib/server/request-log/writer";
import { setRemoteFetchPolicy } from "@/lib/server/uploads/remote";
import { JobWorker } from "@/lib/server/worker/worker";
import { sql } from "drizzle-orm";
import { api, json, ORIGIN, signIn, signUp, uniqueEmail } from "../support/api";
import { installChangeCounter, stateChangeReader } from "../support/state";
import {
  type Json,
  cursorish,
  domainValues,
  validDomainValues,
  validFromSchema,
  fromSchema,
  headerName,
  headerValue,
  ipish,
  jsonBody,
  multipartBody,
  nastyString,
  originish,
  pathValue,
  type QueryParam,
  queryString,
  type Schema,
} from "./arbitraries";

/** The run's seeds: fixed by default so a failure reproduces; FUZZ_SEED picks others ("1,2"). */
export const SEEDS = (process.env.FUZZ_SEED ?? "20261125").split(",").map((s) => {
  const n = Number(s.trim());
  if (!Number.isSafeInteger(n)) throw new Error(`FUZZ_SEED: ${s} is not an integer`);
  return n;
});
/** Requests per endpoint and seed: 10,000 for a deliberate run; CI runs fewer (.ci/run). */
export const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const WEBHOOK_SECRET = "whsec_fuzz_only_0123456789abcdef";

/**
 * The limits the fuzz run lifts so that generated requests reach validation and the handlers instead of
 * stopping at the rate limiter; a small upload cap so image_too_large is reachable cheaply.
 */
export function configureFuzzEnvironment() {
  Object.assign(process.env, {
    RATE_LIMIT_PER_MINUTE: "1000000000",
    AUTH_FAILURES_PER_MINUTE: "1000000000",
    MAX_UPLOAD_BYTES: "65536",
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
  });
  delete process.env.REDIS_URL;
  delete process.env.STRIPE_SECRET_KEY;
  resetEnvCache();
  resetLimiters();
  // Image URLs never leave the machine (the generators use literal addresses the SSRF guard refuses);
  // this only bounds a surprise.
  setRemoteFetchPolicy({ timeoutMs: 300, maxRedirects: 1 });
}

export type Endpoint = {
  key: string; // "POST /jobs/{id}/retry"
  method: string;
  path: string;
  params: string[];
  query: QueryParam[];
  body: "json" | "multipart" | "webhook" | "none";
  bodySchema?: Schema;
  support: boolean;
  /** Who the route takes: a key or a session, a session only (keys, billing settings), or nobody. */
  takes: "key-or-session" | "session" | "nobody";
};

type OpenApiOperation = {
  security?: Record<string, unknown>[];
  parameters?: { in: string; name: string; schema: Schema }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
};

/** Every route the app serves (its own route list), with what its OpenAPI operation says it takes. */
export function endpoints(): { list: Endpoint[]; resolve: (ref: string) => Schema } {
  const app = getApiApp();
  const doc = app.getOpenAPI31Document({ openapi: "3.1.0", info: { title: "fuzz", version: "1" } });
  const schemas = (doc.components?.schemas ?? {}) as Record<string, Schema>;
  const resolve = (ref: string) => schemas[ref.replace("#/components/schemas/", "")] ?? {};
  const seen = new Map<string, Endpoint>();
  for (const route of app.routes) {
    if (route.method === "ALL") continue;
    const path = route.path.replace(/^\/api\/v1/, "").replace(/:([A-Za-z_]+)/g, "{$1}");
    const key = `${route.method} ${path}`;
    if (seen.has(key)) continue;
    // A Server-Sent Events stream never ends by itself: its own tests (events-stream.test.ts) cover it.
    if (key === "GET /events/stream") continue;
    const op = (doc.paths?.[`/api/v1${path}`] as Record<string, OpenApiOperation> | undefined)?.[
      route.method.toLowerCase()
    ];
    const content = op?.requestBody?.content ?? {};
    const body =
      path === "/webhooks/stripe"
        ? "webhook"
        : content["multipart/form-data"]
          ? "multipart"
          : content["application/json"] || !["GET", "HEAD"].includes(route.method)
            ? "json"
            : "none";
    seen.set(key, {
      key,
      method: route.method,
      path,
      params: [...path.matchAll(/\{([A-Za-z_]+)\}/g)].map((m) => m[1]!),
      query: (op?.parameters ?? [])
        .filter((p) => p.in === "query")
        .map((p) => ({ name: p.name, schema: p.schema })),
      body,
      bodySchema: content["application/json"]?.schema,
      support: path.startsWith("/support/"),
      takes: !op?.security?.length
        ? "nobody"
        : op.security.some((s) => "bearerAuth" in s)
          ? "key-or-session"
          : "session",
    });
  }
  return { list: [...seen.values()].sort((a, b) => a.key.localeCompare(b.key)), resolve };
}

type Actor = { cookie: string; secret: string; keyId: string; customerId: string };
type Owned = {
  jobId: string;
  uploadId: string;
  uploadUrl: string;
  topUpId: string;
  requestId: string;
  keyId: string;
};

/** Who calls, and what exists: fresh customers per endpoint, a foreign customer and staff per shard. */
type World = {
  rich: Actor & Owned;
  poor: Actor;
  staff: string;
  foreign: Owned & { customerId: string; outputUrl: string; succeededJobId: string };
  files: { png: Uint8Array; jpeg: Uint8Array; big: Uint8Array };
};

async function newActor(tag: string, credits: number): Promise<Actor> {
  const email = uniqueEmail(`fuzz-${tag}`);
  const cookie = await signUp(email, "a-long-password-1", "Fuzz");
  const db = await getDb();
  const { rows } = await db.execute<{ customer_id: string }>(
    sql`select customer_id from users where email = ${email}`,
  );
  const customerId = rows[0]!.customer_id;
  if (credits > 0)
    await db.transaction((tx) => credit(tx, customerId, credits, "adjustment", { note: "fuzz" }));
  const key = await json<{ id: string; secret: string }>(
    await api("/keys", { method: "POST", headers: { cookie, origin: ORIGIN }, json: { name: "fuzz actor" } }),
  );
  return { cookie, secret: key.secret, keyId: key.id, customerId };
}

async function ownThings(actor: Actor, png: Uint8Array): Promise<Owned> {
  const headers = { cookie: actor.cookie, origin: ORIGIN };
  const job = await json<{ id: string }>(
    await api("/jobs", {
      method: "POST",
      headers,
      json: { product: "text-to-image", prompt: "fuzz fixture" },
    }),
  );
  const form = new FormData();
  form.set("file", new Blob([new Uint8Array(png)], { type: "image/png" }), "f.png");
  const upload = await json<{ id: string; url: string }>(
    await api("/uploads", {
      method: "POST",
      headers: { authorization: `Bearer ${actor.secret}` },
      body: form,
    }),
  );
  const topUp = await json<{ id: string }>(
    await api("/top-ups", { method: "POST", headers, json: { pack: "pack_starter" } }),
  );
  const key = await json<{ id: string }>(
    await api("/keys", { method: "POST", headers, json: { name: "fuzz victim" } }),
  );
  const read = await api("/balance", { headers });
  return {
    jobId: job.id,
    uploadId: upload.id,
    uploadUrl: upload.url,
    topUpId: topUp.id,
    keyId: key.id,
    requestId: read.headers.get("x-request-id")!,
  };
}

let shared: Promise<Omit<World, "rich" | "poor">> | undefined;

/** Staff, a foreign customer with a succeeded job (made by a worker that then stops), and test files. */
function sharedWorld() {
  return (shared ??= (async () => {
    await installChangeCounter();
    const png = new Uint8Array(
      await sharp({ create: { width: 24, height: 16, channels: 3, background: "#c33" } })
        .png()
        .toBuffer(),
    );
    const jpeg = new Uint8Array(
      await sharp({ create: { width: 20, height: 20, channels: 3, background: "#3c3" } })
        .jpeg()
        .toBuffer(),
    );
    const big = new Uint8Array(70_000).fill(7);
    const staff = await signIn("support@example.com", "support-password-1");
    const owner = await newActor("foreign", 1000);
    setBackend(new DemoBackend({ generationMs: 5 }));
    const worker = new JobWorker({ idleMinMs: 5, idleMaxMs: 20, retryDelayMs: () => 10, leaseMs: 5_000 });
    worker.start();
    let succeeded: { id: string; output: { url: string } | null; status: string };
    try {
      const created = await json<{ id: string }>(
        await api("/jobs", {
          method: "POST",
          headers: { authorization: `Bearer ${owner.secret}` },
          json: { product: "text-to-image", prompt: "foreign output" },
        }),
      );
      for (let i = 0; ; i++) {
        succeeded = await json(
          await api(`/jobs/${created.id}`, { headers: { authorization: `Bearer ${owner.secret}` } }),
        );
        if (succeeded.status === "succeeded") break;
        if (i > 600) throw new Error(`fixture job ${created.id} is still ${succeeded.status}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await worker.stop();
      setBackend(undefined);
    }
    const owned = await ownThings(owner, png);
    return {
      staff,
      foreign: {
        ...owned,
        customerId: owner.customerId,
        succeededJobId: succeeded.id,
        outputUrl: succeeded.output!.url,
      },
      files: { png, jpeg, big },
    };
  })());
}

/** A fresh rich customer (a billion credits) and a poor one (none) for one endpoint's run. */
export async function worldFor(): Promise<World> {
  const base = await sharedWorld();
  const rich = await newActor("rich", 1_000_000_000);
  const poor = await newActor("poor", 0);
  return { ...base, rich: { ...rich, ...(await ownThings(rich, base.files.png)) }, poor };
}

/** Known values for a path parameter, by its name and the route it is in. */
function knownIds(endpoint: Endpoint, param: string, w: World): string[] {
  const missing = (prefix: string) => `${prefix}_01J00000000000000000000000`;
  const { rich, foreign } = w;
  if (endpoint.path.startsWith("/jobs/"))
    return [rich.jobId, foreign.jobId, foreign.succeededJobId, missing("job")];
  if (endpoint.path.startsWith("/uploads/")) return [rich.uploadId, foreign.uploadId, missing("upl")];
  if (endpoint.path.startsWith("/top-ups/")) return [rich.topUpId, foreign.topUpId, missing("top")];
  if (param === "request_id") return [rich.requestId, foreign.requestId, missing("req")];
  // Never an actor's own key or customer: pausing those would end the sessions the run calls with.
  if (param === "keyId" || param === "key_id")
    return [rich.keyId, foreign.keyId, w.poor.keyId, missing("key")];
  if (param === "customer_id") return [foreign.customerId, "cus_demo", "cus_other", missing("cus")];
  if (param === "product_id")
    return ["text-to-image", "image-edit", "image-to-video", "legacy-upscale", "nope"];
  return [missing("x")];
}

type Fuzzed = {
  method: string;
  url: string;
  headers: [string, string][];
  body?: string | Uint8Array;
};

/** Latin-1 without CR, LF or NUL: what a header value can be. */
const asHeader = (s: string) => s.replace(/[^\t\x20-\x7e\x80-\xff]/g, "").trim();

function requestArbitrary(
  endpoint: Endpoint,
  w: World,
  resolve: (ref: string) => Schema,
): fc.Arbitrary<Fuzzed> {
  const known = {
    products: ["text-to-image", "image-edit", "image-to-video", "legacy-upscale"],
    packs: ["pack_starter", "pack_growth", "pack_scale"],
    imageUrls: [
      w.rich.uploadUrl,
      w.foreign.uploadUrl,
      w.foreign.outputUrl,
      `${ORIGIN}/api/v1/uploads/upl_nope/content`,
    ],
  };
  const hints = domainValues(known);
  const validHints: Record<string, fc.Arbitrary<Json>> = {
    ...validDomainValues(known),
    // Query values that name things: the caller's own, so filters match something.
    key_id: fc.constantFrom(w.rich.keyId, w.foreign.keyId),
    job_id: fc.constantFrom(w.rich.jobId, w.foreign.jobId),
    customer_id: fc.constantFrom(w.foreign.customerId, "cus_demo"),
    cursor: cursorish,
    q: fc.constantFrom(
      w.foreign.customerId,
      w.rich.requestId,
      w.rich.keyId,
      w.rich.jobId,
      "demo@example.com",
      "sk_live_abcd",
    ),
  };

  const path = endpoint.params.reduce<fc.Arbitrary<string>>(
    (acc, param) =>
      acc.chain((p) => pathValue(knownIds(endpoint, param, w)).map((v) => p.replace(`{${param}}`, v))),
    fc.constant(endpoint.path),
  );
  const query = queryString(endpoint.query, resolve, hints, validHints);

  const bearer = (secret: string) => `Bearer ${secret}`;
  // Mostly callers the route takes, so requests reach validation and the handler; the rest are refusals.
  // Where a key will do, mostly keys: a session costs three queries to authenticate, a key one.
  const keys = endpoint.takes === "key-or-session" ? 8 : 1;
  const sessions = endpoint.support ? 2 : endpoint.takes === "key-or-session" ? 3 : 8;
  const caller: fc.Arbitrary<[string, string][]> = fc.oneof(
    { weight: sessions, arbitrary: fc.constant<[string, string][]>([["cookie", w.rich.cookie]]) },
    { weight: keys, arbitrary: fc.constant<[string, string][]>([["authorization", bearer(w.rich.secret)]]) },
    {
      weight: endpoint.takes === "key-or-session" ? 1 : 2,
      arbitrary: fc.constant<[string, string][]>([["cookie", w.poor.cookie]]),
    },
    {
      weight: keys === 8 ? 2 : 1,
      arbitrary: fc.constant<[string, string][]>([["authorization", bearer(w.poor.secret)]]),
    },
    { weight: endpoint.support ? 14 : 1, arbitrary: fc.constant<[string, string][]>([["cookie", w.staff]]) },
    { weight: 1, arbitrary: fc.constant<[string, string][]>([]) },
    {
      weight: 1,
      arbitrary: fc
        .oneof(
          nastyString(50).map((s) => `Bearer ${s}`),
          fc.stringMatching(/^[0-9A-Za-z]{38}$/).map((s) => `Bearer sk_live_${s}`),
          fc.constantFrom(
            "Bearer",
            "Bearer ",
            "Basic dXNlcjpwYXNz",
            `Bearer ${w.rich.secret}x`,
            `bearer  ${w.rich.secret}`,
          ),
          headerValue(60),
        )
        .map((v): [string, string][] => [["authorization", asHeader(v)]]),
    },
    {
      weight: 1,
      arbitrary: fc
        .oneof(
          headerValue(60).map((v) => `genmedia.session_token=${v}`),
          headerValue(80),
        )
        .map((v): [string, string][] => [["cookie", asHeader(v)]]),
    },
    {
      weight: 1,
      arbitrary: fc.constant<[string, string][]>([
        ["cookie", w.rich.cookie],
        ["authorization", bearer(w.poor.secret)],
      ]),
    },
  );

  const origin = fc.option(
    fc.oneof(
      { weight: 12, arbitrary: fc.constant(ORIGIN) },
      { weight: 1, arbitrary: fc.constantFrom("null", "https://evil.example", "http://localhost:3000/") },
      { weight: 1, arbitrary: originish },
    ),
    { freq: 8 },
  );
  const idempotencyKey = fc.option(
    fc.oneof(
      fc.stringMatching(/^[!-~]{1,40}$/),
      fc.constantFrom("", "x".repeat(255), "x".repeat(256), "a b", "\t"),
      headerValue(40),
    ),
    { freq: 3 },
  );
  const extras = fc.record({
    idempotencyKey,
    forwardedFor: fc.option(ipish, { freq: 6 }),
    clientIp: fc.option(ipish, { freq: 4 }),
    accept: fc.option(fc.constantFrom("application/json", "text/csv", "*/*", "image/png"), { freq: 4 }),
    random: fc.dictionary(headerName, headerValue(30), { maxKeys: 2 }),
  });

  let body: fc.Arbitrary<{ body?: string | Uint8Array; type?: string; signature?: string | "sign" }>;
  if (endpoint.body === "multipart") {
    body = multipartBody(w.files).map(({ body: b, type }) => ({ body: b, type }));
  } else if (endpoint.body === "webhook") {
    const object = fc.record(
      {
        id: fc.oneof(fc.constantFrom("cs_test_1", "cs_test_2"), nastyString(20)),
        payment_status: fc.oneof(fc.constantFrom("paid", "unpaid", "no_payment_required"), nastyString(8)),
        amount_total: fc.oneof(fc.constantFrom(500, 0, -1), fc.jsonValue()),
        currency: fc.oneof(fc.constantFrom("usd", "eur"), fc.jsonValue()),
        metadata: fc.oneof(
          fc.record(
            { top_up_id: fc.constantFrom(w.rich.topUpId, w.foreign.topUpId, "top_nope") },
            { requiredKeys: [] },
          ),
          fc.jsonValue(),
        ),
      },
      { requiredKeys: [] },
    );
    const event = fc.record(
      {
        id: fc.oneof(fc.stringMatching(/^evt_[a-z0-9]{1,12}$/), fc.jsonValue()),
        type: fc.oneof(
          fc.constantFrom(
            "checkout.session.completed",
            "checkout.session.async_payment_succeeded",
            "checkout.session.async_payment_failed",
            "checkout.session.expired",
            "charge.refunded",
          ),
          nastyString(20),
        ),
        data: fc.oneof(
          { weight: 4, arbitrary: fc.record({ object }) },
          { weight: 1, arbitrary: fc.jsonValue() },
        ),
      },
      { requiredKeys: [] },
    );
    body = fc
      .tuple(
        fc.oneof(
          { weight: 4, arbitrary: event.map((e) => JSON.stringify(e)) },
          { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
          { weight: 1, arbitrary: nastyString(40) },
        ),
        fc.oneof(
          { weight: 3, arbitrary: fc.constant<"sign">("sign") },
          { weight: 1, arbitrary: headerValue(80) },
          { weight: 1, arbitrary: fc.constant("t=1,v1=00") },
          { weight: 1, arbitrary: fc.constant(undefined) },
        ),
      )
      .map(([payload, signature]) => ({ body: payload, type: "application/json", signature }));
  } else {
    const shaped = endpoint.bodySchema ? fromSchema(endpoint.bodySchema, resolve, hints) : fc.constant({});
    const valid =
      endpoint.key === "POST /jobs"
        ? validJobBody(validHints)
        : endpoint.bodySchema
          ? validFromSchema(endpoint.bodySchema, resolve, validHints)
          : fc.constant({});
    const properties = endpoint.bodySchema?.$ref
      ? resolve(endpoint.bodySchema.$ref).properties
      : endpoint.bodySchema?.properties;
    const hostile = (field: string): fc.Arbitrary<Json> =>
      fc.oneof(
        hints[field] ?? fc.constant(null),
        properties?.[field] ? fromSchema(properties[field], resolve, hints) : fc.constant(null),
        fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
      );
    const type = fc.oneof(
      { weight: 8, arbitrary: fc.constant("application/json") },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          "application/json; charset=utf-8",
          "APPLICATION/JSON",
          "text/plain",
          "application/x-www-form-urlencoded",
          "multipart/form-data; boundary=x",
          "application/merge-patch+json",
        ),
      },
      { weight: 1, arbitrary: fc.option(headerValue(30), { nil: undefined }) },
    );
    body = fc.tuple(jsonBody(shaped, valid, hostile), type).map(([b, t]) => ({ body: b, type: t }));
  }

  const method = fc.oneof(
    { weight: 19, arbitrary: fc.constant(endpoint.method) },
    { weight: 1, arbitrary: fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS") },
  );

  return fc.tuple(method, path, query, caller, origin, extras, body).map(([m, p, q, who, o, x, b]) => {
    const headers: [string, string][] = [...who];
    if (o !== null) headers.push(["origin", asHeader(o)]);
    if (x.idempotencyKey !== null) headers.push(["idempotency-key", asHeader(x.idempotencyKey)]);
    if (x.forwardedFor !== null) headers.push(["x-forwarded-for", asHeader(x.forwardedFor)]);
    if (x.clientIp !== null) headers.push([CLIENT_IP_HEADER, asHeader(x.clientIp)]);
    if (x.accept !== null) headers.push(["accept", x.accept]);
    for (const [k, v] of Object.entries(x.random)) headers.push([k, asHeader(v)]);
    const hasBody = !["GET", "HEAD"].includes(m) && b.body !== undefined;
    if (hasBody && b.type !== undefined) headers.push(["content-type", asHeader(b.type)]);
    if (b.signature === "sign" && typeof b.body === "string") {
      headers.push([
        "stripe-signature",
        Stripe.webhooks.generateTestHeaderString({ payload: b.body, secret: WEBHOOK_SECRET }),
      ]);
    } else if (b.signature !== undefined) {
      headers.push(["stripe-signature", asHeader(b.signature)]);
    }
    return { method: m, url: `${ORIGIN}/api/v1${p}${q}`, headers, body: hasBody ? b.body : undefined };
  });
}

/** A job the contract accepts: the image field its product needs, and no other (a cross-field rule). */
function validJobBody(hints: Record<string, fc.Arbitrary<Json>>): fc.Arbitrary<Json> {
  // `frames` is for video products only.
  const params = (video: boolean) =>
    fc.record(
      {
        width: hints.width!,
        height: hints.height!,
        seed: hints.seed!,
        ...(video ? { frames: hints.frames! } : {}),
      },
      { requiredKeys: [] },
    ) as fc.Arbitrary<Json>;
  const job = (product: string, image?: "source_image_url" | "start_image_url") =>
    fc.record(
      {
        product: fc.constant(product),
        prompt: hints.prompt!,
        params: params(image === "start_image_url"),
        ...(image ? { [image]: hints[image]! } : {}),
      },
      { requiredKeys: ["product", "prompt", ...(image ? [image] : [])] as never[] },
    ) as fc.Arbitrary<Json>;
  return fc.oneof(
    { weight: 4, arbitrary: job("text-to-image") },
    { weight: 2, arbitrary: job("image-edit", "source_image_url") },
    { weight: 2, arbitrary: job("image-to-video", "start_image_url") },
    { weight: 1, arbitrary: job("legacy-upscale") },
  );
}

const ENVELOPE_KEYS = new Set(["code", "message", "request_id", "details"]);

/** The verdict on one answer; throws (with the request) when it breaks a rule. */
function check(req: Fuzzed, res: Response, text: string): { code: string | null } {
  const fail = (why: string) => {
    const shown =
      typeof req.body === "string" ? req.body.slice(0, 300) : req.body ? `<${req.body.length} bytes>` : "";
    throw new Error(
      `${why}\n  ${req.method} ${req.url}\n  headers: ${JSON.stringify(req.headers)}\n  body: ${shown}\n` +
        `  → ${res.status} ${text.slice(0, 500)}`,
    );
  };
  const requestId = res.headers.get("x-request-id");
  if (!requestId || !/^req_[0-9A-Z]{26}$/.test(requestId))
    fail(`X-Request-Id missing or malformed: ${requestId}`);
  if (res.status < 400) return { code: null };
  if (req.method === "HEAD") return { code: null }; // no body to read
  if (!(res.headers.get("content-type") ?? "").startsWith("application/json"))
    fail("an error that is not JSON");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    fail("an error body that does not parse");
  }
  const error = (parsed as { error?: Record<string, unknown> } | null)?.error;
  if (!error || typeof error !== "object" || Object.keys(parsed as object).length !== 1)
    fail("not the envelope");
  const e = error as Record<string, unknown>;
  for (const k of Object.keys(e)) if (!ENVELOPE_KEYS.has(k)) fail(`unexpected envelope field ${k}`);
  if (!isErrorCode(e.code)) fail(`code ${String(e.code)} is not in the catalog`);
  const code = e.code as keyof typeof ERROR_CODES;
  if (typeof e.message !== "string" || !e.message) fail("an empty message");
  // A replay carries the first answer's body byte for byte (API.md, Idempotency), and so its request id.
  const replayed = res.headers.get("idempotent-replayed") === "true";
  if (replayed ? !/^req_[0-9A-Z]{26}$/.test(String(e.request_id)) : e.request_id !== requestId) {
    fail(`request_id ${String(e.request_id)} ≠ X-Request-Id ${requestId}`);
  }
  if (
    e.details !== undefined &&
    (typeof e.details !== "object" || e.details === null || Array.isArray(e.details))
  ) {
    fail("details is not an object");
  }
  const backendDown =
    res.status === 502 &&
    code === "service_unavailable" &&
    String(req.body).toLowerCase().includes("!unavailable");
  if (res.status >= 500 && !backendDown) fail(`a ${res.status} (${code})`);
  if (!backendDown && ERROR_CODES[code].status !== res.status) fail(`${code} answered with ${res.status}`);
  if ((res.status === 429 || res.status >= 500) && !/^[1-9]\d*$/.test(res.headers.get("retry-after") ?? "")) {
    fail("no whole-second Retry-After on a 429/5xx");
  }
  return { code };
}

/** Stable per-endpoint seed: adding a route never changes another route's sequence. */
function seedOf(key: string, runSeed: number): number {
  let h = runSeed >>> 0;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619) >>> 0;
  return h | 0;
}

export type EndpointReport = {
  endpoint: string;
  seeds: number[];
  runs: number;
  ms: number;
  statuses: Record<string, number>;
  codes: Record<string, number>;
  refused: number;
};

/** Fuzzes one endpoint RUNS times: no 5xx, every error enveloped with its id, refusals change nothing. */
export async function fuzzEndpoint(
  endpoint: Endpoint,
  resolve: (ref: string) => Schema,
): Promise<EndpointReport> {
  const w = await worldFor();
  const app = getApiApp();
  const statuses: Record<string, number> = {};
  const codes: Record<string, number> = {};
  let refused = 0;
  let changed = 0;
  const requestIds: string[] = [];
  let samples = Number(process.env.FUZZ_SAMPLES ?? 0);
  const stateChanges = await stateChangeReader();
  let last = await stateChanges();
  const started = performance.now();
  const seeds = SEEDS.map((runSeed) => seedOf(endpoint.key, runSeed));
  for (const seed of seeds) {
    await fc.assert(
      fc.asyncProperty(requestArbitrary(endpoint, w, resolve), async (req) => {
        const res = await app.fetch(
          new Request(req.url, {
            method: req.method,
            headers: req.headers,
            body: req.body as BodyInit | undefined,
          }),
        );
        let text: string;
        try {
          text = await res.text();
        } catch (error) {
          throw new Error(`the body broke while streaming: ${String(error)}\n  ${req.method} ${req.url}`);
        }
        const { code } = check(req, res, text);
        if (samples-- > 0) {
          console.log(
            `${req.method} ${req.url} ${JSON.stringify(req.headers)} ${String(req.body).slice(0, 200)}\n  → ${res.status} ${text.slice(0, 200)}`,
          );
        }
        requestIds.push(res.headers.get("x-request-id")!);
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        if (code) codes[code] = (codes[code] ?? 0) + 1;
        const now = await stateChanges();
        if (res.status >= 400 && now !== last) {
          throw new Error(
            `a refused request (${res.status} ${code}) changed state (${now - last} writes)\n  ${req.method} ${req.url}\n` +
              `  headers: ${JSON.stringify(req.headers)}\n  body: ${String(req.body).slice(0, 300)}`,
          );
        }
        if (res.status >= 400) refused++;
        else if (now !== last) changed++;
        last = now;
      }),
      { numRuns: RUNS, seed, endOnFailure: true },
    );
  }
  // The counter is live: an endpoint that changed something successfully shows it.
  const mutationsSucceeded =
    Object.entries(statuses).some(([s]) => Number(s) < 300) && endpoint.method !== "GET";
  if (
    mutationsSucceeded &&
    /^(POST|PATCH|DELETE) \/(keys|top-ups|uploads|jobs|billing)/.test(endpoint.key) &&
    // Questions asked with a POST: they change nothing by design.
    !endpoint.key.endsWith("/check") &&
    !endpoint.key.endsWith("/allowlist-preview") &&
    changed === 0
  ) {
    throw new Error(`${endpoint.key}: successful mutations, but the state-change counter never moved`);
  }
  // Every request has its request-log entry (API.md: a request with no stored entry is a bug).
  await flushRequestLog();
  const db = await getDb();
  const logged = new Set<string>();
  for (let i = 0; i < requestIds.length; i += 1000) {
    const chunk = requestIds.slice(i, i + 1000);
    const { rows } = await db.execute<{ request_id: string }>(
      sql`select request_id from request_log where request_id in ${sql.raw(`(${chunk.map((id) => `'${id}'`).join(",")})`)}`,
    );
    for (const r of rows) logged.add(r.request_id);
  }
  const unlogged = requestIds.filter((id) => !logged.has(id));
  if (unlogged.length) {
    throw new Error(
      `${unlogged.length} of ${requestIds.length} requests have no request-log entry, e.g. ${unlogged.slice(0, 3).join(", ")}`,
    );
  }
  return {
    endpoint: endpoint.key,
    seeds,
    runs: RUNS * seeds.length,
    ms: performance.now() - started,
    statuses,
    codes,
    refused,
  };
}

/** Registers one vitest test per endpoint of this shard (shards run in parallel, one database each). */
export function fuzzShard(index: number, count: number) {
  configureFuzzEnvironment();
  const { list, resolve } = endpoints();
  // FUZZ_ONLY="POST /jobs" narrows a run to the endpoints whose key contains it (debugging).
  const only = process.env.FUZZ_ONLY;
  const mine = list.filter((e, i) => i % count === index && (!only || e.key.includes(only)));
  const reports: EndpointReport[] = [];
  beforeAll(async () => {
    await getDb();
    console.log(
      `fuzz shard ${index + 1}/${count}: seeds ${SEEDS.join(",")} (FUZZ_SEED), ${RUNS} requests per endpoint and seed (FUZZ_RUNS), ` +
        `${mine.length} of ${list.length} endpoints`,
    );
  });
  afterAll(() => {
    const total = reports.reduce((n, r) => n + r.runs, 0);
    const ms = reports.reduce((n, r) => n + r.ms, 0);
    console.log(
      `fuzz shard ${index + 1}/${count}: ${total} requests in ${(ms / 1000).toFixed(1)} s ` +
        `(${Math.round((total / ms) * 1000)}/s), zero 5xx, every error enveloped with its request id`,
    );
  });
  for (const endpoint of mine) {
    it(endpoint.key, async () => {
      const report = await fuzzEndpoint(endpoint, resolve);
      reports.push(report);
      const top = Object.entries(report.codes)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 6)
        .map(([c, n]) => `${c} ${n}`)
        .join(", ");
      console.log(
        `${endpoint.key}: ${report.runs} requests in ${(report.ms / 1000).toFixed(1)} s, seeds ${report.seeds.join(",")}; ` +
          `statuses ${JSON.stringify(report.statuses)}; ${report.refused} refused, none changed state; top codes: ${top}`,
      );
    });
  }
}
