import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "../support/api";
import { type Caller, expectJob, newAccount, openDatabase, postJob } from "../support/jobs";
import { eq } from "drizzle-orm";
import { getDb } from "@/lib/server/db/client";
import { resetEnvCache } from "@/lib/server/env";
import { sessions, users } from "@/lib/server/db/schema";
import { newId } from "@/lib/server/ids";
import { insertEventSql } from "@/lib/server/webhooks/events";
import { liveHub } from "@/lib/server/webhooks/live";

// GET /events/stream: a customer's events as SSE, live (LISTEN/NOTIFY) and resumed by Last-Event-ID.

type Message = { id?: string; event?: string; data?: string };
const jobOf = (m: Message) => (JSON.parse(m.data!) as { data: { id: string } }).data.id;

/** Reads an SSE response message by message. */
class SseReader {
  private reader: ReadableStreamDefaultReader<Uint8Array>;
  private buffer = "";
  private decoder = new TextDecoder();
  constructor(private res: Response) {
    this.reader = res.body!.getReader();
  }
  async next(timeoutMs = 20_000): Promise<Message> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const end = this.buffer.indexOf("\n\n");
      if (end >= 0) {
        const block = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        if (block.split("\n").every((l) => l.startsWith(":"))) continue; // a keep-alive comment
        const message: Message = {};
        for (const line of block.split("\n")) {
          const [field, ...rest] = line.split(":");
          const value = rest.join(":").replace(/^ /, "");
          if (field === "id" || field === "event" || field === "data") message[field] = value;
        }
        return message;
      }
      const left = until - Date.now();
      if (left <= 0) throw new Error("no SSE message in time");
      const chunk = await Promise.race([
        this.reader.read(),
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error("no SSE message in time")), left),
        ),
      ]);
      if (chunk.done) throw new Error("stream ended");
      this.buffer += this.decoder.decode(chunk.value, { stream: true });
    }
  }
  /** Skips messages until one of `type`. */
  async until(type: string): Promise<Message> {
    for (;;) {
      const m = await this.next();
      if (m.event === type) return m;
    }
  }
  async close() {
    await this.reader.cancel().catch(() => {});
  }
}

async function openWithReady(
  caller: Caller,
  lastEventId?: string,
  query = "",
): Promise<{ reader: SseReader; ready: Message }> {
  const res = await api(`/events/stream${query}`, {
    headers: { ...caller.headers, ...(lastEventId ? { "last-event-id": lastEventId } : {}) },
  });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
  const reader = new SseReader(res);
  readers.push(reader);
  const ready = await reader.next();
  expect(ready.event).toBe("ready");
  return { reader, ready };
}

async function open(caller: Caller, lastEventId?: string): Promise<SseReader> {
  return (await openWithReady(caller, lastEventId)).reader;
}

async function cancelNewJob(caller: Caller, prompt: string) {
  const job = await expectJob(await postJob(caller, { product: "text-to-image", prompt }));
  const res = await api(`/jobs/${job.id}/cancel`, { method: "POST", headers: caller.headers, json: {} });
  expect(res.status).toBe(200);
  return job.id;
}

let acct: Awaited<ReturnType<typeof newAccount>>;
let other: Awaited<ReturnType<typeof newAccount>>;
const readers: SseReader[] = [];
beforeAll(openDatabase);
beforeAll(async () => {
  acct = await newAccount("events-stream", 1_000);
  other = await newAccount("events-stream-other", 1_000);
});
afterAll(async () => {
  await Promise.all(readers.map((r) => r.close()));
});

