import { beforeAll, describe, expect, it } from "vitest";
import { api, json, ORIGIN } from "../support/api";
import { type Envelope, newAccount, openDatabase } from "../support/jobs";

// Findings of the security audit (issue 20), each pinned by the request that showed it.

beforeAll(openDatabase);

type Account = Awaited<ReturnType<typeof newAccount>>;
let acct: Account;
beforeAll(async () => {
  acct = await newAccount("security", 0);
});

const b64 = (s: string) => Buffer.from(s).toString("base64url");

describe("L1: job time filters at the edges of time", () => {
  const edges = [
    "1969-12-31T23:59:59Z",
    "1970-01-01T00:00:00Z",
    "0000-01-01T00:00:00Z",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59Z",
  ];

  it("GET /jobs answers 200 with an empty list, never a 500", async () => {
    for (const at of edges) {
      for (const name of ["created_after", "created_before"]) {
        const res = await api(`/jobs?${name}=${encodeURIComponent(at)}`, {
          headers: acct.keyCaller!.headers,
        });
        const body = await json<{ data: unknown[] } & Envelope>(res);
        expect(res.status, `${name}=${at}: ${JSON.stringify(body)}`).toBe(200);
        expect(body.data).toEqual([]);
      }
    }
  });

  it("the CSV export answers the header and nothing else, never a truncated 200", async () => {
    for (const at of edges) {
      for (const name of ["created_after", "created_before"]) {
        const res = await api(`/jobs/export.csv?${name}=${encodeURIComponent(at)}`, {
          headers: acct.keyCaller!.headers,
        });
        expect(res.status, `${name}=${at}`).toBe(200);
        const text = await res.text();
        expect(text.split("\r\n"), `${name}=${at}: ${text}`).toEqual([
          expect.stringMatching(/^id,created_at,/),
          "",
        ]);
      }
    }
  });
});

