import type { SQL } from "drizzle-orm";
import type { Db } from "./client";

type Executable = Pick<Db, "execute">;
type DrizzleInternals = {
  dialect: { sqlToQuery(query: SQL): { sql: string; params: unknown[] } };
  session: {
    prepareQuery(
      query: { sql: string; params: unknown[] },
      fields: undefined,
      name: string,
      isResponseInArrayMode: boolean,
    ): { execute(): Promise<unknown> };
  };
};

/**
 * `db.execute(query)` as a named (server-side prepared) statement: on node-postgres each pooled
 * connection parses and plans it once and then only binds and executes it (for the one-statement job
 * charge that saved ~0.3 ms of Postgres CPU per call, a third of its time); PGlite ignores the name.
 * drizzle's public `execute` takes no name, so this goes through the same internal path it uses
 * (`dialect.sqlToQuery` → `session.prepareQuery`), pinned with drizzle-orm's version. A transaction
 * (`tx`) has its own session, so this runs on the transaction's connection like `tx.execute`.
 *
 * The statement's text must be the same on every call under one `name` (only its parameters vary).
 */
export async function executeNamed<Row>(db: Executable, name: string, query: SQL): Promise<{ rows: Row[] }> {
  const { dialect, session } = db as unknown as DrizzleInternals;
  const built = dialect.sqlToQuery(query);
  return (await session.prepareQuery(built, undefined, name, false).execute()) as { rows: Row[] };
}

/**
 * A drizzle prepared query (`….prepare(name)`), built once per database handle instead of on every
 * call (building a select is most of drizzle's CPU on a short request): `const q = perDb((db) =>
 * db.select()….where(eq(t.id, sql.placeholder("id"))).prepare("name"))`, then `q(db).execute({ id })`.
 */
export function perDb<T>(build: (db: Db) => T): (db: Db) => T {
  const built = new WeakMap<Db, T>();
  return (db) => {
    let query = built.get(db);
    if (!query) {
      query = build(db);
      built.set(db, query);
    }
    return query;
  };
}
