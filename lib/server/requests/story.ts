import { and, asc, between, eq, or } from "drizzle-orm";
import { encodeTime } from "ulid";
import { ERROR_CODES, type ErrorCode, isErrorCode } from "@/lib/api/contract/error-codes";
import type {
  ErrorExplanation,
  RequestStory,
  StoryAllowlist,
  StoryJob,
  StoryKey,
  StoryLedgerEntry,
} from "@/lib/api/contract/requests.schema";
import { StoryJobSchema } from "@/lib/api/contract/requests.schema";
import { ERROR_WORDING } from "@/lib/api/contract/error-wording";
import { getDb } from "../db/client";
import { apiKeys, customers, jobs, ledgerEntries, users } from "../db/schema";
import type { ErrorDetails } from "../db/schema/logs";
import { evaluateAllowlists } from "../keys/allowlist";
import { toRequestEntry, type RequestRow } from "./dto";

type JobRow = typeof jobs.$inferSelect;
type LedgerRow = typeof ledgerEntries.$inferSelect;
type KeyRow = typeof apiKeys.$inferSelect;

const JOB_IN_PATH = /\/jobs\/(job_[0-9A-Z]{26})(?:\/|$)/;
// Rows a request writes carry ids minted while it ran: a window around it keeps the search on
// the (customer_id, id) indexes instead of scanning a customer's whole ledger or job list.
const WINDOW_BEFORE_MS = 5_000;
const WINDOW_AFTER_MS = 120_000;

/** The smallest and largest prefixed ULID minted between two instants. */
function idWindow(prefix: string, from: Date, to: Date): [string, string] {
  return [
    `${prefix}_${encodeTime(Math.max(0, from.getTime()), 10)}${"0".repeat(16)}`,
    `${prefix}_${encodeTime(to.getTime(), 10)}${"Z".repeat(16)}`,
  ];
}

function requestWindow(row: RequestRow, prefix: string): [string, string] {
  const start = row.at.getTime();
  return idWindow(
    prefix,
    new Date(start - WINDOW_BEFORE_MS),
    new Date(start + row.durationMs + WINDOW_AFTER_MS),
  );
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toStoryJob(row: JobRow): StoryJob {
  const error = StoryJobSchema.shape.error.safeParse(row.error ?? null);
  return {
    id: row.id,
    product: row.productId,
    status: row.status,
    cost_credits: row.costCredits,
    refunded: row.refunded,
    error: error.success ? error.data : null,
    key_id: row.keyId,
    request_id: row.requestId,
    attempts: row.attempts,
    created_at: row.createdAt.toISOString(),
    started_at: iso(row.startedAt),
    finished_at: iso(row.finishedAt),
  };
}

function toStoryLedger(row: LedgerRow): StoryLedgerEntry {
  return {
    id: row.id,
    kind: row.kind,
    credits: row.credits,
    balance_after: row.balanceAfter,
    job_id: row.jobId,
    top_up_id: row.topUpId,
    note: row.note,
    created_at: row.createdAt.toISOString(),
  };
}

function toStoryKey(row: KeyRow): StoryKey {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    status: row.status,
    allowed_origins: row.allowedOrigins,
    allowed_ips: row.allowedIps,
  };
}

// ERROR_WORDING speaks to a form on screen; looking back at a logged request, some codes need other words.
const AFTER_THE_FACT: Partial<Record<ErrorCode, string>> = {
  invalid_request:
    "The response's error.details.fields named each field that failed (its path and why). Correct them and send the request again.",
  invalid_state:
    "The job had moved on to another status. Read the job, then retry or cancel only from a status that allows it.",
};

/** The code's meaning (catalog) and the console's explanation and fix for it (ERROR_WORDING). */
export function explain(code: string | null, details?: ErrorDetails | null): ErrorExplanation | null {
  if (!code) return null;
  if (!isErrorCode(code)) return { code, title: code, meaning: "", action: "" };
  // The catalog is fixed: a monthly credit limit refuses with insufficient_balance, told by its reason.
  if (code === "insufficient_balance" && details?.reason === "spend_limit") {
    const whose = details.limit === "key" ? "the key's" : "the account's";
    return {
      code,
      title: "Monthly spend limit reached",
      meaning: `The charge would have passed ${whose} monthly credit limit, so nothing was charged. The balance was not the problem.`,
      action: `Raise ${whose} monthly credit limit, or wait for the next UTC month; topping up does not help.`,
    };
  }
  return {
    code,
    title: ERROR_WORDING[code].title,
    meaning: ERROR_CODES[code].message,
    action: AFTER_THE_FACT[code] ?? ERROR_WORDING[code].action,
  };
}

