import { QueryClient } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { ApiError } from "./errors";
import { handleGlobalError, idempotencyKeyFor, makeQueryClient } from "./query-client";
import { retryDelay, shouldRetry } from "./retry";

const err = (
  code: ConstructorParameters<typeof ApiError>[0]["code"],
  status: number,
  retryAfter: number | null = null,
  details = {},
) => new ApiError({ code, status, message: "m", retryAfter, details });

describe("retry policy", () => {
  it("retries only 429, 503 and network failures", () => {
    expect(shouldRetry(0, err("rate_limited", 429))).toBe(true);
    expect(shouldRetry(0, err("queue_full", 429))).toBe(false);
    expect(shouldRetry(0, err("rate_limiter_unavailable", 503))).toBe(true);
    expect(shouldRetry(0, err("service_unavailable", 503))).toBe(true);
    expect(shouldRetry(0, err("network_error", 0))).toBe(true);
    for (const [code, status] of [
      ["invalid_request", 400],
      ["authentication_failed", 401],
      ["insufficient_balance", 402],
      ["not_found", 404],
      ["idempotency_conflict", 409],
      ["internal_error", 500],
    ] as const) {
      expect(shouldRetry(0, err(code, status)), code).toBe(false);
    }
    expect(shouldRetry(0, new Error("plain"))).toBe(false);
  });

  it("stops after three retries", () => {
    expect(shouldRetry(2, err("rate_limited", 429))).toBe(true);
    expect(shouldRetry(3, err("rate_limited", 429))).toBe(false);
  });

  it("honours Retry-After, else backs off exponentially with jitter", () => {
    expect(retryDelay(0, err("rate_limited", 429, 7))).toBe(7000);
    expect(retryDelay(0, err("network_error", 0), () => 0)).toBe(500);
    expect(retryDelay(0, err("network_error", 0), () => 1)).toBe(1000);
    expect(retryDelay(3, err("network_error", 0), () => 1)).toBe(8000);
    expect(retryDelay(10, err("network_error", 0), () => 1)).toBe(30000);
  });

  it("reuses one Idempotency-Key across a mutation's retries, and a new one per call", async () => {
    const client = new QueryClient({
      defaultOptions: { mutations: { retry: shouldRetry, retryDelay: () => 1 } },
    });
    const seen: string[] = [];
    let calls = 0;
    const observer = client.getMutationCache().build(client, {
      mutationFn: async (vars: { n: number }) => {
        seen.push(idempotencyKeyFor(vars));
        if (++calls < 3) throw err("service_unavailable", 503);
        return vars.n;
      },
    });
    await expect(observer.execute({ n: 1 })).resolves.toBe(1);
    expect(seen).toHaveLength(3);
    expect(new Set(seen).size).toBe(1);
    const other = client
      .getMutationCache()
      .build(client, { mutationFn: async (vars: { n: number }) => idempotencyKeyFor(vars) });
    await expect(other.execute({ n: 1 })).resolves.not.toBe(seen[0]);
  });
});

describe("global error handling", () => {
  const handlers = () => {
    const calls: string[] = [];
    return {
      calls,
      h: {
        onSignedOut: () => calls.push("signed-out"),
        onCustomerPaused: () => calls.push("paused"),
        onUnhandled: (e: ApiError) => calls.push(`toast:${e.code}`),
      },
    };
  };

  it("sends a lost session to sign-in and a paused customer to the banner, even for local handlers", () => {
    const { calls, h } = handlers();
    handleGlobalError(err("authentication_failed", 401), true, h);
    handleGlobalError(err("account_disabled", 403, null, { scope: "customer" }), true, h);
    expect(calls).toEqual(["signed-out", "paused"]);
  });

  it("toasts other errors unless the component handles them (meta opt-out)", () => {
    const { calls, h } = handlers();
    handleGlobalError(err("internal_error", 500), false, h);
    handleGlobalError(err("insufficient_balance", 402), true, h);
    handleGlobalError(err("account_disabled", 403, null, { scope: "key" }), true, h);
    expect(calls).toEqual(["toast:internal_error"]);
  });

  it("wires the handlers into the query cache", async () => {
    const { calls, h } = handlers();
    const client = makeQueryClient(h);
    await client
      .fetchQuery({
        queryKey: ["x"],
        queryFn: async () => {
          throw err("not_found", 404);
        },
        retry: false,
      })
      .catch(() => {});
    expect(calls).toEqual(["toast:not_found"]);
  });

  it("clears the paused state when a session query succeeds again, not when a pasted key's does", async () => {
    const { calls, h } = handlers();
    const client = makeQueryClient({ ...h, onAccountUsable: () => calls.push("usable") });
    await client
      .fetchQuery({
        queryKey: ["paused"],
        queryFn: async () => {
          throw err("account_disabled", 403, null, { scope: "customer" });
        },
        retry: false,
      })
      .catch(() => {});
    await client.fetchQuery({
      queryKey: ["pasted"],
      queryFn: async () => 1,
      meta: { errorHandling: "pasted-key" },
    });
    await client.fetchQuery({ queryKey: ["session"], queryFn: async () => 1 });
    expect(calls).toEqual(["paused", "usable"]);
  });
});
