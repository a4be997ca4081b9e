import { readdir } from "node:fs/promises";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Job } from "@/lib/api/contract/jobs.schema";
import type { KeyWithSecret } from "@/lib/api/contract/keys.schema";
import type { Upload } from "@/lib/api/contract/uploads.schema";
import { getDb } from "@/lib/server/db/client";
import { apiKeys, auditLog, idempotencyKeys, uploads } from "@/lib/server/db/schema";
import { env, resetEnvCache } from "@/lib/server/env";
import { runMaintenance } from "@/lib/server/maintenance";
import { api, json } from "../support/api";
import { type Caller, expectError, newAccount, openDatabase, pngBytes, postJob } from "../support/jobs";

// Issue 20, L4 and the rest of M4: Idempotency-Key on POST /keys, /keys/{id}/roll and /uploads (no
// plaintext secret in the stored replay), the key cap, the upload quota and the sweeper of unused uploads.

beforeAll(openDatabase);

afterEach(() => {
  for (const name of ["MAX_KEYS_PER_CUSTOMER", "UPLOAD_QUOTA_BYTES"]) delete process.env[name];
  resetEnvCache();
});

function withEnv(vars: Record<string, string>) {
  Object.assign(process.env, vars);
  resetEnvCache();
}

const post = (caller: Caller, p: string, body: unknown, key?: string) =>
  api(p, {
    method: "POST",
    headers: { ...caller.headers, ...(key === undefined ? {} : { "idempotency-key": key }) },
    json: body,
  });

function uploadWith(caller: Caller, bytes: Buffer, key?: string) {
  const form = new FormData();
  form.set("file", new Blob([new Uint8Array(bytes)], { type: "image/png" }), "image.png");
  const headers = { ...caller.headers, ...(key === undefined ? {} : { "idempotency-key": key }) };
  return api("/uploads", { method: "POST", headers, body: form });
}

async function claimsOf(customerId: string) {
  const db = await getDb();
  return db.select().from(idempotencyKeys).where(eq(idempotencyKeys.customerId, customerId));
}

async function auditCount(customerId: string, action: string) {
  const db = await getDb();
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.customerId, customerId), eq(auditLog.action, action)));
  return rows.length;
}

async function storedFiles(): Promise<string[]> {
  try {
    return await readdir(path.resolve(env().DATA_DIR, "uploads", "uploads"));
  } catch {
    return [];
  }
}

