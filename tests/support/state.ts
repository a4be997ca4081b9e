import { sql } from "drizzle-orm";
import { getDb } from "@/lib/server/db/client";

/**
 * "Nothing changed": a counter of every committed write to the product's state, kept by triggers, so a
 * test can read it before and after a request in one cheap query (the fuzz run does, 400,000 times).
 *
 * Counted: every insert, update and delete on the tables below. Not counted, by design: the request log
 * (every request writes one), sessions and verifications (better-auth refreshes them), idempotency
 * records (a refused answer such as a 402 is stored and replayed, API.md), and a key's last-use columns
 * (written off the request's path). A rolled-back transaction rolls its counts back too.
 */
const COUNTED = [
  "customers",
  "users",
  "memberships",
  "invitations",
  "accounts",
  "products",
  "api_keys",
  "key_secrets",
  "jobs",
  "uploads",
  "ledger_entries",
  "top_ups",
  "top_up_packs",
  "stripe_events",
  "audit_log",
] as const;

/** Columns whose change alone is not a state change (per table). */
const IGNORED: Partial<Record<(typeof COUNTED)[number], string[]>> = {
  api_keys: ["last_used_at", "last_used_ip", "last_used_origin", "shadow_would_refuse", "old_last_used_at"],
};

export async function installChangeCounter(): Promise<void> {
  const db = await getDb();
  await db.execute(sql.raw(`create table if not exists test_state_changes (n bigint not null)`));
  await db.execute(
    sql.raw(
      `insert into test_state_changes (n) select 0 where not exists (select 1 from test_state_changes)`,
    ),
  );
  await db.execute(
    sql.raw(`
      create or replace function test_count_state_change() returns trigger language plpgsql as $$
      declare
        ignored text[] := coalesce(tg_argv, '{}');
      begin
        if tg_op = 'UPDATE' and (to_jsonb(old) - ignored) = (to_jsonb(new) - ignored) then
          return null;
        end if;
        update test_state_changes set n = n + 1;
        perform pg_notify('test_state_changes', '');
        return null;
      end $$`),
  );
  for (const table of COUNTED) {
    const args = (IGNORED[table] ?? []).map((c) => `'${c}'`).join(", ");
    await db.execute(sql.raw(`drop trigger if exists test_state_changes_trg on ${table}`));
    await db.execute(
      sql.raw(
        `create trigger test_state_changes_trg after insert or update or delete on ${table} ` +
          `for each row execute function test_count_state_change(${args})`,
      ),
    );
  }
}

/** Removes the triggers (a shared Postgres outlives the test file). */
export async function uninstallChangeCounter(): Promise<void> {
  const db = await getDb();
  await db.execute(sql.raw(`drop function if exists test_count_state_change() cascade`));
  await db.execute(sql.raw(`drop table if exists test_state_changes`));
}

/** How many counted writes have been committed since installChangeCounter(). */
export async function stateChanges(): Promise<number> {
  const db = await getDb();
  const { rows } = await db.execute<{ n: string | number }>(sql.raw(`select n from test_state_changes`));
  return Number(rows[0]!.n);
}

/**
 * A cheaper reader for hot loops: on the embedded database the triggers' notifications (delivered on
 * commit only) are counted in memory, so reading costs no query; on Postgres it is stateChanges().
 */
let reader: Promise<() => Promise<number>> | undefined;

export function stateChangeReader(): Promise<() => Promise<number>> {
  return (reader ??= (async () => {
    const db = await getDb();
    const client = (db as unknown as { $client: { listen?: unknown } }).$client;
    if (typeof client.listen !== "function") return stateChanges;
    let commits = 0;
    await (client as { listen: (channel: string, cb: () => void) => Promise<unknown> }).listen(
      "test_state_changes",
      () => void commits++,
    );
    return async () => commits;
  })());
}
