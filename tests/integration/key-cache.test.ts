import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { KeyWithSecret } from "@/lib/api/contract/keys.schema";
import { getApiApp } from "@/lib/server/api/app";
import { afterCommit, getDb } from "@/lib/server/db/client";
import { apiKeys, customers, users } from "@/lib/server/db/schema";
import { keyAuthCacheLive, keyAuthCacheSettled, startKeyAuthCache } from "@/lib/server/keys/auth-cache";
import { ORIGIN, uniqueEmail } from "../support/api";

// Key verification is served from a per-process cache (lib/server/keys/auth-cache.ts). A revoke, pause,
// roll or allowlist change must still hold from the very next request: in this process (embedded
// database or Postgres) and, on real Postgres, in another process serving the same database.

type Envelope = { error: { code: string; request_id: string; details?: Record<string, unknown> } };

/** One API server: this process's app, or a separate `npm run api` process over HTTP. */
type Server = {
  name: string;
  origin: string;
  call: (path: string, init?: RequestInit & { json?: unknown }) => Promise<Response>;
};

function request(base: string, origin: string, p: string, init: RequestInit & { json?: unknown } = {}) {
  const headers = new Headers(init.headers);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set("content-type", "application/json");
    headers.set("origin", origin);
    body = JSON.stringify(init.json);
  }
  return new Request(new URL(`/api/v1${p}`, base), { ...init, headers, body });
}

const here: Server = {
  name: "this process",
  origin: ORIGIN,
  call: async (p, init) => getApiApp().fetch(request(ORIGIN, ORIGIN, p, init)),
};

function httpServer(base: string): Server {
  return { name: "the other process", origin: base, call: (p, init) => fetch(request(base, base, p, init)) };
}