describe("L2: a request-log cursor with an out-of-range time", () => {
  it("is invalid_request on the cursor, never a 500", async () => {
    const id = "req_01HZZZZZZZZZZZZZZZZZZZZZZZ";
    for (const ms of ["9007199254740991", "-9007199254740991", "8640000000000001", "-62198755200001"]) {
      const res = await api(`/requests?cursor=${b64(`${ms}.${id}`)}`, { headers: acct.session.headers });
      const body = await json<Envelope>(res);
      expect(res.status, `${ms}: ${JSON.stringify(body)}`).toBe(400);
      expect(body.error.code).toBe("invalid_request");
      expect(body.error.details).toMatchObject({ fields: [{ path: "cursor" }] });
    }
  });

  it("from/to at the edges of time are answered, never a 500", async () => {
    for (const at of ["0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "1969-12-31T23:59:59Z"]) {
      const res = await api(`/requests?from=${encodeURIComponent(at)}`, { headers: acct.session.headers });
      expect(res.status, `${at}: ${await res.clone().text()}`).toBe(200);
      const summary = await api(`/requests/summary?from=${encodeURIComponent(at)}&to=9999-12-31T23:59:59Z`, {
        headers: acct.session.headers,
      });
      expect([200, 400], `summary ${at}: ${await summary.clone().text()}`).toContain(summary.status);
    }
  });
});

describe("L6: an unhandled error's log line", () => {
  it("carries the failed query and the stack frames, never the query's parameters", async () => {
    const { createApiApp } = await import("@/lib/server/api/app");
    const app = createApiApp();
    // What drizzle throws: the query and its parameters (here a session token) in the message.
    app.get("/__test/boom", () => {
      throw Object.assign(
        new Error('Failed query: select * from "sessions" where "token" = $1\nparams: tok_SECRET_L6'),
        {
          params: ["tok_SECRET_L6"],
          cause: Object.assign(new Error("deadlock detected"), { code: "40P01" }),
        },
      );
    });
    const logged: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void logged.push(args.map(String).join(" "));
    try {
      const res = await app.fetch(new Request(`${ORIGIN}/api/v1/__test/boom`));
      expect(res.status).toBe(500);
    } finally {
      console.error = original;
    }
    const line = logged.find((l) => l.includes("unhandled API error"))!;
    expect(line).toContain('Failed query: select * from \\"sessions\\"');
    expect(line).toContain("[40P01]");
    expect(line).toMatch(/"stack":"at /);
    expect(line).not.toContain("tok_SECRET_L6");
  });
});

describe("L3: production configuration", () => {
  it("the API server refuses to start without BETTER_AUTH_SECRET, saying why, before opening anything", async () => {
    const { spawn } = await import("node:child_process");
    const { mkdtempSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const path = await import("node:path");
    const childEnv: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: "production",
      BETTER_AUTH_SECRET: "",
      DATABASE_URL: "",
      REDIS_URL: "",
      DATA_DIR: mkdtempSync(path.join(tmpdir(), "l3-")),
      API_PORT: String(6090 + (process.pid % 9)),
      HOST: "127.0.0.1",
    };
    const child = spawn(path.resolve("node_modules/.bin/tsx"), ["lib/server/api/server.ts"], {
      env: childEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    // It either exits (the fix) or gets as far as listening (the defect): wait for whichever comes first.
    const code = await new Promise<number | "listening">((resolve) => {
      child.on("exit", (c) => resolve(c ?? -1));
      child.stdout.on("data", () => output.includes("> API on") && resolve("listening"));
    });
    if (code === "listening") child.kill("SIGKILL");
    expect(code, output).toBe(1);
    expect(output).toMatch(/BETTER_AUTH_SECRET must be set in production/);
  });

  it("sign-up's session cookie is Secure in production even without an https APP_URL", async () => {
    const { getAuth } = await import("@/lib/server/auth/auth");
    const { resetEnvCache } = await import("@/lib/server/env");
    const key = Symbol.for("genmedia.auth");
    const g = globalThis as Record<symbol, unknown>;
    const saved = { auth: g[key], NODE_ENV: process.env.NODE_ENV, APP_URL: process.env.APP_URL };
    const secret = process.env.BETTER_AUTH_SECRET;
    Object.assign(process.env, {
      NODE_ENV: "production",
      BETTER_AUTH_SECRET: "l3-test-secret-0123456789abcdef",
    });
    delete process.env.APP_URL;
    resetEnvCache();
    g[key] = undefined;
    try {
      const res = await (
        await getAuth()
      ).handler(
        new Request(`${ORIGIN}/api/auth/sign-up/email`, {
          method: "POST",
          headers: { "content-type": "application/json", origin: ORIGIN },
          body: JSON.stringify({
            email: `l3-${Date.now()}@example.test`,
            password: "a-long-password-1",
            name: "L3",
          }),
        }),
      );
      expect(res.status).toBe(200);
      const cookies = res.headers.getSetCookie();
      const session = cookies.find((c) => c.includes("session_token"));
      expect(session, cookies.join("\n")).toMatch(/;\s*Secure/i);
    } finally {
      (process.env as Record<string, string | undefined>).NODE_ENV = saved.NODE_ENV;
      if (saved.APP_URL !== undefined) process.env.APP_URL = saved.APP_URL;
      if (secret === undefined) delete process.env.BETTER_AUTH_SECRET;
      else process.env.BETTER_AUTH_SECRET = secret;
      resetEnvCache();
      g[key] = saved.auth;
    }
  });
});

describe("L5: a developer is not the owner", () => {
  it("cannot change billing settings or buy credits; the owner can", async () => {
    const { getDb } = await import("@/lib/server/db/client");
    const { memberships, users } = await import("@/lib/server/db/schema");
    const { eq } = await import("drizzle-orm");
    const { signIn, signUp, uniqueEmail } = await import("../support/api");
    const { sessionCaller } = await import("../support/jobs");
    const owner = await newAccount("l5-owner", 0, false);
    const email = uniqueEmail("l5-member");
    await signUp(email, "a-long-password-1");
    const db = await getDb();
    const [user] = await db
      .update(users)
      .set({ customerId: owner.customerId })
      .where(eq(users.email, email))
      .returning({ id: users.id });
    await db
      .insert(memberships)
      .values({ customerId: owner.customerId, userId: user!.id, role: "developer" });
    const member = sessionCaller(await signIn(email, "a-long-password-1"));

    const patch = (caller: typeof member) =>
      api("/billing/settings", {
        method: "PATCH",
        headers: caller.headers,
        json: { low_balance_credits: 7 },
      });
    const topUp = (caller: typeof member) =>
      api("/top-ups", { method: "POST", headers: caller.headers, json: { pack: "pack_starter" } });

    const refused = await patch(member);
    expect(refused.status).toBe(404);
    expect((await json<Envelope>(refused)).error.code).toBe("not_found");
    expect((await topUp(member)).status).toBe(404);
    // Reading is fine.
    expect((await api("/billing/settings", { headers: member.headers })).status).toBe(200);

    expect((await patch(owner.session)).status).toBe(200);
    expect((await topUp(owner.session)).status).toBe(201);
  });
});

describe("M3: request bodies are bounded before they are read", () => {
  /** A body of `total` bytes that counts what the server pulled from it. */
  function countedBody(total: number, prefix = "") {
    const chunk = new Uint8Array(64 * 1024).fill(0x61);
    const state = { pulled: 0 };
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= total) return controller.close();
        const piece = sent === 0 && prefix ? new TextEncoder().encode(prefix) : chunk;
        sent += piece.byteLength;
        state.pulled = sent;
        controller.enqueue(piece);
      },
    });
    return { stream, state };
  }
  const MiB = 1024 * 1024;
  const post = (path: string, body: ReadableStream<Uint8Array>, headers: Record<string, string>) =>
    new Request(`${ORIGIN}${path}`, { method: "POST", headers, body, duplex: "half" } as RequestInit);

  it("the Stripe webhook without a secret or a signature answers before reading the body", async () => {
    const { createApiApp } = await import("@/lib/server/api/app");
    const { stream, state } = countedBody(64 * MiB);
    const res = await createApiApp().fetch(
      post("/api/v1/webhooks/stripe", stream, { "content-type": "application/json" }),
    );
    expect(res.status).toBe(400);
    expect((await json<Envelope>(res)).error.code).toBe("invalid_request");
    expect(state.pulled).toBeLessThan(MiB);
  });

  it("a JSON route stops reading at 64 KiB: invalid_request naming the body", async () => {
    const { createApiApp } = await import("@/lib/server/api/app");
    const { stream, state } = countedBody(16 * MiB, '{"name":"');
    const res = await createApiApp().fetch(
      post("/api/v1/keys", stream, { ...acct.session.headers, "content-type": "application/json" }),
    );
    expect(res.status).toBe(400);
    const body = await json<Envelope>(res);
    expect(body.error.code).toBe("invalid_request");
    expect(body.error.details).toMatchObject({ fields: [{ path: "body" }] });
    expect(state.pulled).toBeLessThan(MiB);
  });

  it("the Stripe webhook with a secret and a signature stops reading at 1 MiB", async () => {
    const before = process.env.STRIPE_WEBHOOK_SECRET;
    process.env.STRIPE_WEBHOOK_SECRET = "whsec_m3_0123456789";
    const { resetEnvCache } = await import("@/lib/server/env");
    resetEnvCache();
    try {
      const { createApiApp } = await import("@/lib/server/api/app");
      const { stream, state } = countedBody(64 * MiB);
      const res = await createApiApp().fetch(
        post("/api/v1/webhooks/stripe", stream, {
          "content-type": "application/json",
          "stripe-signature": "t=1,v1=00",
        }),
      );
      expect(res.status).toBe(400);
      expect((await json<Envelope>(res)).error.details).toMatchObject({ fields: [{ path: "body" }] });
      expect(state.pulled).toBeLessThan(2 * MiB);
    } finally {
      if (before === undefined) delete process.env.STRIPE_WEBHOOK_SECRET;
      else process.env.STRIPE_WEBHOOK_SECRET = before;
      resetEnvCache();
    }
  });

  it("the auth endpoints stop reading at 16 KiB", async () => {
    const { handleAuthRequest } = await import("@/lib/server/auth/handler");
    for (const path of ["/api/auth/sign-in/email", "/api/auth/sign-up/email"]) {
      const { stream, state } = countedBody(16 * MiB, '{"email":"a@example.test","password":"');
      const res = await handleAuthRequest(
        post(path, stream, { "content-type": "application/json", origin: ORIGIN }),
        "203.0.113.99",
      );
      expect(res.status, path).toBe(400);
      expect(((await res.json()) as Envelope).error.code).toBe("invalid_request");
      expect(state.pulled, path).toBeLessThan(MiB);
    }
  });
});

