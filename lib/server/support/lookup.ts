import { eq, inArray } from "drizzle-orm";
import type { LookupMatch } from "@/lib/api/contract/support.schema";
import { getDb } from "../db/client";
import { apiKeys, customers, jobs, keySecrets, memberships, users } from "../db/schema";
import { displayPrefix, hashSecret, isWellFormedSecret, SECRET_PREFIX } from "../keys/secret";
import { findRequestRow } from "../requests/find";

type Found = Omit<LookupMatch, "customer_name" | "customer_status">;

const ULID_ID = /^(req|job|key|cus)_([0-9A-Za-z]{26})$/i;
const MAX_MATCHES = 20;

/** Ids are upper-case ULIDs behind a lower-case prefix; a pasted id in the wrong case still matches. */
export function normaliseQuery(q: string): string {
  const trimmed = q.trim();
  const m = ULID_ID.exec(trimmed);
  return m ? `${m[1]!.toLowerCase()}_${m[2]!.toUpperCase()}` : trimmed;
}

/** What may be written to the audit log for a query: never a pasted secret, only its prefix. */
export function auditableQuery(q: string): string {
  const trimmed = q.trim();
  return trimmed.startsWith(SECRET_PREFIX) && trimmed.length > 12 ? `${displayPrefix(trimmed)}…` : trimmed;
}

async function byRequest(id: string): Promise<Found[]> {
  const row = await findRequestRow(id);
  if (!row) return [];
  return [
    {
      kind: "request",
      id,
      customer_id: row.customerId,
      label: `${row.method} ${row.path} → ${row.status}${row.code ? ` ${row.code}` : ""}`,
      request_id: id,
      at: row.at.toISOString(),
    },
  ];
}

async function byJob(id: string): Promise<Found[]> {
  const db = await getDb();
  const rows = await db.select().from(jobs).where(eq(jobs.id, id));
  return rows.map((job) => ({
    kind: "job",
    id: job.id,
    customer_id: job.customerId,
    label: `${job.productId} job · ${job.status}`,
    request_id: job.requestId,
    at: job.createdAt.toISOString(),
  }));
}

type KeyRow = typeof apiKeys.$inferSelect;
const keyMatch = (key: KeyRow): Found => ({
  kind: "key",
  id: key.id,
  customer_id: key.customerId,
  label: `Key “${key.name}” (${key.prefix}…) · ${key.status}`,
  request_id: null,
  at: key.createdAt.toISOString(),
});

async function byKeyId(id: string): Promise<Found[]> {
  const db = await getDb();
  return (await db.select().from(apiKeys).where(eq(apiKeys.id, id))).map(keyMatch);
}

async function bySecretOrPrefix(q: string): Promise<Found[]> {
  const db = await getDb();
  if (isWellFormedSecret(q)) {
    // A whole secret (pasted from a customer's ticket) names exactly one key, by its hash.
    const rows = await db
      .select({ key: apiKeys })
      .from(keySecrets)
      .innerJoin(apiKeys, eq(apiKeys.id, keySecrets.keyId))
      .where(eq(keySecrets.secretHash, hashSecret(q)));
    if (rows.length) return rows.map((r) => keyMatch(r.key));
  }
  const prefix = displayPrefix(q);
  if (prefix.length < 12) return [];
  return (await db.select().from(apiKeys).where(eq(apiKeys.prefix, prefix)).limit(MAX_MATCHES)).map(keyMatch);
}

async function byCustomer(id: string): Promise<Found[]> {
  const db = await getDb();
  const rows = await db.select().from(customers).where(eq(customers.id, id));
  return rows.map((c) => ({
    kind: "customer",
    id: c.id,
    customer_id: c.id,
    label: c.name,
    request_id: null,
    at: c.createdAt.toISOString(),
  }));
}

async function byEmail(email: string): Promise<Found[]> {
  const db = await getDb();
  const rows = await db
    .select({
      email: users.email,
      role: memberships.role,
      customerId: memberships.customerId,
      createdAt: memberships.createdAt,
    })
    .from(users)
    .innerJoin(memberships, eq(memberships.userId, users.id))
    .where(inArray(users.email, [...new Set([email, email.toLowerCase()])]));
  // A person in several customers is found in each.
  return rows.map((u) => ({
    kind: "customer",
    id: u.customerId,
    customer_id: u.customerId,
    label: `${u.email} (${u.role})`,
    request_id: null,
    at: u.createdAt.toISOString(),
  }));
}

/** Whatever a pasted id or email names — a request, job, key or customer — with its customer. */
export async function lookup(rawQuery: string): Promise<LookupMatch[]> {
  const q = normaliseQuery(rawQuery);
  let found: Found[] = [];
  if (q.startsWith("req_")) found = await byRequest(q);
  else if (q.startsWith("job_")) found = await byJob(q);
  else if (q.startsWith("key_")) found = await byKeyId(q);
  else if (q.startsWith(SECRET_PREFIX)) found = await bySecretOrPrefix(q);
  else if (q.startsWith("cus_")) found = await byCustomer(q);
  else if (q.includes("@")) found = await byEmail(q);
  if (!found.length) return [];

  const db = await getDb();
  const ids = [...new Set(found.map((m) => m.customer_id).filter((id): id is string => Boolean(id)))];
  const owners = ids.length
    ? await db
        .select({ id: customers.id, name: customers.name, status: customers.status })
        .from(customers)
        .where(inArray(customers.id, ids))
    : [];
  const byId = new Map(owners.map((c) => [c.id, c]));
  return found.slice(0, MAX_MATCHES).map((m) => {
    const owner = m.customer_id ? byId.get(m.customer_id) : undefined;
    return { ...m, customer_name: owner?.name ?? null, customer_status: owner?.status ?? null };
  });
}