describe("L4: Idempotency-Key on POST /keys", () => {
  it("replays the same key and secret; one key, one audit row; no plaintext secret or key at rest", async () => {
    const acct = await newAccount("l4-keys", 0, false);
    const idem = "create-key-retry-1";
    const first = await post(acct.session, "/keys", { name: "ci" }, idem);
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const created = await json<KeyWithSecret>(first);
    const again = await post(acct.session, "/keys", { name: "ci" }, idem);
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await json<KeyWithSecret>(again)).toEqual(created);

    const db = await getDb();
    expect(await db.select().from(apiKeys).where(eq(apiKeys.customerId, acct.customerId))).toHaveLength(1);
    expect(await auditCount(acct.customerId, "key.create")).toBe(1);
    const claims = await claimsOf(acct.customerId);
    expect(claims).toHaveLength(1);
    const stored = JSON.stringify(claims[0]);
    expect(stored).not.toContain("sk_live_");
    expect(stored).not.toContain(created.secret.slice(8, 20));
    expect(stored).not.toContain(idem);
    // The replayed secret is the key's real secret.
    const jobs = await api("/jobs", { headers: { authorization: `Bearer ${created.secret}` } });
    expect(jobs.status).toBe(200);
  });

  // @code:idempotency_conflict
  it("the same Idempotency-Key with another body is 409 idempotency_conflict, creating nothing", async () => {
    const acct = await newAccount("l4-keys-conflict", 0, false);
    expect((await post(acct.session, "/keys", { name: "one" }, "k-conflict")).status).toBe(201);
    const err = await expectError(
      await post(acct.session, "/keys", { name: "two" }, "k-conflict"),
      409,
      "idempotency_conflict",
    );
    expect(err.details).toMatchObject({ reason: "different_request" });
    const db = await getDb();
    expect(await db.select().from(apiKeys).where(eq(apiKeys.customerId, acct.customerId))).toHaveLength(1);
  });

  it("validation 400s are not stored: the corrected request then runs under the same key", async () => {
    const acct = await newAccount("l4-keys-400", 0, false);
    await expectError(
      await post(acct.session, "/keys", { name: "x", allowed_ips: ["not an ip"] }, "k-400"),
      400,
      "invalid_request",
    );
    expect(await claimsOf(acct.customerId)).toEqual([]);
    expect((await post(acct.session, "/keys", { name: "x" }, "k-400")).status).toBe(201);
  });

  it("parallel requests with one key create one key; every answer carries its secret", async () => {
    const acct = await newAccount("l4-keys-parallel", 0, false);
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => post(acct.session, "/keys", { name: "p" }, "parallel-1")),
    );
    expect(answers.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    const bodies = await Promise.all(answers.map((r) => json<KeyWithSecret>(r)));
    expect(new Set(bodies.map((b) => `${b.id} ${b.secret}`)).size).toBe(1);
    expect(answers.filter((r) => r.headers.get("idempotent-replayed") === "true")).toHaveLength(4);
    const db = await getDb();
    expect(await db.select().from(apiKeys).where(eq(apiKeys.customerId, acct.customerId))).toHaveLength(1);
  });

  it("a sealed replay needs the server secret it was sealed under, and its ciphertext untouched", async () => {
    const acct = await newAccount("l4-keys-secret", 0, false);
    const first = await json<KeyWithSecret>(await post(acct.session, "/keys", { name: "s" }, "sealed-1"));
    const before = process.env.BETTER_AUTH_SECRET;
    withEnv({ BETTER_AUTH_SECRET: "another-server-secret-0123456789" });
    try {
      // Another secret finds no claim at all (the row keys on an HMAC under the secret): a new request.
      const res = await post(acct.session, "/keys", { name: "s" }, "sealed-1");
      expect(res.status).toBe(201);
      expect(res.headers.get("idempotent-replayed")).toBeNull();
      expect((await json<KeyWithSecret>(res)).id).not.toBe(first.id);
    } finally {
      if (before === undefined) delete process.env.BETTER_AUTH_SECRET;
      else process.env.BETTER_AUTH_SECRET = before;
      resetEnvCache();
    }
    const replay = await post(acct.session, "/keys", { name: "s" }, "sealed-1");
    expect((await json<KeyWithSecret>(replay)).secret).toBe(first.secret);
    // A changed ciphertext does not decrypt: refused, never garbage.
    const db = await getDb();
    const claims = await claimsOf(acct.customerId);
    const original = claims.find(
      (c) => c.createdAt.getTime() === Math.min(...claims.map((x) => x.createdAt.getTime())),
    )!;
    const sealed = (original.responseBody as { $sealed: string }).$sealed;
    const flipped = Buffer.from(sealed, "base64");
    flipped[flipped.length - 1]! ^= 1;
    await db
      .update(idempotencyKeys)
      .set({ responseBody: { $sealed: flipped.toString("base64") } })
      .where(and(eq(idempotencyKeys.customerId, acct.customerId), eq(idempotencyKeys.key, original.key)));
    const err = await expectError(
      await post(acct.session, "/keys", { name: "s" }, "sealed-1"),
      409,
      "idempotency_conflict",
    );
    expect(err.details).toEqual({ reason: "not_replayable" });
  });

  it("two customers may use the same key", async () => {
    const a = await newAccount("l4-scope-a", 0, false);
    const b = await newAccount("l4-scope-b", 0, false);
    const ka = await json<KeyWithSecret>(await post(a.session, "/keys", { name: "same" }, "shared"));
    const res = await post(b.session, "/keys", { name: "same" }, "shared");
    expect(res.status).toBe(201);
    expect(res.headers.get("idempotent-replayed")).toBeNull();
    expect((await json<KeyWithSecret>(res)).id).not.toBe(ka.id);
  });
});

describe("L4: Idempotency-Key on POST /keys/{id}/roll", () => {
  it("replays the same new secret, rolling once; another body or key id is a conflict", async () => {
    const acct = await newAccount("l4-roll", 0);
    const id = acct.key!.id;
    const first = await post(acct.session, `/keys/${id}/roll`, { expire_old_in_seconds: 0 }, "roll-1");
    expect(first.status).toBe(200);
    const rolled = await json<KeyWithSecret>(first);
    const again = await post(acct.session, `/keys/${id}/roll`, {}, "roll-1");
    expect(again.status).toBe(200);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect((await json<KeyWithSecret>(again)).secret).toBe(rolled.secret);
    expect(await auditCount(acct.customerId, "key.roll")).toBe(1);
    // The new secret works (a second roll would have killed it), the old one does not.
    expect((await api("/jobs", { headers: { authorization: `Bearer ${rolled.secret}` } })).status).toBe(200);
    expect((await api("/jobs", { headers: acct.keyCaller!.headers })).status).toBe(401);

    await expectError(
      await post(acct.session, `/keys/${id}/roll`, { expire_old_in_seconds: 60 }, "roll-1"),
      409,
      "idempotency_conflict",
    );
    const other = await json<KeyWithSecret>(await post(acct.session, "/keys", { name: "b" }));
    await expectError(
      await post(acct.session, `/keys/${other.id}/roll`, {}, "roll-1"),
      409,
      "idempotency_conflict",
    );
    const stored = JSON.stringify(await claimsOf(acct.customerId));
    expect(stored).not.toContain("sk_live_");
    expect(stored).not.toContain("roll-1");
  });
});

