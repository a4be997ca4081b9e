import { createServer, type Server } from "node:http";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Job, JobList } from "@/lib/api/contract/jobs.schema";
import type { Upload } from "@/lib/api/contract/uploads.schema";
import { getDb } from "@/lib/server/db/client";
import { apiKeys, jobs, ledgerEntries, products } from "@/lib/server/db/schema";
import { setRemoteFetchPolicy } from "@/lib/server/uploads/remote";
import { api, json } from "../support/api";
import {
  balanceOf,
  expectBalanceIsLedgerSum,
  expectError,
  expectJob,
  jobAction,
  jobRow,
  newAccount,
  openDatabase,
  pngBytes,
  postJob,
  upload,
} from "../support/jobs";

// POST /jobs and the job actions, every job-side code in its situation. No worker runs in this file,
// so jobs stay queued.

beforeAll(openDatabase);

process.env.MAX_UNFINISHED_JOBS_PER_KEY = "3";
process.env.MAX_UPLOAD_BYTES = "100000";

const PORT = 3571;
let server: Server;
let hits = 0;
let png: Buffer;

beforeAll(async () => {
  png = await pngBytes(40, 30);
  server = createServer((req, res) => {
    hits++;
    if (req.url === "/image.png") return res.writeHead(200, { "content-type": "image/png" }).end(png);
    if (req.url === "/huge.png") {
      // 300 kB of "image", sent without a Content-Length: the cap must trip while streaming.
      res.writeHead(200, { "content-type": "image/png" });
      for (let i = 0; i < 30; i++) res.write(Buffer.alloc(10_000, 7));
      return res.end();
    }
    if (req.url === "/text") return res.writeHead(200, { "content-type": "text/plain" }).end("not an image");
    if (req.url === "/redirect") return res.writeHead(302, { location: "/image.png" }).end();
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(PORT, "127.0.0.1", resolve));
});
afterAll(async () => {
  setRemoteFetchPolicy(undefined);
  await new Promise((resolve) => server.close(resolve));
});

async function jobCount(customerId: string) {
  const db = await getDb();
  return (await db.select({ id: jobs.id }).from(jobs).where(eq(jobs.customerId, customerId))).length;
}

describe("POST /jobs validation, in the contract's order", () => {
  // @code:invalid_request
  it("invalid_request with one field path per failed field", async () => {
    const acct = await newAccount("val", 100, false);
    const err = await expectError(
      await postJob(acct.session, {
        product: 5,
        prompt: "",
        source_image_url: "ftp://example.com/a.png",
        params: { width: 10, colour: "red" },
      }),
      400,
      "invalid_request",
    );
    const paths = (err.details!.fields as { path: string }[]).map((f) => f.path).sort();
    expect(paths).toEqual(expect.arrayContaining(["product", "prompt", "source_image_url", "params.width"]));
    expect(paths.some((p) => p === "params" || p.startsWith("params.colour"))).toBe(true);
    expect(await jobCount(acct.customerId)).toBe(0);
  });

  it("a key request whose body is not declared JSON is invalid_request, never a 500", async () => {
    const acct = await newAccount("ctype", 100);
    for (const headers of [{}, { "content-type": "text/plain" }] as Record<string, string>[]) {
      const res = await api("/jobs", {
        method: "POST",
        headers: { ...acct.keyCaller!.headers, ...headers },
        body: JSON.stringify({ product: "text-to-image", prompt: "x" }),
      });
      await expectError(res, 400, "invalid_request");
    }
  });

  // @code:invalid_product @code:product_paused
  it("invalid_product names the product; product_paused (409) names it too", async () => {
    const acct = await newAccount("prod", 100, false);
    const unknown = await expectError(
      await postJob(acct.session, { product: "nope", prompt: "x" }),
      400,
      "invalid_product",
    );
    expect(unknown.details).toEqual({ product: "nope" });
    const paused = await expectError(
      await postJob(acct.session, { product: "legacy-upscale", prompt: "x" }),
      409,
      "product_paused",
    );
    expect(paused.details).toEqual({ product: "legacy-upscale" });
  });

  // @code:source_image_required
  it("source_image_required for a product whose needs are not met", async () => {
    const acct = await newAccount("needs", 100, false);
    await expectError(
      await postJob(acct.session, { product: "image-edit", prompt: "x" }),
      400,
      "source_image_required",
    );
    await expectError(
      await postJob(acct.session, {
        product: "image-to-video",
        prompt: "x",
        source_image_url: "https://example.com/a.png",
      }),
      400,
      "source_image_required",
    );
    const extra = await expectError(
      await postJob(acct.session, {
        product: "text-to-image",
        prompt: "x",
        source_image_url: "https://example.com/a.png",
      }),
      400,
      "invalid_request",
    );
    expect(extra.details!.fields).toEqual([{ path: "source_image_url", message: expect.any(String) }]);
    expect(await balanceOf(acct.customerId)).toBe(100);
  });

  // @code:invalid_image
  it("invalid_image for a URL naming no upload of this account (missing, or another customer's)", async () => {
    const owner = await newAccount("img-owner", 100);
    const stranger = await newAccount("img-stranger", 100, false);
    const up = await json<Upload>(await upload(owner.keyCaller!, png));
    const theirs = await expectError(
      await postJob(stranger.session, { product: "image-edit", prompt: "x", source_image_url: up.url }),
      400,
      "invalid_image",
    );
    expect(theirs.details).toMatchObject({ field: "source_image_url", reason: "not_found" });
    await expectError(
      await postJob(stranger.session, {
        product: "image-edit",
        prompt: "x",
        source_image_url: "http://localhost:3000/api/v1/uploads/upl_01J00000000000000000000000/content",
      }),
      400,
      "invalid_image",
    );
    expect(await balanceOf(stranger.customerId)).toBe(100);
  });

  it("never fetches loopback, private, link-local or mapped addresses (SSRF)", async () => {
    const acct = await newAccount("ssrf", 100, false);
    const before = hits;
    for (const url of [
      `http://127.0.0.1:${PORT}/image.png`,
      `http://localhost:${PORT}/image.png`,
      `http://[::1]:${PORT}/image.png`,
      `http://[::ffff:127.0.0.1]:${PORT}/image.png`,
      `http://0x7f.1:${PORT}/image.png`,
      "http://10.1.2.3/image.png",
      "http://192.168.0.10/image.png",
      "http://169.254.169.254/latest/meta-data/",
      "http://100.64.0.1/image.png",
      "http://0.0.0.0/image.png",
    ]) {
      const err = await expectError(
        await postJob(acct.session, { product: "image-edit", prompt: "x", source_image_url: url }),
        400,
        "invalid_image",
      );
      expect(err.details, url).toMatchObject({ field: "source_image_url", reason: "forbidden_address" });
    }
    expect(hits - before).toBe(0);
    expect(await balanceOf(acct.customerId)).toBe(100);
    expect(await jobCount(acct.customerId)).toBe(0);
  });

  describe("a fetched URL (loopback allowed for this block only)", () => {
    beforeAll(() => setRemoteFetchPolicy({ allowPrivateAddresses: true, timeoutMs: 3_000 }));
    afterAll(() => setRemoteFetchPolicy(undefined));

    it("is fetched, decoded and stored as an upload of the customer", async () => {
      const acct = await newAccount("fetch", 100, false);
      for (const path of ["/image.png", "/redirect"]) {
        const url = `http://127.0.0.1:${PORT}${path}`;
        const job = await expectJob(
          await postJob(acct.session, { product: "image-edit", prompt: "x", source_image_url: url }),
        );
        expect(job.inputs).toMatchObject({
          source_image_url: url,
          upload_id: expect.stringMatching(/^upl_/),
        });
      }
    });

    it("image_too_large while streaming; invalid_image for non-images and HTTP errors", async () => {
      const acct = await newAccount("fetch-bad", 100, false);
      const big = await expectError(
        await postJob(acct.session, {
          product: "image-edit",
          prompt: "x",
          source_image_url: `http://127.0.0.1:${PORT}/huge.png`,
        }),
        400,
        "image_too_large",
      );
      expect(big.details!.max_bytes).toBe(100_000);
      expect(big.details!.bytes).toBeGreaterThan(100_000);
      expect(big.details!.bytes).toBeLessThan(300_000);
      await expectError(
        await postJob(acct.session, {
          product: "image-edit",
          prompt: "x",
          source_image_url: `http://127.0.0.1:${PORT}/text`,
        }),
        400,
        "invalid_image",
      );
      const missing = await expectError(
        await postJob(acct.session, {
          product: "image-edit",
          prompt: "x",
          source_image_url: `http://127.0.0.1:${PORT}/gone`,
        }),
        400,
        "invalid_image",
      );
      expect(missing.details).toMatchObject({ reason: "fetch_failed" });
      expect(await balanceOf(acct.customerId)).toBe(100);
    });
  });

  // @code:service_unavailable
  it("service_unavailable (502) while the backend reports itself unavailable, nothing charged", async () => {
    const acct = await newAccount("unavail", 100, false);
    const res = await postJob(acct.session, { product: "text-to-image", prompt: "hello !unavailable" });
    await expectError(res, 502, "service_unavailable");
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await balanceOf(acct.customerId)).toBe(100);
    expect(await jobCount(acct.customerId)).toBe(0);
  });

  // @code:insufficient_balance
  it("insufficient_balance (402) with required and available; nothing debited, no job", async () => {
    const acct = await newAccount("poor", 14, false);
    await expectJob(await postJob(acct.session, { product: "text-to-image", prompt: "first" }));
    const err = await expectError(
      await postJob(acct.session, { product: "text-to-image", prompt: "second" }),
      402,
      "insufficient_balance",
    );
    expect(err.details).toEqual({ required: 10, available: 4 });
    expect(await expectBalanceIsLedgerSum(acct.customerId)).toBe(4);
    expect(await jobCount(acct.customerId)).toBe(1);
  });

  it("the order: paused before balance, needs before balance, product before image", async () => {
    const poor = await newAccount("order", 0, false);
    await expectError(
      await postJob(poor.session, { product: "legacy-upscale", prompt: "x" }),
      409,
      "product_paused",
    );
    await expectError(
      await postJob(poor.session, { product: "image-edit", prompt: "x" }),
      400,
      "source_image_required",
    );
    await expectError(
      await postJob(poor.session, {
        product: "nope",
        prompt: "x",
        source_image_url: "http://127.0.0.1/x.png",
      }),
      400,
      "invalid_product",
    );
    await expectError(
      await postJob(poor.session, { product: "text-to-image", prompt: "x" }),
      402,
      "insufficient_balance",
    );
  });

  // @code:product_paused
  it("a product paused or repriced by another process is refused or charged as it is now, not as this process last read it", async () => {
    const acct = await newAccount("stale-catalog", 100);
    // Warm this process's copy of the catalog, then change the product behind its back (as another
    // replica's support action would: this process's own pauses forget the copy at once).
    await expectJob(await postJob(acct.keyCaller!, { product: "text-to-image", prompt: "warm" }));
    const db = await getDb();
    try {
      await db.update(products).set({ status: "paused" }).where(eq(products.id, "text-to-image"));
      await expectError(
        await postJob(acct.keyCaller!, { product: "text-to-image", prompt: "stale" }),
        409,
        "product_paused",
      );
      expect(await expectBalanceIsLedgerSum(acct.customerId)).toBe(90);
      await db
        .update(products)
        .set({ status: "active", priceCredits: 7 })
        .where(eq(products.id, "text-to-image"));
      const job = await expectJob(
        await postJob(acct.keyCaller!, { product: "text-to-image", prompt: "repriced" }),
      );
      expect(job.cost_credits).toBe(7);
      expect(await expectBalanceIsLedgerSum(acct.customerId)).toBe(83);
      expect(await jobCount(acct.customerId)).toBe(2);
    } finally {
      await db
        .update(products)
        .set({ status: "active", priceCredits: 10 })
        .where(eq(products.id, "text-to-image"));
    }
  });

  // @code:queue_full
  it("queue_full (429) past MAX_UNFINISHED_JOBS_PER_KEY under a key; a cancel frees a slot", async () => {
    const acct = await newAccount("cap", 1000);
    const created: Job[] = [];
    for (let i = 0; i < 3; i++) {
      created.push(
        await expectJob(await postJob(acct.keyCaller!, { product: "text-to-image", prompt: `n${i}` })),
      );
    }
    const res = await postJob(acct.keyCaller!, { product: "text-to-image", prompt: "one too many" });
    const err = await expectError(res, 429, "queue_full");
    expect(err.details).toEqual({ unfinished: 3, limit: 3 });
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    // With an Idempotency-Key too (the refusal aborts the charge's statement inside the claim's
    // transaction): the same 429, not stored, so the same key runs for real once a slot is free.
    const body = { product: "text-to-image", prompt: "keyed" };
    const keyed = await postJob(acct.keyCaller!, body, { "idempotency-key": "cap-keyed" });
    expect((await expectError(keyed, 429, "queue_full")).details).toEqual({ unfinished: 3, limit: 3 });
    // Refused whole: no charge, no job.
    expect(await expectBalanceIsLedgerSum(acct.customerId)).toBe(970);
    expect(await jobCount(acct.customerId)).toBe(3);
    // The console's own jobs (no key) are not under any key's cap.
    await expectJob(await postJob(acct.session, { product: "text-to-image", prompt: "console" }));

    await expectJob(await jobAction(acct.keyCaller!, created[0]!.id, "cancel"), 200);
    await expectJob(await postJob(acct.keyCaller!, body, { "idempotency-key": "cap-keyed" }));
    await expectJob(await jobAction(acct.keyCaller!, created[1]!.id, "cancel"), 200);
    await expectJob(await postJob(acct.keyCaller!, { product: "text-to-image", prompt: "fits again" }));
    expect(await expectBalanceIsLedgerSum(acct.customerId)).toBe(1000 - 10 * 6 + 10 * 2);
    const db = await getDb();
    const [key] = await db.select().from(apiKeys).where(eq(apiKeys.id, acct.key!.id));
    expect(key!.unfinishedJobs).toBe(3);
  });
});