function allowlistOf(row: RequestRow, key: KeyRow): StoryAllowlist {
  const code = row.code === "ip_not_allowed" || row.code === "origin_not_allowed" ? row.code : null;
  // Paused keys and customers are refused before the lists are looked at (API.md's order).
  const result = code ? "denied" : row.code === "account_disabled" ? "not_reached" : "allowed";
  return {
    result,
    code,
    observed_ip: row.ip,
    observed_origin: row.origin,
    allowed_ips: key.allowedIps,
    allowed_origins: key.allowedOrigins,
    now: evaluateAllowlists(key, { ip: row.ip, origin: row.origin }),
  };
}

async function findJob(row: RequestRow, customerId: string): Promise<JobRow | null> {
  const db = await getDb();
  const id = row.jobId ?? JOB_IN_PATH.exec(row.path)?.[1];
  if (id) {
    const [job] = await db
      .select()
      .from(jobs)
      .where(and(eq(jobs.id, id), eq(jobs.customerId, customerId)));
    return job ?? null;
  }
  if (row.method !== "POST") return null;
  // A job created by this request carries its id, and was minted while the request ran.
  const [lo, hi] = requestWindow(row, "job");
  const [job] = await db
    .select()
    .from(jobs)
    .where(and(eq(jobs.customerId, customerId), between(jobs.id, lo, hi), eq(jobs.requestId, row.requestId)))
    .limit(1);
  return job ?? null;
}

async function findLedger(row: RequestRow, customerId: string, job: JobRow | null, jobChanged: boolean) {
  const db = await getDb();
  const [lo, hi] = requestWindow(row, "led");
  const ownRows = and(
    eq(ledgerEntries.customerId, customerId),
    between(ledgerEntries.id, lo, hi),
    eq(ledgerEntries.requestId, row.requestId),
  );
  const jobRows =
    job && jobChanged
      ? and(eq(ledgerEntries.jobId, job.id), eq(ledgerEntries.customerId, customerId))
      : undefined;
  const rows = await db
    .select()
    .from(ledgerEntries)
    .where(jobRows ? or(ownRows, jobRows) : ownRows)
    .orderBy(asc(ledgerEntries.id))
    .limit(100);
  return rows.map(toStoryLedger);
}

/** Everything one request explains: its key and allowlist decision, its job (now), the credits it moved. */
export async function buildStory(row: RequestRow): Promise<RequestStory> {
  const db = await getDb();
  const customerId = row.customerId;
  const [keyRow] =
    row.keyId && customerId
      ? await db
          .select()
          .from(apiKeys)
          .where(and(eq(apiKeys.id, row.keyId), eq(apiKeys.customerId, customerId)))
      : [];
  const [userRow] = row.userId
    ? await db.select({ id: users.id, email: users.email }).from(users).where(eq(users.id, row.userId))
    : [];
  const job = customerId ? await findJob(row, customerId) : null;
  const relation = job ? (job.requestId === row.requestId ? "created" : "acted_on") : null;
  const ledger = customerId
    ? await findLedger(row, customerId, job, relation === "created" || row.method !== "GET")
    : [];

  let pausedScope: RequestStory["paused_scope"] = null;
  if (row.code === "account_disabled" && customerId) {
    const [customer] = await db
      .select({ status: customers.status })
      .from(customers)
      .where(eq(customers.id, customerId));
    // The customer is checked first; if neither is paused any more, it was resolved since.
    pausedScope =
      customer?.status === "paused" || !row.keyId ? "customer" : keyRow?.status === "paused" ? "key" : null;
  }

  return {
    request: toRequestEntry(row),
    user: userRow ?? null,
    explanation: explain(row.code, row.errorDetails),
    error_details: row.errorDetails ?? null,
    paused_scope: pausedScope,
    key: keyRow ? toStoryKey(keyRow) : null,
    allowlist: keyRow ? allowlistOf(row, keyRow) : null,
    job: job ? toStoryJob(job) : null,
    job_relation: relation,
    ledger,
  };
}