describe("L4: Idempotency-Key on POST /uploads", () => {
  it("replays the same upload for the same file, storing one file; another file is a conflict", async () => {
    const acct = await newAccount("l4-upload", 0);
    const png = await pngBytes(30, 20);
    const filesBefore = (await storedFiles()).length;
    const first = await uploadWith(acct.keyCaller!, png, "upload-1");
    expect(first.status).toBe(201);
    const up = await json<Upload>(first);
    const again = await uploadWith(acct.keyCaller!, png, "upload-1");
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await json<Upload>(again)).toEqual(up);
    const db = await getDb();
    expect(await db.select().from(uploads).where(eq(uploads.customerId, acct.customerId))).toHaveLength(1);
    expect((await storedFiles()).length).toBe(filesBefore + 1);

    await expectError(
      await uploadWith(acct.keyCaller!, await pngBytes(31, 20), "upload-1"),
      409,
      "idempotency_conflict",
    );
    expect(await db.select().from(uploads).where(eq(uploads.customerId, acct.customerId))).toHaveLength(1);
  });
});

describe("M4: at most MAX_KEYS_PER_CUSTOMER live keys", () => {
  // @code:invalid_state
  it("past the cap, invalid_state with the limit; revoked and expired keys do not count", async () => {
    withEnv({ MAX_KEYS_PER_CUSTOMER: "3" });
    const acct = await newAccount("m4-keycap", 0, false);
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => post(acct.session, "/keys", { name: `k${i}` })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 201, 409, 409, 409]);
    const refused = results.find((r) => r.status === 409)!;
    const err = await expectError(refused, 409, "invalid_state");
    expect(err.details).toEqual({ reason: "key_limit", limit: 3, keys: 3 });

    const created = await Promise.all(
      results.filter((r) => r.status === 201).map((r) => json<KeyWithSecret>(r)),
    );
    const revoked = await api(`/keys/${created[0]!.id}`, {
      method: "DELETE",
      headers: { ...acct.session.headers, "content-type": "application/json" },
    });
    expect(revoked.status, await revoked.clone().text()).toBe(200);
    expect((await post(acct.session, "/keys", { name: "after revoke" })).status).toBe(201);
    const db = await getDb();
    await db
      .update(apiKeys)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(apiKeys.id, created[1]!.id));
    expect((await post(acct.session, "/keys", { name: "after expiry" })).status).toBe(201);
    await expectError(await post(acct.session, "/keys", { name: "over" }), 409, "invalid_state");
    expect(env().MAX_KEYS_PER_CUSTOMER).toBe(3);
  });
});

describe("M4: a per-customer storage quota for uploads", () => {
  // @code:image_too_large
  it("an upload past UPLOAD_QUOTA_BYTES is image_too_large (storage_quota), nothing stored", async () => {
    const acct = await newAccount("m4-quota", 0);
    const png = await pngBytes(40, 40);
    withEnv({ UPLOAD_QUOTA_BYTES: String(png.length * 2 + 10) });
    for (let i = 0; i < 2; i++) expect((await uploadWith(acct.keyCaller!, png)).status).toBe(201);
    const filesBefore = (await storedFiles()).length;
    const err = await expectError(await uploadWith(acct.keyCaller!, png), 400, "image_too_large");
    expect(err.details).toEqual({
      reason: "storage_quota",
      quota_bytes: png.length * 2 + 10,
      used_bytes: png.length * 2,
      bytes: png.length,
    });
    expect((await storedFiles()).length).toBe(filesBefore);
    // Another customer has a quota of their own.
    const other = await newAccount("m4-quota-other", 0);
    expect((await uploadWith(other.keyCaller!, png)).status).toBe(201);
  });
});

describe("M4: uploads no job uses are deleted after UPLOAD_RETENTION_HOURS", () => {
  it("the maintenance loop deletes old unreferenced uploads (row and file) and keeps the rest", async () => {
    const acct = await newAccount("m4-sweep", 100);
    const caller = acct.keyCaller!;
    const make = async (w: number) => json<Upload>(await uploadWith(caller, await pngBytes(w, 10)));
    const [unused, used, fresh] = [await make(11), await make(12), await make(13)];
    const job = await json<Job>(
      await postJob(caller, { product: "image-edit", prompt: "x", source_image_url: used.url }),
    );
    expect(job.inputs).toMatchObject({ upload_id: used.id });
    const db = await getDb();
    await db
      .update(uploads)
      .set({ createdAt: sql`now() - interval '25 hours'` })
      .where(sql`${uploads.id} in (${unused.id}, ${used.id})`);
    const filesBefore = await storedFiles();
    expect(filesBefore).toEqual(expect.arrayContaining([expect.stringContaining(unused.id)]));

    await runMaintenance();

    const left = await db.select().from(uploads).where(eq(uploads.customerId, acct.customerId));
    expect(left.map((u) => u.id).sort()).toEqual([used.id, fresh.id].sort());
    const files = await storedFiles();
    expect(files.some((f) => f.startsWith(unused.id))).toBe(false);
    expect(files.some((f) => f.startsWith(used.id))).toBe(true);
    await expectError(await api(`/uploads/${unused.id}`, { headers: caller.headers }), 404, "not_found");
    // A job naming the deleted upload is refused for it, charging nothing.
    await expectError(
      await postJob(caller, { product: "image-edit", prompt: "x", source_image_url: unused.url }),
      400,
      "invalid_image",
    );
  });
});
