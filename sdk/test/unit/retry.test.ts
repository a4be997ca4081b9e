// @vitest-environment node
import { afterEach, describe, expect, it, vi } from "vitest";
import { backoffDelay, DEFAULT_RETRY, type RetryEvent, retryingFetch } from "../../src/retry";
import { GenmediaError, retryAfterMs } from "../../src/errors";
import { Genmedia } from "../../src/index";

const envelope = (code: string, status: number, headers: Record<string, string> = {}, details?: object) =>
  new Response(JSON.stringify({ error: { code, message: code, request_id: "req_1", details } }), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });

/** A fetch that answers from a script and records every request it was sent. */
function scripted(...answers: (Response | Error)[]) {
  const seen: Request[] = [];
  const fetch = vi.fn(async (request: Request) => {
    seen.push(request);
    const next = answers.shift();
    if (!next) throw new Error("no more answers");
    if (next instanceof Error) throw next;
    return next;
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, seen };
}

const post = () =>
  new Request("http://api.test/api/v1/jobs", { method: "POST", body: JSON.stringify({ prompt: "x" }) });

afterEach(() => vi.useRealTimers());

describe("backoff", () => {
  it("full jitter: uniform in [0, min(cap, base·2^n))", () => {
    const opts = { maxRetries: 5, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(0, opts, () => 0.999)).toBe(99);
    expect(backoffDelay(3, opts, () => 0.5)).toBe(400);
    expect(backoffDelay(10, opts, () => 0.999)).toBe(999);
    expect(backoffDelay(2, opts, () => 0)).toBe(0);
  });

  it("reads Retry-After as seconds or an HTTP date", () => {
    expect(retryAfterMs("3")).toBe(3000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs(null)).toBeNull();
    expect(retryAfterMs("soon")).toBeNull();
  });
});

describe("retryingFetch", () => {
  const opts = { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 5000 };

  it("retries 503 and a network error with one Idempotency-Key, and never sooner than Retry-After", async () => {
    vi.useFakeTimers();
    const { fetch, seen } = scripted(
      envelope("rate_limiter_unavailable", 503, { "retry-after": "2" }),
      new TypeError("fetch failed"),
      new Response("{}", { status: 201 }),
    );
    const events: RetryEvent[] = [];
    const pending = retryingFetch(fetch, opts, (e) => events.push(e))(post());
    await vi.runAllTimersAsync();
    expect((await pending).status).toBe(201);
    const keys = seen.map((r) => r.headers.get("idempotency-key"));
    expect(keys[0]).toMatch(/^sdk_[0-9a-f-]{36}$/);
    expect(new Set(keys)).toEqual(new Set([keys[0]]));
    expect(await Promise.all(seen.map((r) => r.text()))).toEqual(Array(3).fill('{"prompt":"x"}'));
    expect(events.map((e) => [e.retry, e.status])).toEqual([
      [1, 503],
      [2, null],
    ]);
    expect(events[0]!.delayMs).toBeGreaterThanOrEqual(2000);
  });

  it("keeps a caller's own Idempotency-Key, and sends none on a GET", async () => {
    const { fetch, seen } = scripted(new Response("{}"), new Response("{}"));
    const request = post();
    request.headers.set("idempotency-key", "mine");
    await retryingFetch(fetch, opts)(request);
    await retryingFetch(fetch, opts)(new Request("http://api.test/api/v1/jobs"));
    expect(seen.map((r) => r.headers.get("idempotency-key"))).toEqual(["mine", null]);
  });

  it("does not retry other errors: 400, 402, 409, 500, a 502 that is not service_unavailable", async () => {
    for (const answer of [
      envelope("invalid_request", 400),
      envelope("insufficient_balance", 402),
      envelope("idempotency_conflict", 409),
      envelope("internal_error", 500),
      new Response("<html>bad gateway</html>", { status: 502 }),
    ]) {
      const { fetch, seen } = scripted(answer);
      expect((await retryingFetch(fetch, opts)(post())).status).toBe(answer.status);
      expect(seen).toHaveLength(1);
    }
  });

  it("retries 429, 502 service_unavailable and an in-progress idempotency_conflict", async () => {
    const { fetch, seen } = scripted(
      envelope("rate_limited", 429),
      envelope("service_unavailable", 502),
      envelope("idempotency_conflict", 409, {}, { reason: "in_progress" }),
      new Response("{}", { status: 201 }),
    );
    expect((await retryingFetch(fetch, opts)(post())).status).toBe(201);
    expect(seen).toHaveLength(4);
  });

  it("stops after maxRetries, and when Retry-After is longer than maxDelayMs", async () => {
    const many = scripted(...Array.from({ length: 5 }, () => envelope("service_unavailable", 503)));
    expect((await retryingFetch(many.fetch, { ...opts, maxRetries: 2 })(post())).status).toBe(503);
    expect(many.seen).toHaveLength(3);
    const long = scripted(envelope("rate_limited", 429, { "retry-after": "60" }));
    expect((await retryingFetch(long.fetch, opts)(post())).status).toBe(429);
    expect(long.seen).toHaveLength(1);
    const offline = scripted(new TypeError("a"), new TypeError("b"));
    await expect(retryingFetch(offline.fetch, { ...opts, maxRetries: 1 })(post())).rejects.toThrow("b");
  });

  it("an abort during the wait ends the call with the signal's reason", async () => {
    const { fetch } = scripted(envelope("rate_limited", 429, { "retry-after": "3" }));
    const controller = new AbortController();
    const pending = retryingFetch(fetch, opts, () => controller.abort(new Error("stop")))(
      new Request("http://api.test/x", { signal: controller.signal }),
    );
    await expect(pending).rejects.toThrow("stop");
  });
});

describe("Genmedia", () => {
  it("sends the key as a Bearer token and throws the envelope as a typed GenmediaError", async () => {
    const { fetch, seen } = scripted(
      envelope("insufficient_balance", 402, { "x-request-id": "req_1" }, { required: 10, available: 0 }),
    );
    const genmedia = new Genmedia({ apiKey: "sk_live_x", baseUrl: "http://api.test/", fetch });
    const error = await genmedia.jobs.create({ product: "p", prompt: "x" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GenmediaError);
    expect(error).toMatchObject({
      code: "insufficient_balance",
      status: 402,
      requestId: "req_1",
      details: { required: 10, available: 0 },
    });
    expect(seen[0]!.url).toBe("http://api.test/api/v1/jobs");
    expect(seen[0]!.headers.get("authorization")).toBe("Bearer sk_live_x");
    expect(DEFAULT_RETRY.maxRetries).toBe(3);
  });
});
