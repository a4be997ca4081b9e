import { AsyncLocalStorage } from "node:async_hooks";
import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import { env } from "../env";
import { onShutdown } from "../lifecycle";
import { type ListenHandlers, type Listening, listenPglite, listenPostgres } from "./listen";
import { takeLock } from "./lock";
import * as schema from "./schema";

export type Db = NodePgDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbKind = "pglite" | "postgres";

type Handle = {
  db: Db;
  kind: DbKind;
  close: () => Promise<void>;
  listen: (channel: string, on: ListenHandlers) => Promise<Listening>;
};

// One handle per process, shared across module copies (Next's bundle and tsx) and dev hot reloads.
const KEY = Symbol.for("genmedia.db");
const HOOKS = Symbol.for("genmedia.db.commit-hooks");
const g = globalThis as typeof globalThis & {
  [KEY]?: Promise<Handle>;
  [HOOKS]?: AsyncLocalStorage<CommitHook[]>;
};
const commitHooks = (g[HOOKS] ??= new AsyncLocalStorage());

const MIGRATIONS = path.join(process.cwd(), "drizzle");

/** The database, migrated and (with SEED_DEMO=1) seeded. Opened once per process. */
export async function getDb(): Promise<Db> {
  return (await handle()).db;
}

export async function getDbKind(): Promise<DbKind> {
  return (await handle()).kind;
}

/**
 * LISTENs on `channel`: on a dedicated connection of its own (Postgres, reconnecting in the background
 * after a failure) or on the embedded database. See ListenHandlers for what `state` promises.
 */
export async function listen(channel: string, on: ListenHandlers): Promise<Listening> {
  return (await handle()).listen(channel, on);
}

type CommitHook = () => void | Promise<void>;

/**
 * Runs `hook` once the transaction `tx` belongs to has committed, never if it rolls back; that
 * `db.transaction(…)` call returns to its caller only after every hook has run (an async one is awaited,
 * so a hook may hold the response until others have heard of the change). For what this process keeps
 * about the rows the transaction changes: forgotten after the commit, a concurrent reader can't put the
 * old rows back. Outside a transaction of getDb()'s (none to wait for) it runs at once.
 */
export function afterCommit(_tx: Tx, hook: CommitHook): void {
  const hooks = commitHooks.getStore();
  if (hooks) hooks.push(hook);
  else void runHook(hook);
}

async function runHook(hook: CommitHook): Promise<void> {
  try {
    await hook();
  } catch (error) {
    console.error(JSON.stringify({ level: "error", msg: "after-commit hook failed", error: String(error) }));
  }
}

/** `db.transaction`, running the afterCommit hooks its work registered once it has committed. */
function withCommitHooks(db: Db): Db {
  const transaction = db.transaction.bind(db);
  db.transaction = (async (work, config) => {
    const hooks: CommitHook[] = [];
    const result = await commitHooks.run(hooks, () => transaction(work, config));
    if (hooks.length) await Promise.all(hooks.map(runHook));
    return result;
  }) as Db["transaction"];
  return db;
}

function handle(): Promise<Handle> {
  g[KEY] ??= open().catch((error: unknown) => {
    g[KEY] = undefined;
    throw error;
  });
  return g[KEY];
}

async function open(): Promise<Handle> {
  const { DATABASE_URL, DATA_DIR, SEED_DEMO } = env();
  const h = DATABASE_URL ? await openPostgres(DATABASE_URL) : await openPglite(DATA_DIR);
  withCommitHooks(h.db);
  onShutdown("database", async () => {
    g[KEY] = undefined;
    await h.close();
  });
  if (SEED_DEMO) {
    const { seedDemo } = await import("./seed");
    await seedDemo(h.db);
  }
  return h;
}

async function openPostgres(url: string): Promise<Handle> {
  const [{ Pool }, { drizzle }, { migrate }] = await Promise.all([
    import("pg"),
    import("drizzle-orm/node-postgres"),
    import("drizzle-orm/node-postgres/migrator"),
  ]);
  const pool = new Pool({ connectionString: url, max: 20, connectionTimeoutMillis: 5_000 });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on("error", (error) =>
    console.error(JSON.stringify({ level: "error", msg: "postgres pool error", error: String(error) })),
  );
  // A checked-out client (a transaction) has no pool listener, so losing its server would be an
  // unhandled 'error' event that kills the process. Its queries fail on their own (→ 503), and the
  // pool drops the broken client when it is released.
  pool.on("connect", (client) => client.on("error", () => {}));
  const db = drizzle(pool, { schema });
  // Replicas and workers may start together: one migrates at a time.
  const client = await pool.connect();
  try {
    await client.query("select pg_advisory_lock(727274)");
    await migrate(drizzle(client, { schema }), { migrationsFolder: MIGRATIONS });
  } finally {
    await client.query("select pg_advisory_unlock(727274)").catch(() => {});
    client.release();
  }
  return {
    db,
    kind: "postgres",
    close: () => pool.end(),
    listen: async (channel, on) => listenPostgres(url, channel, on),
  };
}

async function openPglite(dataDir: string): Promise<Handle> {
  const dir = path.resolve(dataDir);
  fs.mkdirSync(dir, { recursive: true });
  const releaseLock = takeLock(dir);
  try {
    const [{ PGlite }, { drizzle }, { migrate }] = await Promise.all([
      import("@electric-sql/pglite"),
      import("drizzle-orm/pglite"),
      import("drizzle-orm/pglite/migrator"),
    ]);
    const client = new PGlite(path.join(dir, "pglite"));
    const db = drizzle(client, { schema });
    await migrate(db, { migrationsFolder: MIGRATIONS });
    return {
      db: db as unknown as Db,
      kind: "pglite",
      close: async () => {
        await client.close();
        releaseLock();
      },
      listen: (channel, on) => listenPglite(client, channel, on),
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}

/** `select 1`, for health checks. */
export async function pingDb(): Promise<void> {
  const db = await getDb();
  await db.execute(sql`select 1`);
}