describe("M4: the cheap checks before the image fetch", () => {
  it("a 0-credit customer's image job is refused for its balance without fetching or storing the image", async () => {
    const { createServer } = await import("node:http");
    const { getDb } = await import("@/lib/server/db/client");
    const { uploads } = await import("@/lib/server/db/schema");
    const { eq } = await import("drizzle-orm");
    const { setRemoteFetchPolicy } = await import("@/lib/server/uploads/remote");
    let hits = 0;
    const server = createServer((_req, res) => {
      hits++;
      res.writeHead(200, { "content-type": "image/png" }).end(Buffer.alloc(100, 1));
    });
    const port = 6020 + (process.pid % 9);
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    setRemoteFetchPolicy({ allowPrivateAddresses: true, timeoutMs: 3_000 });
    try {
      const poor = await newAccount("m4-poor", 0, false);
      for (let i = 0; i < 3; i++) {
        const res = await api("/jobs", {
          method: "POST",
          headers: poor.session.headers,
          json: {
            product: "image-edit",
            prompt: "x",
            source_image_url: `http://127.0.0.1:${port}/i${i}.png`,
          },
        });
        expect(res.status).toBe(402);
        expect((await json<Envelope>(res)).error.code).toBe("insufficient_balance");
      }
      expect(hits).toBe(0);
      const db = await getDb();
      expect(await db.select().from(uploads).where(eq(uploads.customerId, poor.customerId))).toEqual([]);
    } finally {
      setRemoteFetchPolicy(undefined);
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
