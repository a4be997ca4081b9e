import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleAuthRequest } from "@/lib/server/auth/handler";
import { resetEnvCache } from "@/lib/server/env";
import { resetLimiters } from "@/lib/server/ratelimit/limiter";
import { ORIGIN, signUp, uniqueEmail } from "../support/api";
import { openDatabase } from "../support/jobs";

// M2: failed sign-ins are limited per client IP (IPv6 by /64) and per account, and parallel guesses
// cannot all reach the password check. Runs on Redis when REDIS_URL is set (shared by replicas).

const VARS = ["AUTH_FAILURES_PER_MINUTE", "AUTH_FAILURES_PER_ACCOUNT_PER_MINUTE"] as const;
const ORIGINAL = Object.fromEntries(VARS.map((k) => [k, process.env[k]]));

beforeAll(async () => {
  await openDatabase();
  process.env.AUTH_FAILURES_PER_MINUTE = "5";
  process.env.AUTH_FAILURES_PER_ACCOUNT_PER_MINUTE = "8";
  resetEnvCache();
  resetLimiters();
});
afterAll(() => {
  for (const k of VARS) {
    if (ORIGINAL[k] === undefined) delete process.env[k];
    else process.env[k] = ORIGINAL[k];
  }
  resetEnvCache();
  resetLimiters();
});

const PASSWORD = "a-long-password-1";
const run = `${process.pid % 250}.${Math.floor(Math.random() * 250)}`;
/** A fresh address per test and per run: Redis keeps the windows of earlier runs for a minute. */
const ipv4 = (n: number) => `10.${run}.${n}`;
const ipv6Prefix = `2001:db8:${(process.pid % 0xffff).toString(16)}:${Math.floor(Math.random() * 0xffff).toString(16)}`;

function signIn(email: string, password: string, ip: string) {
  return handleAuthRequest(
    new Request(`${ORIGIN}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: ORIGIN },
      body: JSON.stringify({ email, password }),
    }),
    ip,
  );
}

const statuses = (responses: Response[]) =>
  responses.reduce<Record<number, number>>(
    (acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }),
    {},
  );

describe("failed sign-ins", () => {
  it("20 wrong passwords at once from one address with a limit of 5: five are checked, fifteen refused", async () => {
    const email = uniqueEmail("m2-parallel");
    await signUp(email, PASSWORD);
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => signIn(email.replace("m2", "M2"), "wrong-password-1", ipv4(1))),
    );
    expect(statuses(responses)).toEqual({ 401: 5, 429: 15 });
    const refused = responses.find((r) => r.status === 429)!;
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
    expect(refused.headers.get("retry-after")).toMatch(/^[1-9][0-9]*$/);
    // The address stays refused, even with the right password.
    expect((await signIn(email, PASSWORD, ipv4(1))).status).toBe(429);
  });

  it("a right password gives its point back: sign-ins that succeed never lock an address out", async () => {
    const email = uniqueEmail("m2-ok");
    await signUp(email, PASSWORD);
    for (let i = 0; i < 8; i++) expect((await signIn(email, PASSWORD, ipv4(2))).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await signIn(email, "wrong-password-1", ipv4(2))).status).toBe(401);
    expect((await signIn(email, PASSWORD, ipv4(2))).status).toBe(429);
  });

  it("counts IPv6 addresses by their /64", async () => {
    const email = uniqueEmail("m2-v6");
    await signUp(email, PASSWORD);
    for (let i = 1; i <= 5; i++) {
      expect((await signIn(email, "wrong-password-1", `${ipv6Prefix}::${i}`)).status).toBe(401);
    }
    expect((await signIn(email, "wrong-password-1", `${ipv6Prefix}:ffff:ffff:ffff:ffff`)).status).toBe(429);
    // Another /64 is another client.
    expect((await signIn(email, PASSWORD, `${ipv6Prefix.replace(/:[0-9a-f]+$/, ":1")}::1`)).status).not.toBe(
      429,
    );
  });

  it("limits each account across addresses, and only that account", async () => {
    const email = uniqueEmail("m2-account");
    const other = uniqueEmail("m2-other");
    await signUp(email, PASSWORD);
    await signUp(other, PASSWORD);
    const guesses = await Promise.all(
      Array.from({ length: 12 }, (_, i) => signIn(email, "wrong-password-1", ipv4(100 + i))),
    );
    expect(statuses(guesses)).toEqual({ 401: 8, 429: 4 });
    // The account is refused from a fresh address, even with its password, for the window.
    expect((await signIn(email.toUpperCase(), PASSWORD, ipv4(200))).status).toBe(429);
    expect((await signIn(other, PASSWORD, ipv4(201))).status).toBe(200);
  });
});

describe("L11: sign-up, which tells whether an email is registered", () => {
  const signUpFrom = (email: string, ip: string) =>
    handleAuthRequest(
      new Request(`${ORIGIN}/api/auth/sign-up/email`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: ORIGIN },
        body: JSON.stringify({ email, password: PASSWORD, name: "L11" }),
      }),
      ip,
    );

  it("is throttled per address once it keeps answering 'already registered'", async () => {
    const email = uniqueEmail("l11-taken");
    await signUp(email, PASSWORD);
    const probes = await Promise.all(Array.from({ length: 8 }, () => signUpFrom(email, ipv4(50))));
    expect(statuses(probes)).toEqual({ 422: 5, 429: 3 });
    // A probe for any other address is refused too, for the window.
    expect((await signUpFrom(uniqueEmail("l11-probe"), ipv4(50))).status).toBe(429);
  });

  it("never throttles sign-ups that succeed", async () => {
    for (let i = 0; i < 7; i++) expect((await signUpFrom(uniqueEmail("l11-new"), ipv4(51))).status).toBe(200);
  });
});
