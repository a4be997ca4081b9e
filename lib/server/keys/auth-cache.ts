import { sql } from "drizzle-orm";
import { afterCommit, type Db, getDb, getDbKind, listen, type Tx } from "../db/client";
import { type Listening, listenerName } from "../db/listen";
import { onShutdown } from "../lifecycle";

/**
 * Key verification without a round trip per request: what authenticateSecret reads for a secret hash
 * (the key, its secret, its allowlists, its customer's status) is kept per process for a few seconds.
 * Only the lookup is cached: every check (revoked, expired, paused, IP, origin) still runs per request
 * on the row, against the request's own time, IP and origin.
 *
 * A change to what a verdict reads is seen by the very next request, in every process:
 * - a NOTIFY on `key_auth` goes out in the transaction that makes the change: the app's own changes
 *   send it (keyChanged / customerChanged), and triggers (drizzle/0003_key_auth_notify.sql) send it for
 *   any other writer (a script, psql). Each process LISTENs on one connection of its own and forgets
 *   that key (or that customer's keys) as the notification arrives;
 * - the process that made the change forgets at once after its commit and, on Postgres, answers the
 *   change only once every listening process has acknowledged it (keyChanged).
 * Fail-safe: entries are served only while the listener is up, and only those read since it last came
 * up. While it is down (Postgres gone, reconnecting with backoff) the cache is empty and every request
 * reads the database, as it did without one. The TTL bounds what an undetectably silent listener could
 * cost; the size bound what many keys could.
 */
export const KEY_AUTH_CHANNEL = "key_auth";
export const KEY_AUTH_CACHE_MS = 5_000;
export const KEY_AUTH_CACHE_MAX = 10_000;

type Cached = { keyId: string; customerId: string };
type Entry<Row extends Cached> = { row: Row; at: number };

type State = {
  entries: Map<string, Entry<Cached>>;
  /** The listener is up: a change committed now will reach this process. */
  live: boolean;
  /** Bumped by every forgetting: a read that started before one is not kept. */
  generation: number;
  listener?: Listening;
  starting?: Promise<void>;
  /** Who waits for the listener to come up (startKeyAuthCache). */
  waiting: Set<() => void>;
  /** Changes waiting for the listeners' answers, by nonce. */
  acks: Map<string, Answers>;
};

/** The backends that answered a change, those it still waits for (once known), and its end. */
type Answers = { answered: Set<number>; pending: Set<number> | null; done: () => void };

// One cache per process, shared by every copy of this module (Next's bundle and tsx).
const KEY = Symbol.for("genmedia.key-auth-cache");
const g = globalThis as typeof globalThis & { [KEY]?: State };
const state = (): State =>
  (g[KEY] ??= {
    entries: new Map(),
    live: false,
    generation: 0,
    waiting: new Set(),
    acks: new Map(),
  });

/**
 * The row for `hash`: from the cache when this process holds a fresh one, else `load`ed (and kept
 * when nothing was forgotten while it was read). A missing row (an unknown key) is never kept.
 */
export async function cachedKeyRow<Row extends Cached>(
  hash: string,
  load: () => Promise<Row | undefined>,
): Promise<Row | undefined> {
  const s = state();
  startListening(s);
  const now = Date.now();
  const hit = s.entries.get(hash);
  if (hit && s.live && now - hit.at < KEY_AUTH_CACHE_MS) return hit.row as Row;
  if (hit) s.entries.delete(hash);
  const generation = s.generation;
  const row = await load();
  if (row && s.live && s.generation === generation) {
    if (s.entries.size >= KEY_AUTH_CACHE_MAX) evict(s, now);
    s.entries.set(hash, { row, at: now });
  }
  return row;
}

