import { and, eq, sql } from "drizzle-orm";
import sharp from "sharp";
import { expect } from "vitest";
import type { Job } from "@/lib/api/contract/jobs.schema";
import type { KeyWithSecret } from "@/lib/api/contract/keys.schema";
import { credit } from "@/lib/server/billing/ledger";
import { getDb } from "@/lib/server/db/client";
import { customers, jobs, ledgerEntries, users } from "@/lib/server/db/schema";
import { api, json, ORIGIN, signUp, uniqueEmail } from "./api";

export type Envelope = {
  error: { code: string; message: string; request_id: string; details?: Record<string, unknown> };
};

/** Opens (migrates, seeds) the database in a hook, whose timeout is longer than a test's. */
export async function openDatabase(): Promise<void> {
  await getDb();
}

/** How a test authenticates: a console cookie (with the console's Origin) or a bearer key. */
export type Caller = { headers: Record<string, string> };

export const sessionCaller = (cookie: string): Caller => ({ headers: { cookie, origin: ORIGIN } });
export const keyCaller = (secret: string): Caller => ({ headers: { authorization: `Bearer ${secret}` } });

/** A brand-new customer with `credits` (granted through the ledger) and, when asked, an API key. */
export async function newAccount(tag: string, credits: number, withKey = true) {
  const email = uniqueEmail(tag);
  const cookie = await signUp(email, "a-long-password-1", "Jobs Test");
  const db = await getDb();
  const [user] = await db.select().from(users).where(eq(users.email, email));
  const customerId = user!.customerId!;
  if (credits > 0) {
    await db.transaction((tx) => credit(tx, customerId, credits, "adjustment", { note: "test grant" }));
  }
  let key: KeyWithSecret | null = null;
  if (withKey) {
    const res = await api("/keys", {
      method: "POST",
      headers: { cookie, origin: ORIGIN },
      json: { name: `jobs test ${tag}` },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    key = await json<KeyWithSecret>(res);
  }
  return {
    email,
    cookie,
    customerId,
    session: sessionCaller(cookie),
    key,
    keyCaller: key ? keyCaller(key.secret) : null,
  };
}

export function postJob(caller: Caller, body: unknown, headers: Record<string, string> = {}) {
  return api("/jobs", { method: "POST", headers: { ...caller.headers, ...headers }, json: body });
}

export function jobAction(
  caller: Caller,
  id: string,
  action: "retry" | "cancel",
  headers: Record<string, string> = {},
) {
  return api(`/jobs/${id}/${action}`, {
    method: "POST",
    headers: { ...caller.headers, ...headers },
    json: {},
  });
}

export async function expectError(res: Response, status: number, code: string): Promise<Envelope["error"]> {
  const body = await json<Envelope>(res);
  expect(res.status, JSON.stringify(body)).toBe(status);
  expect(body.error.code).toBe(code);
  expect(body.error.request_id).toBe(res.headers.get("x-request-id"));
  return body.error;
}

export async function expectJob(res: Response, status = 201): Promise<Job> {
  const body = await json<Job>(res);
  expect(res.status, JSON.stringify(body)).toBe(status);
  return body;
}

/** Multipart upload of `bytes` in the field `file`. */
export function upload(caller: Caller, bytes: Buffer, filename = "image.png", type = "image/png") {
  const form = new FormData();
  form.set("file", new Blob([new Uint8Array(bytes)], { type }), filename);
  return api("/uploads", { method: "POST", headers: caller.headers, body: form });
}

export function pngBytes(width = 64, height = 48, color = { r: 200, g: 80, b: 40 }): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: color } })
    .png()
    .toBuffer();
}

export async function jobRow(id: string) {
  const db = await getDb();
  const [row] = await db.select().from(jobs).where(eq(jobs.id, id));
  return row!;
}

/** Polls the database (not the API: no rate limit spent) until the job reaches a final status. */
export async function waitForJob(
  id: string,
  statuses: string[] = ["succeeded", "failed", "canceled"],
  timeoutMs = 20_000,
) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const row = await jobRow(id);
    if (statuses.includes(row.status)) return row;
    if (Date.now() > until) throw new Error(`job ${id} still ${row.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export async function balanceOf(customerId: string): Promise<number> {
  const db = await getDb();
  const [row] = await db
    .select({ credits: customers.credits })
    .from(customers)
    .where(eq(customers.id, customerId));
  return row!.credits;
}

/** balance = Σ ledger, and ≥ 0. Returns the balance. */
export async function expectBalanceIsLedgerSum(customerId: string): Promise<number> {
  const db = await getDb();
  const [row] = await db
    .select({ sum: sql<string>`coalesce(sum(${ledgerEntries.credits}), 0)` })
    .from(ledgerEntries)
    .where(eq(ledgerEntries.customerId, customerId));
  const balance = await balanceOf(customerId);
  expect(balance).toBe(Number(row!.sum));
  expect(balance).toBeGreaterThanOrEqual(0);
  return balance;
}

export async function ledgerOfJob(jobId: string) {
  const db = await getDb();
  return db
    .select()
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.jobId, jobId)))
    .orderBy(ledgerEntries.id);
}