describe("GET /events/stream", () => {
  it("streams the customer's own events as they commit, with a key or a session", async () => {
    const byKey = await open(acct.keyCaller!);
    const bySession = await open(acct.session);
    const stranger = await open(other.keyCaller!);
    readers.push(byKey, bySession, stranger);

    const jobId = await cancelNewJob(acct.keyCaller!, "stream me");
    for (const reader of [byKey, bySession]) {
      const m = await reader.until("job.canceled");
      expect(m.id).toMatch(/^evt_/);
      const body = JSON.parse(m.data!) as { id: string; type: string; data: { id: string; status: string } };
      expect(body).toMatchObject({ id: m.id, type: "job.canceled", data: { id: jobId, status: "canceled" } });
    }
    // The other customer's stream carries only its own: its next message is its own event.
    const own = await cancelNewJob(other.keyCaller!, "mine");
    const m = await stranger.until("job.canceled");
    expect(JSON.parse(m.data!).data.id).toBe(own);
  });

  it("resumes after Last-Event-ID with what was recorded meanwhile, each event once", async () => {
    const first = await open(acct.keyCaller!);
    readers.push(first);
    await cancelNewJob(acct.keyCaller!, "before the drop");
    const seen = await first.until("job.canceled");
    await first.close();
    // Disconnected: two more events happen.
    const missed = [
      await cancelNewJob(acct.keyCaller!, "missed 1"),
      await cancelNewJob(acct.keyCaller!, "missed 2"),
    ];
    missed.push(await cancelNewJob(acct.keyCaller!, "missed 3"));
    const again = await open(acct.keyCaller!, seen.id);
    // Exactly the missed ones, in order, then the live one: every message after ready, none skipped.
    const replayed = [await again.next(), await again.next(), await again.next()];
    expect(replayed.map((r) => [r.event, jobOf(r)])).toEqual(missed.map((id) => ["job.canceled", id]));
    expect(replayed.every((r) => r.id === JSON.parse(r.data!).id)).toBe(true);
    const live = await cancelNewJob(acct.keyCaller!, "live again");
    const next = await again.next();
    expect([next.event, jobOf(next)]).toEqual(["job.canceled", live]);
  });

  it("resumes in commit order: an event minted first but committed last is not skipped", async () => {
    // Two ids minted in one order and committed in the other (as two transactions can): after the
    // later-minted one, a reconnect must still get the earlier-minted one, which committed after it.
    const acct3 = await newAccount("events-order", 0, false);
    const minted = [newId("evt"), newId("evt")];
    const first = await open(acct3.session);
    const record = async (id: string, n: number) => {
      const db = await getDb();
      await db.transaction(async (tx) => {
        await tx.execute(
          insertEventSql(id, { customerId: acct3.customerId, type: "top_up.succeeded", data: { n } }),
        );
      });
    };
    await record(minted[1]!, 1);
    const seen = await first.until("top_up.succeeded");
    expect(seen.id).toBe(minted[1]);
    await first.close();
    await record(minted[0]!, 2);
    const { reader, ready } = await openWithReady(acct3.session, seen.id);
    expect(JSON.parse(ready.data!)).toEqual({ live: true, resumed: true });
    const replayed = await reader.until("top_up.succeeded");
    expect(replayed.id).toBe(minted[0]);
    expect(JSON.parse(replayed.data!)).toMatchObject({ id: minted[0], data: { n: 2 } });
  });

  it("a first connection's `after` resumes like Last-Event-ID; the header wins over it", async () => {
    const first = await open(acct.keyCaller!);
    await cancelNewJob(acct.keyCaller!, "after: seen");
    const seen = await first.until("job.canceled");
    await first.close();
    const missed = await cancelNewJob(acct.keyCaller!, "after: missed");
    const { reader: byQuery } = await openWithReady(acct.keyCaller!, undefined, `?after=${seen.id}`);
    const m = await byQuery.until("job.canceled");
    expect(jobOf(m)).toBe(missed);
    // Header and query: a browser's reconnect keeps the URL's `after` and sends its last id.
    const { reader: both } = await openWithReady(acct.keyCaller!, m.id, `?after=${seen.id}`);
    const live = await cancelNewJob(acct.keyCaller!, "after: live");
    expect(jobOf(await both.until("job.canceled"))).toBe(live);
  });

  it("a stream without a cursor begins now, and its ready carries where: a reconnect from it misses nothing", async () => {
    const { reader: first, ready } = await openWithReady(acct.keyCaller!);
    expect(ready.id).toMatch(/^evt_/);
    expect(JSON.parse(ready.data!)).toEqual({ live: true, resumed: false });
    await first.close();
    // Dropped before any event came: the id the ready gave is enough to resume.
    const missed = await cancelNewJob(acct.keyCaller!, "missed before any event");
    const again = await open(acct.keyCaller!, ready.id);
    expect(jobOf(await again.until("job.canceled"))).toBe(missed);
  });

  it("an id that is not one of the customer's events replays nothing and says so", async () => {
    // The other customer's event id: never a way into this customer's events.
    const o = await open(other.keyCaller!);
    await cancelNewJob(other.keyCaller!, "theirs");
    const theirs = await o.until("job.canceled");
    const { reader, ready } = await openWithReady(acct.keyCaller!, theirs.id);
    expect(JSON.parse(ready.data!)).toEqual({ live: true, resumed: false });
    const live = await cancelNewJob(acct.keyCaller!, "only live");
    expect(jobOf(await reader.until("job.canceled"))).toBe(live);
  });

  it("an `after` that is not an event id is invalid_request, with the envelope", async () => {
    const res = await api("/events/stream?after=nope", { headers: acct.keyCaller!.headers });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe("invalid_request");
  });

  it("ends, with no event past it, once its caller's credentials stop holding: a revoked key, a signed-out session", async () => {
    const acct4 = await newAccount("events-revoked", 0);
    // Streams opened now check their caller before every event (EVENTS_RECHECK_MS, 2 s by default).
    process.env.EVENTS_RECHECK_MS = "0";
    resetEnvCache();
    const [byKey, bySession] = await Promise.all([open(acct4.keyCaller!), open(acct4.session)]).finally(
      () => {
        delete process.env.EVENTS_RECHECK_MS;
        resetEnvCache();
      },
    );
    const record = async (n: number) => {
      const db = await getDb();
      await db.execute(
        insertEventSql(newId("evt"), { customerId: acct4.customerId, type: "top_up.succeeded", data: { n } }),
      );
    };
    await record(1);
    for (const reader of [byKey, bySession]) await reader.until("top_up.succeeded");

    const revoked = await api(`/keys/${acct4.key!.id}`, {
      method: "DELETE",
      headers: acct4.session.headers,
      json: {},
    });
    expect(revoked.status, await revoked.clone().text()).toBe(200);
    // As removing a member or signing out does: the person's sessions are gone.
    const db = await getDb();
    const [user] = await db.select({ id: users.id }).from(users).where(eq(users.email, acct4.email));
    await db.delete(sessions).where(eq(sessions.userId, user!.id));
    await record(2);
    for (const reader of [byKey, bySession]) {
      await expect(reader.until("top_up.succeeded")).rejects.toThrow("stream ended");
    }
    // And a reconnect is refused as usual.
    expect((await api("/events/stream", { headers: acct4.keyCaller!.headers })).status).toBe(401);
  });

  it("refuses without credentials, with the envelope", async () => {
    const res = await api("/events/stream");
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe("authentication_failed");
  });

  it("forgets a stream when its client goes away", async () => {
    const before = liveHub().connections;
    const reader = await open(acct.keyCaller!);
    expect(liveHub().connections).toBe(before + 1);
    await reader.close();
    await expect.poll(() => liveHub().connections).toBe(before);
  });
});