/** Past the size bound: drops the expired entries, or else the oldest. */
function evict(s: State, now: number): void {
  for (const [hash, entry] of s.entries) if (now - entry.at >= KEY_AUTH_CACHE_MS) s.entries.delete(hash);
  if (s.entries.size < KEY_AUTH_CACHE_MAX) return;
  const oldest = s.entries.keys().next();
  if (!oldest.done) s.entries.delete(oldest.value);
}

function forget(match: (row: Cached) => boolean): void {
  const s = state();
  s.generation++;
  for (const [hash, entry] of s.entries) if (match(entry.row)) s.entries.delete(hash);
}

/** Forgets every secret of a key. */
export function forgetKey(keyId: string): void {
  forget((row) => row.keyId === keyId);
}

/** Forgets every key of a customer. */
export function forgetCustomer(customerId: string): void {
  forget((row) => row.customerId === customerId);
}

export function forgetAllKeys(): void {
  const s = state();
  s.generation++;
  s.entries.clear();
}

/**
 * For a transaction that changes what a key's verdict reads. It NOTIFYs in `tx` (the trigger would
 * too, for most changes), so every process forgets the key when `tx` commits; this one at once after the
 * commit. On Postgres the transaction's caller then continues only once every process that was
 * listening has answered that it forgot (at most ACK_WAIT_MS): the change is answered when no process
 * can still serve what it changed.
 */
export async function keyChanged(tx: Tx, keyId: string): Promise<void> {
  await changed(tx, `key:${keyId}`, () => forgetKey(keyId));
}

/** As keyChanged, for a change to the customer (its status): every key of it. */
export async function customerChanged(tx: Tx, customerId: string): Promise<void> {
  await changed(tx, `customer:${customerId}`, () => forgetCustomer(customerId));
}

async function changed(tx: Tx, subject: string, forgetHere: () => void): Promise<void> {
  const acked = await broadcast(tx, subject);
  afterCommit(tx, () => {
    forgetHere();
    return acked();
  });
}

/**
 * NOTIFYs `subject` in `db` (when it commits, if a transaction). Returns what waits, on Postgres, for
 * the answers of the listeners of this database at that moment ("ack:<nonce>" for "<subject>@<nonce>");
 * a listener answers after every notification before it, so an answer means it has forgotten
 * everything committed before. The embedded database has one process, which hears it with the commit.
 */
async function broadcast(db: Db | Tx, subject: string): Promise<() => Promise<void>> {
  if ((await getDbKind()) === "pglite") {
    await db.execute(sql`select pg_notify(${KEY_AUTH_CHANNEL}, ${subject})`);
    return async () => {};
  }
  const nonce = `${process.pid}.${Date.now().toString(36)}.${Math.random().toString(36).slice(2, 10)}`;
  const answers = expectAnswers(nonce);
  const result = (await db.execute(sql`
    select pg_notify(${KEY_AUTH_CHANNEL}, ${`${subject}@${nonce}`}),
      array(select pid from pg_stat_activity
            where datname = current_database()
              and application_name like ${`${listenerName(KEY_AUTH_CHANNEL)}%`}) as pids
  `)) as unknown as { rows: { pids: number[] }[] };
  return () => answers(result.rows[0]?.pids ?? []);
}

/** How long a change waits for the listeners' answers before answering anyway. */
const ACK_WAIT_MS = 1_000;

/**
 * Collects the answers to `nonce` from now on (one may come before the caller knows whom to wait for);
 * the function it returns resolves once every backend in `pids` has answered, at once when this
 * process's listener is down (it could not hear them), when it goes up or down, or after ACK_WAIT_MS
 * (a rolled-back transaction sends nothing; a process that does not answer in time still forgets as
 * its notification arrives, and its TTL bounds the rest).
 */
