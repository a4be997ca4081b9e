import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/server/env";
import { CLIENT_IP_HEADER } from "@/lib/server/net/client-ip";
import { resetLimiters } from "@/lib/server/ratelimit/limiter";
import { generateSecret } from "@/lib/server/keys/secret";
import { api, json, signUp, uniqueEmail } from "../support/api";
import { newAccount } from "../support/jobs";

type Envelope = { error: { code: string; request_id: string; details?: Record<string, unknown> } };

const ORIGINAL = { ...process.env };
afterAll(() => {
  for (const k of ["REDIS_URL", "RATE_LIMIT_PER_MINUTE", "AUTH_FAILURES_PER_MINUTE"]) {
    if (ORIGINAL[k] === undefined) delete process.env[k];
    else process.env[k] = ORIGINAL[k];
  }
  resetEnvCache();
  resetLimiters();
});

function configure(vars: Record<string, string | undefined>) {
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvCache();
  resetLimiters();
}

describe("per-customer request limit", () => {
  beforeAll(() =>
    configure({ RATE_LIMIT_PER_MINUTE: "5", AUTH_FAILURES_PER_MINUTE: "3", REDIS_URL: undefined }),
  );

  // @code:rate_limited
  it("counts down X-RateLimit-Remaining, then refuses with 429 rate_limited and a whole-second Retry-After", async () => {
    const cookie = await signUp(uniqueEmail("rl"), "a-long-password-1");
    const remaining: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await api("/balance", { headers: { cookie } });
      expect(res.status).toBe(200);
      expect(res.headers.get("x-ratelimit-limit")).toBe("5");
      remaining.push(res.headers.get("x-ratelimit-remaining") ?? "");
    }
    expect(remaining).toEqual(["4", "3", "2", "1", "0"]);
    const res = await api("/balance", { headers: { cookie } });
    expect(res.status).toBe(429);
    const retryAfter = res.headers.get("retry-after") ?? "";
    expect(retryAfter).toMatch(/^[1-9][0-9]*$/);
    const body = await json<Envelope>(res);
    expect(body.error.code).toBe("rate_limited");
    expect(body.error.details).toEqual({ retry_after: Number(retryAfter), limit: 5, window_seconds: 60 });
    expect(res.headers.get("x-ratelimit-remaining")).toBe("0");
  });

  it("limits each customer separately", async () => {
    const a = await signUp(uniqueEmail("rl-a"), "a-long-password-1");
    const b = await signUp(uniqueEmail("rl-b"), "a-long-password-1");
    for (let i = 0; i < 5; i++) await api("/balance", { headers: { cookie: a } });
    expect((await api("/balance", { headers: { cookie: a } })).status).toBe(429);
    expect((await api("/balance", { headers: { cookie: b } })).status).toBe(200);
  });

  it("limits failed authentications per client IP, and only that IP", async () => {
    const from = (ip: string) => ({ authorization: "Bearer sk_live_guess", [CLIENT_IP_HEADER]: ip });
    for (let i = 0; i < 3; i++) {
      expect((await api("/balance", { headers: from("203.0.113.7") })).status).toBe(401);
    }
    const locked = await api("/balance", { headers: from("203.0.113.7") });
    expect(locked.status).toBe(429);
    expect((await json<Envelope>(locked)).error.code).toBe("rate_limited");
    expect((await api("/balance", { headers: from("203.0.113.8") })).status).toBe(401);
  });

  // @code:rate_limited
  it("a locked-out address (one bad script behind a shared NAT) still serves valid keys and sessions; its failures stay refused", async () => {
    const ip = "203.0.113.9";
    const account = await newAccount("rl-nat", 0);
    const guess = { authorization: `Bearer ${generateSecret()}`, [CLIENT_IP_HEADER]: ip };
    for (let i = 0; i < 3; i++) expect((await api("/balance", { headers: guess })).status).toBe(401);
    const locked = await api("/balance", { headers: guess });
    expect(locked.status).toBe(429);
    expect(locked.headers.get("retry-after")).toMatch(/^[1-9][0-9]*$/);
    expect((await json<Envelope>(locked)).error.code).toBe("rate_limited");

    const key = { authorization: `Bearer ${account.key!.secret}`, [CLIENT_IP_HEADER]: ip };
    const byKey = await api("/balance", { headers: key });
    expect(byKey.status).toBe(200);
    const bySession = await api("/balance", { headers: { cookie: account.cookie, [CLIENT_IP_HEADER]: ip } });
    expect(bySession.status).toBe(200);
    // Guessing stays slow: the next wrong key from that address is still refused.
    const again = await api("/balance", {
      headers: { ...guess, authorization: `Bearer ${generateSecret()}` },
    });
    expect(again.status).toBe(429);
  });
});

const hasRedis = spawnSync("redis-server", ["--version"]).status === 0;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    "redis-server",
    ["--bind", "127.0.0.1", "--port", String(port), "--save", "", "--appendonly", "no"],
    { stdio: "ignore" },
  );
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 5000;
    const probe = () => {
      const socket = net.connect(port, "127.0.0.1", () => {
        socket.end();
        resolve(child);
      });
      socket.on("error", () =>
        Date.now() > deadline ? reject(new Error("redis did not start")) : setTimeout(probe, 50),
      );
    };
    probe();
  });
}

describe.skipIf(!hasRedis)("Redis store outage (fail-closed)", () => {
  let port = 0;
  let redis: ChildProcess | undefined;

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port);
    configure({ RATE_LIMIT_PER_MINUTE: "1000", REDIS_URL: `redis://127.0.0.1:${port}` });
  });
  afterAll(() => {
    redis?.kill("SIGKILL");
    configure({
      REDIS_URL: undefined,
      RATE_LIMIT_PER_MINUTE: undefined,
      AUTH_FAILURES_PER_MINUTE: undefined,
    });
  });

  // @code:rate_limiter_unavailable @code:service_unavailable
  it("serves normally, refuses every limited request with 503 while Redis is down, and recovers", async () => {
    const cookie = await signUp(uniqueEmail("redis"), "a-long-password-1");
    // Wait for the client's first connection.
    for (let i = 0; i < 50 && (await api("/balance", { headers: { cookie } })).status !== 200; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect((await api("/balance", { headers: { cookie } })).status).toBe(200);

    redis!.kill("SIGKILL");
    await new Promise((r) => setTimeout(r, 300));
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await api("/balance", { headers: { cookie } });
      statuses.push(res.status);
      const body = await json<Envelope>(res);
      expect(body.error.code).toBe("rate_limiter_unavailable");
      expect(res.headers.get("retry-after")).toMatch(/^[1-9][0-9]*$/);
    }
    expect(statuses).toEqual([503, 503, 503, 503, 503]);
    // A mutation is refused too, and changes nothing.
    const before = await api("/billing/settings", { headers: { cookie } });
    expect(before.status).toBe(503);
    const health = await api("/health");
    expect(health.status).toBe(503);
    const down = await json<Envelope>(health);
    expect(down.error.code).toBe("service_unavailable");
    expect(down.error.details).toMatchObject({
      rate_limiter: "down",
      database: "ok",
    });

    redis = await startRedis(port);
    let recovered = 0;
    const started = Date.now();
    while (Date.now() - started < 10_000) {
      if ((await api("/balance", { headers: { cookie } })).status === 200) {
        recovered = Date.now() - started;
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(recovered).toBeGreaterThan(0);
    expect((await api("/health")).status).toBe(200);
  });
});