async function signIn(server: Server, email: string, password: string): Promise<string> {
  const auth = server === here ? (await import("@/lib/server/auth/auth")).getAuth() : null;
  const req = new Request(new URL("/api/auth/sign-in/email", server.origin), {
    method: "POST",
    headers: { "content-type": "application/json", origin: server.origin },
    body: JSON.stringify({ email, password }),
  });
  const res = auth ? await (await auth).handler(req) : await fetch(req);
  expect(res.status, await res.clone().text()).toBe(200);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

async function signUp(email: string): Promise<{ cookie: string; customerId: string }> {
  const { getAuth } = await import("@/lib/server/auth/auth");
  const res = await (
    await getAuth()
  ).handler(
    new Request(new URL("/api/auth/sign-up/email", ORIGIN), {
      method: "POST",
      headers: { "content-type": "application/json", origin: ORIGIN },
      body: JSON.stringify({ email, password: owner.password, name: "Key cache" }),
    }),
  );
  expect(res.status).toBe(200);
  const db = await getDb();
  const [user] = await db.select().from(users).where(eq(users.email, email));
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  return { cookie, customerId: user!.customerId! };
}

async function createKey(server: Server, cookie: string): Promise<KeyWithSecret> {
  const res = await server.call("/keys", {
    method: "POST",
    headers: { cookie },
    json: { name: `cache ${Math.random().toString(36).slice(2, 8)}` },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as KeyWithSecret;
}

/** DELETE /keys/{id} from the console (a cookie-authenticated mutation says it is JSON). */
const revoke = (id: string) =>
  here.call(`/keys/${id}`, {
    method: "DELETE",
    headers: { cookie: ownerCookie, origin: ORIGIN, "content-type": "application/json" },
  });

const withKey = (server: Server, secret: string) =>
  server.call("/balance", { headers: { authorization: `Bearer ${secret}` } });

async function expectStatus(res: Response, status: number, code?: string): Promise<Envelope | null> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  if (!code) return null;
  const body = JSON.parse(text) as Envelope;
  expect(body.error.code).toBe(code);
  expect(body.error.request_id).toBe(res.headers.get("x-request-id"));
  return body;
}

/** The statements this process sends while `run` runs that read a secret (the key look-up). */
async function keyLookups<T>(run: () => Promise<T>): Promise<{ result: T; lookups: number }> {
  // The pool (node-postgres) or the embedded database: either way, every statement outside a transaction.
  const db = (await getDb()) as unknown as { $client: { query: (...args: unknown[]) => unknown } };
  const client = db.$client;
  const spy = vi.spyOn(client, "query");
  try {
    const result = await run();
    const texts = spy.mock.calls.map(([q]) =>
      typeof q === "string" ? q : String((q as { text?: string }).text),
    );
    return { result, lookups: texts.filter((t) => t.includes('"key_secrets"')).length };
  } finally {
    spy.mockRestore();
  }
}

/** Uses the key twice in this process: the first reads it, the second must be served from the cache. */
async function warmHere(secret: string): Promise<void> {
  expect(await startKeyAuthCache()).toBe(true);
  await expectStatus(await withKey(here, secret), 200);
  const second = await keyLookups(() => withKey(here, secret));
  await expectStatus(second.result, 200);
  expect(second.lookups, "a cached key is not looked up again").toBe(0);
}

// A customer of this file's own (the seeded ownerCookie customer's key limit is shared by every file).
const owner = { email: uniqueEmail("keycache-owner"), password: "a-long-password-1" };
let ownerCookie: string;
let staff: string;
beforeAll(async () => {
  ownerCookie = (await signUp(owner.email)).cookie;
  staff = await signIn(here, "support@example.com", "support-password-1");
});

describe("key verification's cache, in one process", () => {
  it("serves a key it has read without looking it up again, and never an unknown key", async () => {
    const key = await createKey(here, ownerCookie);
    expect(await startKeyAuthCache()).toBe(true);
    const first = await keyLookups(() => withKey(here, key.secret));
    await expectStatus(first.result, 200);
    expect(first.lookups).toBe(1);
    for (let i = 0; i < 3; i++) {
      const next = await keyLookups(() => withKey(here, key.secret));
      await expectStatus(next.result, 200);
      expect(next.lookups).toBe(0);
    }
    // An unknown key is looked up every time (a key created a moment later must work at once).
    const unknown = `${key.secret.slice(0, -4)}0000`;
    for (let i = 0; i < 2; i++) {
      const miss = await keyLookups(() => withKey(here, unknown));
      expect(miss.result.status).toBe(401);
    }
  });

  it("a revoke holds from the next request", async () => {
    const key = await createKey(here, ownerCookie);
    await warmHere(key.secret);
    await expectStatus(await revoke(key.id), 200);
    await expectStatus(await withKey(here, key.secret), 401, "authentication_failed");
  });

  it("a pause holds from the next request, and so does the resume", async () => {
    const key = await createKey(here, ownerCookie);
    await warmHere(key.secret);
    const patch = (status: string) =>
      here.call(`/keys/${key.id}`, { method: "PATCH", headers: { cookie: ownerCookie }, json: { status } });
    await expectStatus(await patch("paused"), 200);
    const paused = await expectStatus(await withKey(here, key.secret), 403, "account_disabled");
    expect(paused!.error.details).toEqual({ scope: "key" });
    await expectStatus(await patch("active"), 200);
    await warmHere(key.secret);
  });

  it("an allowlist change holds from the next request; the lists are matched per request", async () => {
    const key = await createKey(here, ownerCookie);
    await warmHere(key.secret);
    const patch = (allowed_ips: string[]) =>
      here.call(`/keys/${key.id}`, {
        method: "PATCH",
        headers: { cookie: ownerCookie },
        json: { allowed_ips },
      });
    await expectStatus(await patch(["203.0.113.7"]), 200);
    await expectStatus(await withKey(here, key.secret), 403, "ip_not_allowed");
    await expectStatus(await patch([]), 200);
    await warmHere(key.secret);
  });

  it("a roll without grace stops the old secret from the next request", async () => {
    const key = await createKey(here, ownerCookie);
    await warmHere(key.secret);
    const res = await here.call(`/keys/${key.id}/roll`, {
      method: "POST",
      headers: { cookie: ownerCookie },
      json: {},
    });
    await expectStatus(res.clone(), 200);
    const rolled = (await res.json()) as KeyWithSecret;
    await expectStatus(await withKey(here, key.secret), 401, "authentication_failed");
    await expectStatus(await withKey(here, rolled.secret), 200);
  });

  it("support pausing the customer holds from the next request, with its catalog code", async () => {
    const account = await signUp(uniqueEmail("keycache"));
    const key = await createKey(here, account.cookie);
    await warmHere(key.secret);
    const pause = await here.call(`/support/customers/${account.customerId}/pause`, {
      method: "POST",
      headers: { cookie: staff },
      json: { reason: "key cache test" },
    });
    await expectStatus(pause, 200);
    const refused = await expectStatus(await withKey(here, key.secret), 403, "account_disabled");
    expect(refused!.error.details).toEqual({ scope: "customer" });
  });

  it("a change made in SQL by someone else (a trigger notifies) holds too", async () => {
    const key = await createKey(here, ownerCookie);
    await warmHere(key.secret);
    const db = await getDb();
    await db
      .update(apiKeys)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(apiKeys.id, key.id));
    // The trigger's notification comes with the commit (embedded) or a moment later (Postgres).
    await keyAuthCacheSettled();
    await expectStatus(await withKey(here, key.secret), 401, "authentication_failed");
  });

  it("runs after-commit work only after a commit, and never after a rollback", async () => {
    const db = await getDb();
    const seen: string[] = [];
    await db.transaction(async (tx) => {
      afterCommit(tx, () => void seen.push("committed"));
      await tx.execute(sql`select 1`);
      expect(seen).toEqual([]);
    });
    expect(seen).toEqual(["committed"]);
    await expect(
      db.transaction(async (tx) => {
        afterCommit(tx, () => void seen.push("rolled back"));
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(seen).toEqual(["committed"]);
  });
});

// ---------------------------------------------------------------------------------- real Postgres

const onPostgres = describe.skipIf(!process.env.DATABASE_URL);

/** A change no one hears of: triggers are off for this session (replica role, superuser only). */
async function silently(change: string, id: string): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    await tx.execute(sql`update api_keys set status = ${change} where id = ${id}`);
  });
}

/** The backend of a process's key_auth listener once it has listened (its first statement done). */
async function listenerPids(pid: number): Promise<number[]> {
  const db = await getDb();
  const rows = (await db.execute(
    sql`select pid from pg_stat_activity where application_name = ${`genmedia listen key_auth ${pid}`}
      and state = 'idle' and query <> ''`,
  )) as unknown as { rows: { pid: number }[] };
  return rows.rows.map((r) => r.pid);
}

onPostgres("key verification's listener, on real Postgres", () => {
  it("forgets everything when its connection is lost: a change it could not hear is seen after reconnecting", async () => {
    const key = await createKey(here, ownerCookie);
    await warmHere(key.secret);
    // Without a notification, the cache would go on serving the key…
    await silently("paused", key.id);
    await expectStatus(await withKey(here, key.secret), 200);
    // …until the listener's connection is lost: then nothing cached is trusted.
    const db = await getDb();
    const [pid] = await listenerPids(process.pid);
    expect(pid).toBeDefined();
    await db.execute(sql`select pg_terminate_backend(${pid}::int)`);
    await vi.waitFor(() => expect(keyAuthCacheLive()).toBe(false), { timeout: 5_000 });
    await expectStatus(await withKey(here, key.secret), 403, "account_disabled");
    // It reconnects in the background; keys are served from the cache again once it is back.
    expect(await startKeyAuthCache()).toBe(true);
    expect(await listenerPids(process.pid)).not.toContain(pid);
    await expectStatus(await withKey(here, key.secret), 403, "account_disabled");
    await warmHere((await createKey(here, ownerCookie)).secret);
  });
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

onPostgres("key verification across two processes, on real Postgres", () => {
  let child: ChildProcess;
  let other: Server;
  let ownerThere: string;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "genmedia-keycache-"));

  beforeAll(async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, ["--import", "tsx", "lib/server/api/server.ts"], {
      env: {
        ...process.env,
        API_PORT: String(port),
        APP_URL: base,
        DATA_DIR: dataDir,
        IN_PROCESS_WORKER: "0",
      },
      stdio: "ignore",
    });
    other = httpServer(base);
    await vi.waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`npm run api exited with ${child.exitCode}`);
        expect((await fetch(`${base}/api/v1/health`)).ok).toBe(true);
      },
      { timeout: 120_000, interval: 250 },
    );
    ownerThere = await signIn(other, owner.email, owner.password);
    expect(await startKeyAuthCache()).toBe(true);
  }, 180_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** Uses the key in the other process once its listener is up, so that it holds the key. */
  async function warmThere(secret: string): Promise<void> {
    await expectStatus(await withKey(other, secret), 200);
    await vi.waitFor(async () => expect(await listenerPids(child.pid!)).toHaveLength(1), { timeout: 10_000 });
    await expectStatus(await withKey(other, secret), 200);
    await expectStatus(await withKey(other, secret), 200);
  }

  it("the other process serves a key from its cache (a change no one hears of is not seen there)", async () => {
    const key = await createKey(here, ownerCookie);
    await warmThere(key.secret);
    await silently("paused", key.id);
    // Proof that what follows tests its cache: the silent pause is not seen there, only here (read anew).
    await expectStatus(await withKey(other, key.secret), 200);
    await silently("active", key.id);
  });

  it("a revoke here holds there from the next request", async () => {
    const key = await createKey(here, ownerCookie);
    await warmThere(key.secret);
    await expectStatus(await revoke(key.id), 200);
    await expectStatus(await withKey(other, key.secret), 401, "authentication_failed");
  });

  it("a pause there holds here from the next request, and a resume here holds there", async () => {
    const key = await createKey(here, ownerCookie);
    await warmHere(key.secret);
    await warmThere(key.secret);
    const pause = await other.call(`/keys/${key.id}`, {
      method: "PATCH",
      headers: { cookie: ownerThere },
      json: { status: "paused" },
    });
    await expectStatus(pause, 200);
    const refused = await expectStatus(await withKey(here, key.secret), 403, "account_disabled");
    expect(refused!.error.details).toEqual({ scope: "key" });
    await expectStatus(await withKey(other, key.secret), 403, "account_disabled");
    const resume = await here.call(`/keys/${key.id}`, {
      method: "PATCH",
      headers: { cookie: ownerCookie },
      json: { status: "active" },
    });
    await expectStatus(resume, 200);
    await expectStatus(await withKey(other, key.secret), 200);
  });

  it("an allowlist change here holds there from the next request", async () => {
    const key = await createKey(here, ownerCookie);
    await warmThere(key.secret);
    const patch = (allowed_ips: string[]) =>
      here.call(`/keys/${key.id}`, {
        method: "PATCH",
        headers: { cookie: ownerCookie },
        json: { allowed_ips },
      });
    await expectStatus(await patch(["203.0.113.7"]), 200);
    await expectStatus(await withKey(other, key.secret), 403, "ip_not_allowed");
    // The other process sees the request's socket address: allowing it lets the key in again.
    await expectStatus(await patch(["127.0.0.1"]), 200);
    await expectStatus(await withKey(other, key.secret), 200);
  });

  it("a roll there stops the old secret here from the next request", async () => {
    const key = await createKey(here, ownerCookie);
    await warmHere(key.secret);
    const res = await other.call(`/keys/${key.id}/roll`, {
      method: "POST",
      headers: { cookie: ownerThere },
      json: {},
    });
    await expectStatus(res.clone(), 200);
    const rolled = (await res.json()) as KeyWithSecret;
    await expectStatus(await withKey(here, key.secret), 401, "authentication_failed");
    await expectStatus(await withKey(here, rolled.secret), 200);
  });

  it("support pausing a customer here holds there from the next request", async () => {
    const account = await signUp(uniqueEmail("keycache-x"));
    const key = await createKey(here, account.cookie);
    await warmThere(key.secret);
    const pause = await here.call(`/support/customers/${account.customerId}/pause`, {
      method: "POST",
      headers: { cookie: staff },
      json: { reason: "key cache test, two processes" },
    });
    await expectStatus(pause, 200);
    const refused = await expectStatus(await withKey(other, key.secret), 403, "account_disabled");
    expect(refused!.error.details).toEqual({ scope: "customer" });
    const db = await getDb();
    const [row] = await db
      .select({ status: customers.status })
      .from(customers)
      .where(eq(customers.id, account.customerId));
    expect(row!.status).toBe("paused");
  });
});