function expectAnswers(nonce: string): (pids: number[]) => Promise<void> {
  const s = state();
  const answered = new Set<number>();
  let finish = () => {};
  const wait: Answers = { answered, pending: null, done: () => finish() };
  s.acks.set(nonce, wait);
  // A transaction that rolls back never asks: its entry goes after a while.
  const forget = setTimeout(() => s.acks.delete(nonce), 60_000);
  forget.unref();
  return (pids) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        if (wait.pending?.size) {
          console.error(
            JSON.stringify({
              level: "warn",
              msg: "key_auth change not acknowledged",
              backends: [...wait.pending],
            }),
          );
        }
        finish();
      }, ACK_WAIT_MS);
      timer.unref();
      finish = () => {
        clearTimeout(timer);
        clearTimeout(forget);
        s.acks.delete(nonce);
        resolve();
      };
      wait.pending = new Set(pids.filter((pid) => !answered.has(pid)));
      if (!s.live || wait.pending.size === 0) finish();
    });
}

/**
 * Resolves once every change committed before the call has reached every process's cache: for a
 * change made in SQL (a script, a test), which each process otherwise forgets as its trigger's
 * notification arrives, a moment after the commit.
 */
export async function keyAuthCacheSettled(): Promise<void> {
  if ((await getDbKind()) === "pglite") return;
  await startKeyAuthCache();
  const answers = await broadcast(await getDb(), "sync:");
  await answers();
}

/**
 * A `key_auth` payload: "key:<id>" or "customer:<id>" (a trigger's), the same with "@<nonce>" (the app's,
 * answered with "ack:<nonce>"), "sync:@<nonce>" (keyAuthCacheSettled, answered too), "ack:<nonce>" from
 * backend `sender`. Anything else forgets everything.
 */
export function onKeyAuthNotification(payload: string, sender?: number): void {
  const s = state();
  const [subject = "", nonce] = payload.split("@", 2);
  if (subject.startsWith("key:")) forgetKey(subject.slice(4));
  else if (subject.startsWith("customer:")) forgetCustomer(subject.slice(9));
  else if (subject.startsWith("ack:")) {
    const wait = s.acks.get(subject.slice(4));
    if (!wait || sender === undefined) return;
    wait.answered.add(sender);
    if (wait.pending?.delete(sender) && wait.pending.size === 0) wait.done();
    return;
  } else if (subject !== "sync:") forgetAllKeys();
  if (nonce) s.listener?.send(`ack:${nonce}`);
}

/** The listener came up or went down: either way, nothing cached before can be trusted. */
export function onKeyAuthListenerState(live: boolean): void {
  const s = state();
  forgetAllKeys();
  s.live = live;
  if (live) for (const up of s.waiting) up();
  for (const wait of [...s.acks.values()]) wait.done();
}

/** Starts this process's listener once, in the background: the request that starts it reads the database. */
function startListening(s: State): void {
  if (s.listener || s.starting) return;
  s.starting = Promise.resolve()
    .then(() => listen(KEY_AUTH_CHANNEL, { notify: onKeyAuthNotification, state: onKeyAuthListenerState }))
    .then((listener) => {
      s.listener = listener;
      // Before the database closes (hooks run in reverse order of registration).
      onShutdown("key-auth-listener", async () => {
        if (s.listener === listener) s.listener = undefined;
        await listener.close();
      });
    })
    .catch(() => {
      // The database did not open (the request that asked reports that): the next request retries.
    })
    .finally(() => {
      s.starting = undefined;
    });
}

/** Starts the listener now (a server at boot) and resolves once it is up, or after `timeoutMs`. */
export async function startKeyAuthCache(timeoutMs = 10_000): Promise<boolean> {
  const s = state();
  startListening(s);
  if (s.live) return true;
  let up = () => {};
  let timer: NodeJS.Timeout | undefined;
  await new Promise<void>((resolve) => {
    up = resolve;
    s.waiting.add(up);
    timer = setTimeout(resolve, timeoutMs);
    timer.unref();
  });
  s.waiting.delete(up);
  clearTimeout(timer);
  return s.live;
}

/** Whether entries are being served (the listener is up). */
export function keyAuthCacheLive(): boolean {
  return state().live;
}
