import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ListenHandlers } from "../db/listen";

const listened: { handlers?: ListenHandlers; sent: string[] } = { sent: [] };
vi.mock("../db/client", () => ({
  afterCommit: (_tx: unknown, hook: () => void) => hook(),
  getDb: vi.fn(),
  getDbKind: vi.fn(async () => "postgres"),
  listen: vi.fn(async (_channel: string, handlers: ListenHandlers) => {
    listened.handlers = handlers;
    return { send: (payload: string) => listened.sent.push(payload), close: async () => {} };
  }),
}));
vi.mock("../lifecycle", () => ({ onShutdown: () => {} }));

const {
  KEY_AUTH_CACHE_MAX,
  KEY_AUTH_CACHE_MS,
  cachedKeyRow,
  forgetAllKeys,
  onKeyAuthNotification,
  startKeyAuthCache,
} = await import("./auth-cache");

type Row = { keyId: string; customerId: string; status: string };
const row = (keyId: string, customerId = "cus_a", status = "active"): Row => ({ keyId, customerId, status });

/** A loader that counts its calls. */
const loader = (value: Row | undefined) => vi.fn(async () => value);

async function live() {
  const up = startKeyAuthCache(1_000);
  await vi.waitFor(() => expect(listened.handlers).toBeDefined());
  listened.handlers!.state(true);
  expect(await up).toBe(true);
}

beforeEach(async () => {
  await live();
  forgetAllKeys();
  listened.sent.length = 0;
});

afterEach(() => {
  vi.useRealTimers();
});

describe("key verification's cache", () => {
  it("reads a key once, then serves it until the TTL ends", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const load = loader(row("key_1"));
    await cachedKeyRow("h1", load);
    await cachedKeyRow("h1", load);
    expect(load).toHaveBeenCalledTimes(1);
    vi.setSystemTime(Date.now() + KEY_AUTH_CACHE_MS + 1);
    await cachedKeyRow("h1", load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it("never keeps an unknown key", async () => {
    const load = loader(undefined);
    await cachedKeyRow("nope", load);
    await cachedKeyRow("nope", load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it("keeps nothing while its listener is down, and starts empty when it is back", async () => {
    const load = loader(row("key_1"));
    await cachedKeyRow("h1", load);
    listened.handlers!.state(false);
    await cachedKeyRow("h1", load);
    await cachedKeyRow("h1", load);
    expect(load).toHaveBeenCalledTimes(3);
    listened.handlers!.state(true);
    await cachedKeyRow("h1", load);
    await cachedKeyRow("h1", load);
    expect(load).toHaveBeenCalledTimes(4);
  });

  it("forgets a key, a customer's keys, or everything, as notifications say", async () => {
    const loads = {
      a: loader(row("key_a", "cus_1")),
      b: loader(row("key_b", "cus_1")),
      c: loader(row("key_c", "cus_2")),
    };
    const readAll = async () => {
      for (const [hash, load] of Object.entries(loads)) await cachedKeyRow(hash, load);
    };
    const calls = () => Object.values(loads).map((l) => l.mock.calls.length);
    await readAll();
    await readAll();
    expect(calls()).toEqual([1, 1, 1]);
    onKeyAuthNotification("key:key_a");
    await readAll();
    expect(calls()).toEqual([2, 1, 1]);
    onKeyAuthNotification("customer:cus_1@n1");
    await readAll();
    expect(calls()).toEqual([3, 2, 1]);
    // The app's notification is answered through the listener's own connection.
    expect(listened.sent).toEqual(["ack:n1"]);
    onKeyAuthNotification("ack:n2", 123);
    onKeyAuthNotification("sync:@n3");
    await readAll();
    expect(calls()).toEqual([3, 2, 1]);
    onKeyAuthNotification("something new");
    await readAll();
    expect(calls()).toEqual([4, 3, 2]);
  });

  it("does not keep a row read while a change was forgotten", async () => {
    let release = (_: Row) => {};
    const slow = vi.fn(() => new Promise<Row>((resolve) => (release = resolve)));
    const reading = cachedKeyRow("h1", slow);
    onKeyAuthNotification("key:key_1");
    release(row("key_1", "cus_a", "active"));
    expect((await reading)?.status).toBe("active");
    const fresh = loader(row("key_1", "cus_a", "revoked"));
    expect((await cachedKeyRow("h1", fresh))?.status).toBe("revoked");
    expect(fresh).toHaveBeenCalledTimes(1);
  });

  it("holds at most KEY_AUTH_CACHE_MAX keys", async () => {
    for (let i = 0; i <= KEY_AUTH_CACHE_MAX; i++) await cachedKeyRow(`h${i}`, async () => row(`key_${i}`));
    const first = loader(row("key_0"));
    await cachedKeyRow("h0", first);
    expect(first).toHaveBeenCalledTimes(1);
    const last = loader(row(`key_${KEY_AUTH_CACHE_MAX}`));
    await cachedKeyRow(`h${KEY_AUTH_CACHE_MAX}`, last);
    expect(last).not.toHaveBeenCalled();
  });
});
