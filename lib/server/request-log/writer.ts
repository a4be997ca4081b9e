import { getTableColumns, sql } from "drizzle-orm";
import { getDb } from "../db/client";
import { requestLog } from "../db/schema";
import { onShutdown } from "../lifecycle";

export type RequestLogEntry = typeof requestLog.$inferInsert;

type State = { buffer: RequestLogEntry[]; timer?: NodeJS.Timeout; flushing?: Promise<void> };
const KEY = Symbol.for("genmedia.request-log");
const g = globalThis as typeof globalThis & { [KEY]?: State };
const state = (g[KEY] ??= { buffer: [] });

const FLUSH_EVERY_MS = 500;
const BATCH = 500;

/**
 * Queues an entry; it is written within a second, in a multi-row insert, off the request's path. Text
 * comes from the client (a path may decode to a NUL, which Postgres refuses): one such entry must not
 * lose the batch it is in, so NULs are written as `%00`, as they arrived.
 */
export function recordRequest(entry: RequestLogEntry) {
  for (const [k, v] of Object.entries(entry)) {
    if (typeof v === "string" && v.includes("\u0000")) {
      (entry as Record<string, unknown>)[k] = v.replaceAll("\u0000", "%00");
    }
  }
  state.buffer.push(entry);
  if (!state.timer) {
    state.timer = setInterval(() => void flushRequestLog(), FLUSH_EVERY_MS);
    state.timer.unref();
    onShutdown("request-log", flushRequestLog);
  }
}

const COLUMNS = Object.entries(getTableColumns(requestLog)).map(
  ([key, column]) => [key, column.name] as const,
);

function toColumns(entry: RequestLogEntry): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [key, name] of COLUMNS) row[name] = entry[key as keyof RequestLogEntry] ?? null;
  return row;
}

/**
 * Adds the batch's would_refuse entries to their keys' shadow counters (the key health badge's count),
 * one statement for the batch; an entry from before the key's current shadow began is not counted.
 */
async function countShadowRefusals(batch: RequestLogEntry[]): Promise<void> {
  const perKey = new Map<string, { key_id: string; n: number; first_at: Date }>();
  for (const entry of batch) {
    if (!entry.wouldRefuse || !entry.keyId) continue;
    const seen = perKey.get(entry.keyId);
    if (!seen) perKey.set(entry.keyId, { key_id: entry.keyId, n: 1, first_at: entry.at });
    else {
      seen.n++;
      if (entry.at < seen.first_at) seen.first_at = entry.at;
    }
  }
  if (!perKey.size) return;
  const db = await getDb();
  await db.execute(sql`
    update api_keys k set shadow_would_refuse = k.shadow_would_refuse + v.n
      from json_to_recordset(${JSON.stringify([...perKey.values()])}::json)
        as v(key_id text, n int, first_at timestamptz)
     where k.id = v.key_id and k.shadow_started_at <= v.first_at`);
}

/**
 * The rotation assistant's "old secret still in use": for each key of the batch that is in a roll's
 * grace, the last request since the roll that came with a secret other than its current one. One
 * statement for the batch; a key not in a grace is left alone.
 */
async function markOldSecretUse(batch: RequestLogEntry[]): Promise<void> {
  const last = new Map<string, { key_id: string; prefix: string; at: Date }>();
  for (const entry of batch) {
    if (!entry.keyId || !entry.keyPrefix) continue;
    const id = `${entry.keyId} ${entry.keyPrefix}`;
    const seen = last.get(id);
    if (!seen) last.set(id, { key_id: entry.keyId, prefix: entry.keyPrefix, at: entry.at });
    else if (entry.at > seen.at) seen.at = entry.at;
  }
  if (!last.size) return;
  const db = await getDb();
  await db.execute(sql`
    update api_keys k set old_last_used_at = greatest(k.old_last_used_at, v.at)
      from (select key_id, max(at) as at
              from json_to_recordset(${JSON.stringify([...last.values()])}::json)
                as r(key_id text, prefix text, at timestamptz)
              join api_keys c on c.id = r.key_id
             where r.prefix <> c.prefix and c.old_expires_at > now() and r.at >= c.rolled_at
             group by key_id) v
     where k.id = v.key_id and k.old_last_used_at is distinct from greatest(k.old_last_used_at, v.at)`);
}

/** Writes everything buffered so far. If the database is unreachable, entries go to the server log. */
export async function flushRequestLog(): Promise<void> {
  while (state.flushing) await state.flushing;
  if (!state.buffer.length) return;
  const batch = state.buffer.splice(0, state.buffer.length);
  state.flushing = (async () => {
    try {
      const db = await getDb();
      for (let i = 0; i < batch.length; i += BATCH) {
        // One JSON parameter, not 15 per row: building a 7,500-parameter insert cost the API more CPU
        // than the requests it logged (the row type maps the JSON's column names).
        const rows = JSON.stringify(batch.slice(i, i + BATCH).map(toColumns));
        // The rows actually inserted (a replayed entry is not) also go into their keys' hourly and
        // daily (ip, origin) counts, in the same statement: the allowlist preview reads those.
        await db.execute(sql`
          with inserted as (
            insert into request_log
            select * from json_populate_recordset(null::request_log, ${rows}::json)
            on conflict do nothing
            returning key_id, at, ip, origin),
          hourly as (
            insert into request_log_hourly (key_id, hour, ip, origin, requests, last_at)
            select key_id, date_trunc('hour', at, 'UTC'), ip, origin, count(*), max(at)
              from inserted where key_id is not null
             group by 1, 2, 3, 4
             order by 1, 2, 3, 4
            on conflict on constraint request_log_hourly_key_hour_ip_origin do update
              set requests = request_log_hourly.requests + excluded.requests,
                  last_at = greatest(request_log_hourly.last_at, excluded.last_at))
          insert into request_log_daily (key_id, day, ip, origin, requests, last_at)
          select key_id, date_trunc('day', at, 'UTC'), ip, origin, count(*), max(at)
            from inserted where key_id is not null
           group by 1, 2, 3, 4
           order by 1, 2, 3, 4
          on conflict on constraint request_log_daily_key_day_ip_origin do update
            set requests = request_log_daily.requests + excluded.requests,
                last_at = greatest(request_log_daily.last_at, excluded.last_at)`);
      }
      await countShadowRefusals(batch);
      await markOldSecretUse(batch);
    } catch (error) {
      for (const entry of batch) {
        console.error(
          JSON.stringify({ level: "warn", msg: "request_log_unwritten", reason: String(error), ...entry }),
        );
      }
    }
  })();
  try {
    await state.flushing;
  } finally {
    state.flushing = undefined;
  }
}