describe("reading jobs", () => {
  // @code:not_found
  it("another customer's job is not_found, with the same body as a missing one", async () => {
    const owner = await newAccount("read-owner", 100, false);
    const stranger = await newAccount("read-stranger", 100, false);
    const job = await expectJob(await postJob(owner.session, { product: "text-to-image", prompt: "mine" }));
    const missingId = "job_01J00000000000000000000000";
    for (const path of ["", "/output"]) {
      const theirs = await expectError(
        await api(`/jobs/${job.id}${path}`, { headers: stranger.session.headers }),
        404,
        "not_found",
      );
      const missing = await expectError(
        await api(`/jobs/${missingId}${path}`, { headers: stranger.session.headers }),
        404,
        "not_found",
      );
      expect(theirs.message.replace(job.id, "ID")).toBe(missing.message.replace(missingId, "ID"));
    }
    await expectError(await jobAction(stranger.session, job.id, "cancel"), 404, "not_found");
    await expectError(await jobAction(stranger.session, job.id, "retry"), 404, "not_found");
    expect((await jobRow(job.id)).status).toBe("queued");
  });

  it("GET /jobs/{id} returns the DTO exactly as the contract lists it", async () => {
    const acct = await newAccount("dto", 100);
    const created = await expectJob(
      await postJob(acct.keyCaller!, {
        product: "text-to-image",
        prompt: "dto",
        params: { width: 128, height: 128 },
      }),
    );
    const job = await expectJob(await api(`/jobs/${created.id}`, { headers: acct.session.headers }), 200);
    expect(Object.keys(job).sort()).toEqual(
      [
        "id",
        "product",
        "status",
        "prompt",
        "inputs",
        "cost_credits",
        "refunded",
        "output",
        "error",
        "key_id",
        "request_id",
        "attempts",
        "created_at",
        "started_at",
        "finished_at",
      ].sort(),
    );
    expect(job).toMatchObject({
      id: created.id,
      product: "text-to-image",
      status: "queued",
      prompt: "dto",
      inputs: { params: { width: 128, height: 128 } },
      cost_credits: 10,
      refunded: false,
      output: null,
      error: null,
      key_id: acct.key!.id,
      request_id: expect.stringMatching(/^req_/),
      attempts: 0,
      started_at: null,
      finished_at: null,
    });
    expect(created.request_id).toBe(job.request_id);
  });

  it("lists newest first with keyset cursors and every filter", async () => {
    const acct = await newAccount("list", 1000);
    const made: Job[] = [];
    for (const [i, product] of ["text-to-image", "text-to-image", "text-to-image"].entries()) {
      made.push(await expectJob(await postJob(acct.session, { product, prompt: `s${i}` })));
    }
    const up = await json<Upload>(await upload(acct.keyCaller!, png));
    made.push(
      await expectJob(
        await postJob(acct.keyCaller!, { product: "image-edit", prompt: "k", source_image_url: up.url }),
      ),
    );
    await expectJob(await jobAction(acct.session, made[1]!.id, "cancel"), 200);
    const ids = made.map((j) => j.id);
    const h = { headers: acct.session.headers };
    const list = async (qs: string) => {
      const res = await api(`/jobs?${qs}`, h);
      expect(res.status, await res.clone().text()).toBe(200);
      return json<JobList>(res);
    };

    const all = await list("limit=100");
    expect(all.data.map((j) => j.id)).toEqual([...ids].reverse());
    expect(all.next_cursor).toBeNull();

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: JobList = await list(`limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.data.length).toBeLessThanOrEqual(3);
      seen.push(...page.data.map((j) => j.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());

    expect((await list("status=canceled")).data.map((j) => j.id)).toEqual([ids[1]]);
    expect((await list("product=image-edit")).data.map((j) => j.id)).toEqual([ids[3]]);
    expect((await list(`key_id=${acct.key!.id}`)).data.map((j) => j.id)).toEqual([ids[3]]);
    expect((await list("status=queued&product=text-to-image")).data.map((j) => j.id)).toEqual([
      ids[2],
      ids[0],
    ]);

    const t1 = made[1]!.created_at;
    expect((await list(`created_after=${encodeURIComponent(t1)}`)).data.map((j) => j.id)).toEqual([
      ids[3],
      ids[2],
    ]);
    expect((await list(`created_before=${encodeURIComponent(t1)}`)).data.map((j) => j.id)).toEqual([ids[0]]);

    await expectError(await api("/jobs?cursor=bogus", h), 400, "invalid_request");
    await expectError(await api("/jobs?limit=101", h), 400, "invalid_request");
    await expectError(await api("/jobs?status=done", h), 400, "invalid_request");
    await expectError(await api("/jobs?created_after=yesterday", h), 400, "invalid_request");
  });
});

describe("the OpenAPI document", () => {
  it("lists the jobs, uploads and file routes", async () => {
    const res = await api("/openapi.json");
    const doc = await json<{ paths: Record<string, Record<string, unknown>> }>(res);
    expect(res.status, JSON.stringify(doc).slice(0, 300)).toBe(200);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/api/v1/jobs",
        "/api/v1/jobs/{id}",
        "/api/v1/jobs/{id}/retry",
        "/api/v1/jobs/{id}/cancel",
        "/api/v1/jobs/{id}/output",
        "/api/v1/jobs/export.csv",
        "/api/v1/uploads",
        "/api/v1/uploads/{id}",
        "/api/v1/uploads/{id}/content",
      ]),
    );
    expect(Object.keys(doc.paths["/api/v1/uploads"]!)).toEqual(["post"]);
  });
});

describe("GET /jobs/export.csv", () => {
  it("streams the filtered set as CSV with formula cells neutralised", async () => {
    const acct = await newAccount("csv", 1000, false);
    const prompts = ['=HYPERLINK("http://evil.example","x")', '+1 and, "quoted"', "@sum", "plain"];
    const made: Job[] = [];
    for (const prompt of prompts)
      made.push(await expectJob(await postJob(acct.session, { product: "text-to-image", prompt })));
    await expectJob(await jobAction(acct.session, made[3]!.id, "cancel"), 200);

    const res = await api("/jobs/export.csv?status=queued", { headers: acct.session.headers });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const lines = (await res.text()).trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "id,created_at,status,product,prompt,cost_credits,refunded,key_id,request_id,attempts,started_at,finished_at,output_url,error_code,error_message",
    );
    expect(lines.slice(1).map((l) => l.split(",")[0])).toEqual([made[2]!.id, made[1]!.id, made[0]!.id]);
    expect(lines[1]).toContain(",'@sum,");
    expect(lines[2]).toContain(`,"'+1 and, ""quoted""",`);
    expect(lines[3]).toContain(`,"'=HYPERLINK(""http://evil.example"",""x"")",`);
    await expectError(
      await api("/jobs/export.csv?status=nope", { headers: acct.session.headers }),
      400,
      "invalid_request",
    );
  });
});

describe("cancel and retry", () => {
  // @code:invalid_state
  it("cancel refunds a queued job once; cancel again is invalid_state", async () => {
    const acct = await newAccount("cancel", 100, false);
    const job = await expectJob(
      await postJob(acct.session, { product: "text-to-image", prompt: "cancel me" }),
    );
    expect(await balanceOf(acct.customerId)).toBe(90);
    const canceled = await expectJob(await jobAction(acct.session, job.id, "cancel"), 200);
    expect(canceled).toMatchObject({ status: "canceled", refunded: true });
    expect(canceled.finished_at).not.toBeNull();
    expect(await expectBalanceIsLedgerSum(acct.customerId)).toBe(100);

    const again = await expectError(await jobAction(acct.session, job.id, "cancel"), 409, "invalid_state");
    expect(again.details).toEqual({ status: "canceled", allowed_from: ["queued"] });
    const retry = await expectError(await jobAction(acct.session, job.id, "retry"), 409, "invalid_state");
    expect(retry.details).toEqual({ status: "canceled", allowed_from: ["failed"] });
    expect(await expectBalanceIsLedgerSum(acct.customerId)).toBe(100);
  });

  // @code:invalid_state
  it("retry is only from failed", async () => {
    const acct = await newAccount("retry-state", 100, false);
    const job = await expectJob(await postJob(acct.session, { product: "text-to-image", prompt: "queued" }));
    const err = await expectError(await jobAction(acct.session, job.id, "retry"), 409, "invalid_state");
    expect(err.details).toEqual({ status: "queued", allowed_from: ["failed"] });
  });

  it("retry of a failed job needs the balance again (402, nothing changes)", async () => {
    const acct = await newAccount("retry-poor", 10, false);
    const job = await expectJob(await postJob(acct.session, { product: "text-to-image", prompt: "x" }));
    // Fail it as the worker would, then spend the refund.
    const db = await getDb();
    await db.update(jobs).set({ status: "failed", refunded: true }).where(eq(jobs.id, job.id));
    const err = await expectError(
      await jobAction(acct.session, job.id, "retry"),
      402,
      "insufficient_balance",
    );
    expect(err.details).toEqual({ required: 10, available: 0 });
    expect((await jobRow(job.id)).status).toBe("failed");
  });
});

describe("idempotency", () => {
  it("replays the first response for the same key and body, charging once", async () => {
    const acct = await newAccount("idem", 100);
    const body = { product: "text-to-image", prompt: "once" };
    const first = await postJob(acct.keyCaller!, body, { "idempotency-key": "create-1" });
    const firstText = await first.text();
    expect(first.status).toBe(201);
    const second = await postJob(acct.keyCaller!, body, { "idempotency-key": "create-1" });
    expect(second.status).toBe(201);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(await second.text()).toBe(firstText);
    expect(await balanceOf(acct.customerId)).toBe(90);
    await expectError(
      await postJob(acct.keyCaller!, { ...body, prompt: "other" }, { "idempotency-key": "create-1" }),
      409,
      "idempotency_conflict",
    );

    const id = (JSON.parse(firstText) as Job).id;
    const c1 = await jobAction(acct.keyCaller!, id, "cancel", { "idempotency-key": "cancel-1" });
    const c2 = await jobAction(acct.keyCaller!, id, "cancel", { "idempotency-key": "cancel-1" });
    expect([c1.status, c2.status]).toEqual([200, 200]);
    expect(c2.headers.get("idempotent-replayed")).toBe("true");
    expect(await expectBalanceIsLedgerSum(acct.customerId)).toBe(100);
    const db = await getDb();
    const refunds = await db.select().from(ledgerEntries).where(eq(ledgerEntries.jobId, id));
    expect(refunds.map((r) => r.kind).sort()).toEqual(["job_charge", "job_refund"]);
  });
});
