import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { apiFetch, lazySchema } from "./client";
import { ApiError } from "./errors";

function mockFetch(impl: () => Promise<Response>) {
  vi.stubGlobal("fetch", vi.fn(impl));
}

afterEach(() => vi.unstubAllGlobals());

const Schema = z.object({ credits: z.number() });

describe("apiFetch", () => {
  it("returns parsed data", async () => {
    mockFetch(async () => Response.json({ credits: 5 }, { headers: { "x-request-id": "req_ok" } }));
    await expect(apiFetch("/balance", Schema)).resolves.toEqual({ credits: 5 });
  });

  it("throws an ApiError from the envelope, with id, details and Retry-After", async () => {
    mockFetch(async () =>
      Response.json(
        {
          error: {
            code: "rate_limited",
            message: "slow",
            request_id: "req_env",
            details: { retry_after: 3 },
          },
        },
        { status: 429, headers: { "retry-after": "3", "x-request-id": "req_env" } },
      ),
    );
    const error = await apiFetch("/balance", Schema).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      code: "rate_limited",
      status: 429,
      requestId: "req_env",
      retryAfter: 3,
      details: { retry_after: 3 },
    });
    expect((error as ApiError).retryable).toBe(true);
  });

  it("keeps an unknown code as rawCode, with a generic code", async () => {
    mockFetch(async () =>
      Response.json({ error: { code: "new_thing", message: "x", request_id: "req_u" } }, { status: 400 }),
    );
    const error = (await apiFetch("/x", Schema).catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe("unexpected_response");
    expect(error.rawCode).toBe("new_thing");
    expect(error.requestId).toBe("req_u");
    expect(error.retryable).toBe(false);
  });

  it("turns an HTML 502 page into a retryable service_unavailable, with the header id if any", async () => {
    mockFetch(
      async () =>
        new Response("<html><body>Bad Gateway</body></html>", {
          status: 502,
          headers: { "content-type": "text/html", "x-request-id": "req_gw" },
        }),
    );
    const error = (await apiFetch("/x", Schema).catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe("service_unavailable");
    expect(error.status).toBe(502);
    expect(error.requestId).toBe("req_gw");
    expect(error.retryable).toBe(true);
  });

  it("turns a network failure into a retryable network_error", async () => {
    mockFetch(async () => {
      throw new TypeError("Failed to fetch");
    });
    const error = (await apiFetch("/x", Schema).catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe("network_error");
    expect(error.status).toBe(0);
    expect(error.retryable).toBe(true);
  });

  it("rejects a 200 whose body breaks the contract", async () => {
    mockFetch(async () => Response.json({ credits: "lots" }, { headers: { "x-request-id": "req_bad" } }));
    const error = (await apiFetch("/x", Schema).catch((e: unknown) => e)) as ApiError;
    expect(error).toMatchObject({ code: "unexpected_response", requestId: "req_bad" });
  });

  it("loads a lazy schema alongside the request and validates with it, mismatch included", async () => {
    const load = vi.fn(async () => ({ Schema }));
    const lazy = lazySchema(load, (m) => m.Schema);
    mockFetch(async () => Response.json({ credits: 2 }));
    await expect(apiFetch("/balance", lazy)).resolves.toEqual({ credits: 2 });
    expect(load).toHaveBeenCalledTimes(1);
    mockFetch(async () => Response.json({ credits: "lots" }, { headers: { "x-request-id": "req_lazy" } }));
    const error = (await apiFetch("/balance", lazy).catch((e: unknown) => e)) as ApiError;
    expect(error).toMatchObject({ code: "unexpected_response", requestId: "req_lazy" });
  });

  it("reports a schema that cannot load as a retryable network error, and an envelope first", async () => {
    const broken = () => Promise.reject(new Error("ChunkLoadError"));
    mockFetch(async () => Response.json({ credits: 2 }, { headers: { "x-request-id": "req_chunk" } }));
    const error = (await apiFetch("/balance", broken).catch((e: unknown) => e)) as ApiError;
    expect(error).toMatchObject({ code: "network_error", requestId: "req_chunk" });
    expect(error.retryable).toBe(true);
    mockFetch(async () =>
      Response.json({ error: { code: "not_found", message: "x", request_id: "req_nf" } }, { status: 404 }),
    );
    await expect(apiFetch("/balance", broken)).rejects.toMatchObject({ code: "not_found" });
  });

  it("sends JSON, the idempotency key, and a pasted key as Bearer without cookies", async () => {
    const spy = vi.fn(async (_url: string, _init: RequestInit) => Response.json({ credits: 1 }));
    vi.stubGlobal("fetch", spy);
    await apiFetch("/jobs", Schema, {
      method: "POST",
      json: { a: 1 },
      idempotencyKey: "idem-1",
      apiKey: "sk_live_x",
    });
    const [url, init] = spy.mock.calls[0]!;
    const headers = new Headers(init.headers);
    expect(url).toBe("/api/v1/jobs");
    expect(headers.get("content-type")).toBe("application/json");
    expect(headers.get("idempotency-key")).toBe("idem-1");
    expect(headers.get("authorization")).toBe("Bearer sk_live_x");
    expect(init.credentials).toBe("omit");
    expect(init.body).toBe('{"a":1}');
  });
});
