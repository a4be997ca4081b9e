import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from "rate-limiter-flexible";
import { env } from "../env";
import { DomainError } from "../errors";
import { onShutdown } from "../lifecycle";
import { ipBucket } from "../net/client-ip";

const WINDOW_SECONDS = 60;

type Limiters = {
  requests: RateLimiterAbstract;
  authFailures: RateLimiterAbstract;
  accountFailures: RateLimiterAbstract;
  ping: () => Promise<void>;
};

const KEY = Symbol.for("genmedia.ratelimit");
const g = globalThis as typeof globalThis & { [KEY]?: Promise<Limiters> };

/** How long the first request waits for Redis's first connection before it is refused. */
const FIRST_CONNECT_MS = 3_000;

/**
 * The limiters: Redis when REDIS_URL is set (shared by every replica), in-process otherwise. No
 * insurance limiter: when the store fails, requests are refused (fail-closed), never let through.
 * One promise is cached, so requests racing at start share one client.
 */
export function getLimiters(): Promise<Limiters> {
  g[KEY] ??= createLimiters();
  return g[KEY];
}

async function createLimiters(): Promise<Limiters> {
  const { REDIS_URL, RATE_LIMIT_PER_MINUTE, AUTH_FAILURES_PER_MINUTE, AUTH_FAILURES_PER_ACCOUNT_PER_MINUTE } =
    env();
  let limiters: Limiters;
  if (REDIS_URL) {
    const { Redis } = await import("ioredis");
    // Commands fail at once while Redis is unreachable (no offline queue), and it reconnects by itself.
    const client = new Redis(REDIS_URL, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 1_000,
      commandTimeout: 1_000,
      retryStrategy: (times) => Math.min(times * 200, 1_000),
    });
    client.on("error", () => {
      /* reported per request as rate_limiter_unavailable */
    });
    onShutdown("redis", () => void client.disconnect());
    // Without an offline queue, a command sent before the first connection fails at once: wait for
    // it (bounded), so a fresh process does not refuse its first requests while Redis is up.
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        client.off("ready", done);
        resolve();
      };
      const timer = setTimeout(done, FIRST_CONNECT_MS);
      client.once("ready", done);
    });
    const common = { storeClient: client, rejectIfRedisNotReady: true, duration: WINDOW_SECONDS };
    limiters = {
      requests: new RateLimiterRedis({ ...common, keyPrefix: "rl:req", points: RATE_LIMIT_PER_MINUTE }),
      authFailures: new RateLimiterRedis({
        ...common,
        keyPrefix: "rl:authfail",
        points: AUTH_FAILURES_PER_MINUTE,
      }),
      accountFailures: new RateLimiterRedis({
        ...common,
        keyPrefix: "rl:acctfail",
        points: AUTH_FAILURES_PER_ACCOUNT_PER_MINUTE,
      }),
      ping: async () => {
        if (client.status !== "ready") throw new Error(`redis ${client.status}`);
        await client.ping();
      },
    };
  } else {
    limiters = {
      requests: new RateLimiterMemory({
        keyPrefix: "rl:req",
        points: RATE_LIMIT_PER_MINUTE,
        duration: WINDOW_SECONDS,
      }),
      authFailures: new RateLimiterMemory({
        keyPrefix: "rl:authfail",
        points: AUTH_FAILURES_PER_MINUTE,
        duration: WINDOW_SECONDS,
      }),
      accountFailures: new RateLimiterMemory({
        keyPrefix: "rl:acctfail",
        points: AUTH_FAILURES_PER_ACCOUNT_PER_MINUTE,
        duration: WINDOW_SECONDS,
      }),
      ping: async () => {},
    };
  }
  return limiters;
}

export type RateLimitHeaders = { limit: number; remaining: number; resetSeconds: number };

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

let lastLogged = 0;

function unavailable(error: unknown): DomainError {
  // One line per 10 s during an outage, not one per refused request.
  if (Date.now() - lastLogged > 10_000) {
    lastLogged = Date.now();
    console.error(
      JSON.stringify({ level: "error", msg: "rate limiter store unavailable", error: String(error) }),
    );
  }
  return new DomainError("rate_limiter_unavailable", { retryAfter: 2 });
}

/** Takes one request from `key`'s budget; over it → rate_limited, store down → rate_limiter_unavailable. */
export async function consumeRequest(key: string): Promise<RateLimitHeaders> {
  const { requests } = await getLimiters();
  try {
    const res = await requests.consume(key);
    return {
      limit: requests.points,
      remaining: res.remainingPoints,
      resetSeconds: seconds(res.msBeforeNext),
    };
  } catch (error) {
    if (error instanceof RateLimiterRes) {
      const retry = seconds(error.msBeforeNext);
      throw new DomainError("rate_limited", {
        message: `More than ${requests.points} requests in ${WINDOW_SECONDS} s. Retry after ${retry} s.`,
        details: { retry_after: retry, limit: requests.points, window_seconds: WINDOW_SECONDS },
        retryAfter: retry,
      });
    }
    throw unavailable(error);
  }
}

/**
 * Counts one failed authentication against the client IP (IPv6 by /64). Past AUTH_FAILURES_PER_MINUTE
 * the failure is refused as rate_limited (the 401 would tell a guesser the key was wrong); the store
 * unreachable → rate_limiter_unavailable (fail-closed). One Redis round trip.
 */
export async function recordAuthFailure(ip: string | null): Promise<void> {
  const { authFailures } = await getLimiters();
  let res: RateLimiterRes;
  try {
    res = await authFailures.penalty(ipBucket(ip), 1);
  } catch (error) {
    throw unavailable(error);
  }
  if (res.consumedPoints > authFailures.points) {
    const retry = seconds(res.msBeforeNext);
    throw new DomainError("rate_limited", {
      message: `Too many failed authentications from this address. Retry after ${retry} s.`,
      details: { retry_after: retry, limit: authFailures.points, window_seconds: WINDOW_SECONDS },
      retryAfter: retry,
    });
  }
}

function lockedOut(res: RateLimiterRes, points: number, what: string): DomainError {
  const retry = seconds(res.msBeforeNext);
  return new DomainError("rate_limited", {
    message: `Too many failed attempts ${what}. Retry after ${retry} s.`,
    details: { retry_after: retry, limit: points, window_seconds: WINDOW_SECONDS },
    retryAfter: retry,
  });
}

async function take(limiter: RateLimiterAbstract, key: string, what: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (error) {
    if (error instanceof RateLimiterRes) throw lockedOut(error, limiter.points, what);
    throw unavailable(error);
  }
}

/**
 * One sign-in attempt, counted before the password is checked: counting failures afterwards let
 * parallel guesses all pass a read of the counter. Takes a point from the client's address (IPv6 by
 * /64) and then from the account; the returned function gives both back when the password was right.
 */
export async function takeSignInAttempt(
  ip: string | null,
  account: string | null,
): Promise<() => Promise<void>> {
  const { authFailures, accountFailures } = await getLimiters();
  const ipKey = ipBucket(ip);
  await take(authFailures, ipKey, "from this address");
  const accountKey = account?.trim().toLowerCase();
  if (accountKey) await take(accountFailures, accountKey, "for this account");
  return async () => {
    await authFailures.reward(ipKey, 1).catch(() => {});
    if (accountKey) await accountFailures.reward(accountKey, 1).catch(() => {});
  };
}

export async function pingRateLimiter(): Promise<void> {
  await (await getLimiters()).ping();
}

/** For tests: drop the cached limiters so env changes apply. */
export function resetLimiters() {
  g[KEY] = undefined;
}
