import { InfiniteQueryObserver, QueryClient } from "@tanstack/react-query";
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
        onUnhandled: (e: ApiError, id?: string) => calls.push(`toast:${e.code}${id ? `@${id}` : ""}`),
      },
    };
  };
  const failing = (error: ApiError) => async (): Promise<number> => {
    throw error;
  };

  it("sends a lost session to sign-in and a paused customer to the banner, even when nothing toasts", () => {
    const { calls, h } = handlers();
    handleGlobalError(err("authentication_failed", 401), { toast: null }, h);
    handleGlobalError(err("account_disabled", 403, null, { scope: "customer" }), { toast: null }, h);
    expect(calls).toEqual(["signed-out", "paused"]);
  });

  it("leaves a pasted key's 401 to its view: the session is fine", () => {
    const { calls, h } = handlers();
    handleGlobalError(err("authentication_failed", 401), { pastedKey: true, toast: null }, h);
    expect(calls).toEqual([]);
  });

  it("toasts other errors only when asked to, under the given id", () => {
    const { calls, h } = handlers();
    handleGlobalError(err("internal_error", 500), { toast: "q1" }, h);
    handleGlobalError(err("insufficient_balance", 402), { toast: null }, h);
    handleGlobalError(err("account_disabled", 403, null, { scope: "key" }), { toast: null }, h);
    expect(calls).toEqual(["toast:internal_error@q1"]);
  });

  it("leaves a query's first failure to its view, and toasts a failed background refetch", async () => {
    const { calls, h } = handlers();
    const client = makeQueryClient(h);
    const queryKey = ["x"];
    await client
      .fetchQuery({ queryKey, queryFn: failing(err("not_found", 404)), retry: false })
      .catch(() => {});
    expect(calls).toEqual([]);

    client.setQueryData(queryKey, 1);
    await client
      .fetchQuery({ queryKey, queryFn: failing(err("internal_error", 500)), retry: false, staleTime: 0 })
      .catch(() => {});
    expect(calls).toEqual([`toast:internal_error@${JSON.stringify(queryKey)}`]);
  });

  it("leaves a failed background refetch with a pasted key to its view", async () => {
    const { calls, h } = handlers();
    const client = makeQueryClient(h);
    client.setQueryData(["pasted"], 1);
    await client
      .fetchQuery({
        queryKey: ["pasted"],
        queryFn: failing(err("internal_error", 500)),
        retry: false,
        staleTime: 0,
        meta: { pastedKey: true },
      })
      .catch(() => {});
    expect(calls).toEqual([]);
  });

  it("leaves a failed 'Load more' to its list", async () => {
    const { calls, h } = handlers();
    const client = makeQueryClient(h);
    let pages = 0;
    const observer = new InfiniteQueryObserver(client, {
      queryKey: ["list"],
      queryFn: async ({ pageParam }) => {
        if (pages++ > 0) throw err("internal_error", 500);
        return pageParam;
      },
      initialPageParam: 0,
      getNextPageParam: (last: number) => last + 1,
      retry: false,
    });
    const unsubscribe = observer.subscribe(() => {});
    await observer.refetch();
    const result = await observer.fetchNextPage();
    unsubscribe();
    expect(result.isFetchNextPageError).toBe(true);
    expect(calls).toEqual([]);
  });

  it("never toasts a mutation's error: its view renders it", async () => {
    const { calls, h } = handlers();
    const client = makeQueryClient(h);
    const mutation = client.getMutationCache().build(client, {
      mutationFn: failing(err("internal_error", 500)),
      retry: false,
    });
    await mutation.execute(undefined).catch(() => {});
    const signedOut = client.getMutationCache().build(client, {
      mutationFn: failing(err("authentication_failed", 401)),
      retry: false,
    });
    await signedOut.execute(undefined).catch(() => {});
    expect(calls).toEqual(["signed-out"]);
  });

  it("clears the paused state when a session query succeeds again, not when a pasted key's does", async () => {
    const { calls, h } = handlers();
    const client = makeQueryClient({ ...h, onAccountUsable: () => calls.push("usable") });
    await client
      .fetchQuery({
        queryKey: ["paused"],
        queryFn: failing(err("account_disabled", 403, null, { scope: "customer" })),
        retry: false,
      })
      .catch(() => {});
    await client.fetchQuery({ queryKey: ["pasted"], queryFn: async () => 1, meta: { pastedKey: true } });
    await client.fetchQuery({ queryKey: ["session"], queryFn: async () => 1 });
    expect(calls).toEqual(["paused", "usable"]);
  });
});
