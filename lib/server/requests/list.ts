import { and, desc, eq, gte, isNotNull, isNull, like, lt, lte, or, sql, type SQL } from "drizzle-orm";
import type {
  RequestFilters,
  RequestList,
  RequestListQuery,
  RequestSummary,
  StatusClass,
} from "@/lib/api/contract/requests.schema";
import { getDb } from "../db/client";
import { requestLog } from "../db/schema";
import { DomainError } from "../errors";
import { clampQueryMs, clampQueryTime } from "../query-time";
import { flushRequestLog } from "../request-log/writer";
import { decodeKeyset, encodeKeyset } from "./cursor";
import { toRequestEntry } from "./dto";

const API_PREFIX = "/api/v1";
const DAY_MS = 24 * 3600 * 1000;

const CLASS_RANGE: Record<StatusClass, [number, number]> = {
  "2xx": [200, 300],
  "4xx": [400, 500],
  "5xx": [500, 600],
};

/** `/jobs`, `jobs` and `/api/v1/jobs` all mean the same prefix; LIKE's wildcards are taken literally. */
export function pathPrefixPattern(path: string): string {
  const trimmed = path.trim();
  const full = trimmed.startsWith(API_PREFIX)
    ? trimmed
    : `${API_PREFIX}${trimmed.startsWith("/") ? "" : "/"}${trimmed}`;
  return `${full.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function rangeError(): DomainError {
  return new DomainError("invalid_request", {
    message: "`from` must be before `to`.",
    details: { fields: [{ path: "from", message: "Must be before `to`." }] },
  });
}

/** The WHERE of a customer's filtered log. Every filter rides on an index that starts with customer_id. */
function filtersWhere(customerId: string, filters: RequestFilters): SQL | undefined {
  const from = filters.from ? clampQueryTime(filters.from) : undefined;
  const to = filters.to ? clampQueryTime(filters.to) : undefined;
  if (filters.from && filters.to && Date.parse(filters.from) >= Date.parse(filters.to)) throw rangeError();
  const range = filters.status ? CLASS_RANGE[filters.status] : undefined;
  return and(
    eq(requestLog.customerId, customerId),
    filters.source === "key" ? isNotNull(requestLog.keyId) : undefined,
    filters.source === "console" ? and(isNull(requestLog.keyId), isNotNull(requestLog.userId)) : undefined,
    filters.code ? eq(requestLog.code, filters.code) : undefined,
    filters.would_refuse === "true" ? isNotNull(requestLog.wouldRefuse) : undefined,
    filters.key_id ? eq(requestLog.keyId, filters.key_id) : undefined,
    range ? and(gte(requestLog.status, range[0]), lt(requestLog.status, range[1])) : undefined,
    filters.path ? like(requestLog.path, pathPrefixPattern(filters.path)) : undefined,
    from ? gte(requestLog.at, from) : undefined,
    to ? lt(requestLog.at, to) : undefined,
  );
}

/** A customer's own requests, newest first, keyset-paginated over (at, request_id). */
export async function listRequests(customerId: string, query: RequestListQuery): Promise<RequestList> {
  await flushRequestLog();
  const cursor = query.cursor ? decodeKeyset(query.cursor, "req") : undefined;
  const db = await getDb();
  const rows = await db
    .select()
    .from(requestLog)
    .where(
      and(
        filtersWhere(customerId, query),
        cursor
          ? and(
              // The plain bound lets the (customer_id, at) index start at the cursor.
              lte(requestLog.at, cursor.at),
              or(
                lt(requestLog.at, cursor.at),
                and(eq(requestLog.at, cursor.at), lt(requestLog.requestId, cursor.id)),
              ),
            )
          : undefined,
      ),
    )
    .orderBy(desc(requestLog.at), desc(requestLog.requestId))
    .limit(query.limit + 1);
  const more = rows.length > query.limit;
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    data: page.map(toRequestEntry),
    next_cursor: more && last ? encodeKeyset(last.at, last.requestId) : null,
  };
}

export type CodeCount = RequestSummary["codes"][number];

/** Error codes with counts (most frequent first) of one customer's requests in [from, to). */
export async function codeCounts(customerId: string, from: Date, to: Date, limit = 50): Promise<CodeCount[]> {
  await flushRequestLog();
  const db = await getDb();
  const rows = await db
    .select({
      code: requestLog.code,
      status: sql<number>`max(${requestLog.status})`.mapWith(Number),
      count: sql<number>`count(*)`.mapWith(Number),
      lastAt: sql<Date>`max(${requestLog.at})`.mapWith((v: string | Date) => new Date(v)),
      lastRequestId: sql<string>`(array_agg(${requestLog.requestId} order by ${requestLog.at} desc))[1]`,
    })
    .from(requestLog)
    .where(
      and(
        eq(requestLog.customerId, customerId),
        isNotNull(requestLog.code),
        gte(requestLog.at, from),
        lt(requestLog.at, to),
      ),
    )
    .groupBy(requestLog.code)
    .orderBy(desc(sql`count(*)`), requestLog.code)
    .limit(limit);
  return rows.map((r) => ({
    code: r.code ?? "",
    status: r.status,
    count: r.count,
    last_at: r.lastAt.toISOString(),
    last_request_id: r.lastRequestId,
  }));
}

/** "What keeps failing?" over [from, to): counts per status class and per error code. */
export async function summarizeRequests(
  customerId: string,
  range: { from?: string; to?: string },
  now = new Date(),
): Promise<RequestSummary> {
  const toMs = range.to ? Date.parse(range.to) : now.getTime();
  const fromMs = range.from ? Date.parse(range.from) : toMs - DAY_MS;
  if (fromMs >= toMs) throw rangeError();
  const from = new Date(clampQueryMs(fromMs));
  const to = new Date(clampQueryMs(toMs));
  await flushRequestLog();
  const db = await getDb();
  const [totals] = await db
    .select({
      total: sql<number>`count(*)`.mapWith(Number),
      c2: sql<number>`count(*) filter (where ${requestLog.status} between 200 and 299)`.mapWith(Number),
      c4: sql<number>`count(*) filter (where ${requestLog.status} between 400 and 499)`.mapWith(Number),
      c5: sql<number>`count(*) filter (where ${requestLog.status} >= 500)`.mapWith(Number),
    })
    .from(requestLog)
    .where(and(eq(requestLog.customerId, customerId), gte(requestLog.at, from), lt(requestLog.at, to)));
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    total: totals?.total ?? 0,
    by_class: { "2xx": totals?.c2 ?? 0, "4xx": totals?.c4 ?? 0, "5xx": totals?.c5 ?? 0 },
    codes: await codeCounts(customerId, from, to),
  };
}
