import { and, eq, gte, lt, sql } from "drizzle-orm";
import { unionAll } from "drizzle-orm/pg-core";
import {
  ALLOWLIST_PREVIEW_DAYS,
  ALLOWLIST_PREVIEW_TOP,
  type AllowlistPreview,
  type AllowlistPreviewBody,
} from "@/lib/api/contract/keys.schema";
import { type Db, getDb } from "../db/client";
import { requestLogDaily, requestLogHourly } from "../db/schema";
import { flushRequestLog } from "../request-log/writer";
import { evaluateAllowlists, type Lists } from "./allowlist";
import { getKeyOrThrow } from "./keys";
import { normaliseAllowlists } from "./validate";

const DAY_MS = 24 * 3600 * 1000;

/** One distinct (ip, origin) of a key's logged traffic, with how often and when it was last seen. */
export type TrafficPair = { ip: string | null; origin: string | null; requests: number; lastAt: Date };

/**
 * A key's requests since the start of `from`'s UTC hour, grouped by (ip, origin), from the rollups the
 * request-log writer keeps: whole UTC days from request_log_daily, and only the hours before the first
 * midnight from request_log_hourly. At most (days + 24) × distinct pairs rows, read through their
 * unique indexes, however many requests the key logged.
 */
export function keyTrafficQuery(db: Db, keyId: string, from: Date) {
  const start = hourOf(from);
  const midnight = new Date(Math.ceil(start.getTime() / DAY_MS) * DAY_MS);
  const days = db
    .select({
      ip: requestLogDaily.ip,
      origin: requestLogDaily.origin,
      requests: requestLogDaily.requests,
      lastAt: requestLogDaily.lastAt,
    })
    .from(requestLogDaily)
    .where(and(eq(requestLogDaily.keyId, keyId), gte(requestLogDaily.day, midnight)));
  const hours = db
    .select({
      ip: requestLogHourly.ip,
      origin: requestLogHourly.origin,
      requests: requestLogHourly.requests,
      lastAt: requestLogHourly.lastAt,
    })
    .from(requestLogHourly)
    .where(
      and(
        eq(requestLogHourly.keyId, keyId),
        gte(requestLogHourly.hour, start),
        lt(requestLogHourly.hour, midnight),
      ),
    );
  const counts = unionAll(days, hours).as("counts");
  return db
    .select({
      ip: counts.ip,
      origin: counts.origin,
      requests: sql<number>`sum(${counts.requests})`.mapWith(Number),
      lastAt: sql<Date>`max(${counts.lastAt})`.mapWith((v: string | Date) => new Date(v)),
    })
    .from(counts)
    .groupBy(counts.ip, counts.origin);
}

/** The start of `at`'s UTC hour: the preview's window starts on the rollup's boundary. */
export const hourOf = (at: Date) => new Date(Math.floor(at.getTime() / 3_600_000) * 3_600_000);

type Tally = { requests: number; lastAt: Date };

function add<K>(map: Map<K, Tally & { code?: string }>, key: K, pair: TrafficPair, code?: string) {
  const seen = map.get(key);
  if (!seen) map.set(key, { requests: pair.requests, lastAt: pair.lastAt, code });
  else {
    seen.requests += pair.requests;
    if (pair.lastAt > seen.lastAt) seen.lastAt = pair.lastAt;
  }
}

const top = <K>(map: Map<K, Tally & { code?: string }>) =>
  [...map.entries()]
    .sort(([, a], [, b]) => b.requests - a.requests || b.lastAt.getTime() - a.lastAt.getTime())
    .slice(0, ALLOWLIST_PREVIEW_TOP);

/**
 * Runs the middleware's own matcher (evaluateAllowlists) over each distinct (ip, origin) of the traffic:
 * what `lists` would have refused of it, with the refused IPs and origins that weigh most.
 */
export function previewTraffic(
  lists: Lists,
  pairs: readonly TrafficPair[],
  window: { from: Date; to: Date },
): AllowlistPreview {
  let total = 0;
  const byCode = { ip_not_allowed: 0, origin_not_allowed: 0 };
  const ips = new Map<string | null, Tally & { code?: string }>();
  const origins = new Map<string | null, Tally>();
  for (const pair of pairs) {
    total += pair.requests;
    const verdict = evaluateAllowlists(lists, { ip: pair.ip, origin: pair.origin });
    if (!verdict.code) continue;
    byCode[verdict.code] += pair.requests;
    add(ips, verdict.ip.value, pair, verdict.code);
    if (verdict.code === "origin_not_allowed") add(origins, pair.origin, pair);
  }
  return {
    from: window.from.toISOString(),
    to: window.to.toISOString(),
    allowed_origins: [...lists.allowedOrigins],
    allowed_ips: [...lists.allowedIps],
    total_requests: total,
    refused: {
      requests: byCode.ip_not_allowed + byCode.origin_not_allowed,
      ips: ips.size,
      origins: origins.size,
      by_code: byCode,
    },
    top_ips: top(ips).map(([ip, t]) => ({
      ip,
      // An IP's verdict on the IP list is the same for each of its origins: one code per IP.
      code: t.code as "ip_not_allowed" | "origin_not_allowed",
      requests: t.requests,
      last_seen_at: t.lastAt.toISOString(),
    })),
    top_origins: top(origins).map(([origin, t]) => ({
      origin,
      requests: t.requests,
      last_seen_at: t.lastAt.toISOString(),
    })),
  };
}

/**
 * POST /keys/{id}/allowlist-preview: how the key's logged traffic of the last 7 days would have fared
 * under candidate lists (normalised and validated as a save would). Another customer's key is not_found.
 */
export async function previewAllowlists(
  customerId: string,
  keyId: string,
  body: AllowlistPreviewBody,
  now = new Date(),
): Promise<AllowlistPreview> {
  const lists = normaliseAllowlists(body);
  await getKeyOrThrow(customerId, keyId);
  await flushRequestLog();
  const from = hourOf(new Date(now.getTime() - ALLOWLIST_PREVIEW_DAYS * DAY_MS));
  const pairs = await keyTrafficQuery(await getDb(), keyId, from);
  return previewTraffic(
    { allowedOrigins: lists.allowedOrigins ?? [], allowedIps: lists.allowedIps ?? [] },
    pairs,
    { from, to: now },
  );
}
