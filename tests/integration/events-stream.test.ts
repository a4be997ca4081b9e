import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "../support/api";
import { type Caller, expectJob, newAccount, openDatabase, postJob } from "../support/jobs";
import { liveHub } from "@/lib/server/webhooks/live";

// GET /events/stream: a customer's events as SSE, live (LISTEN/NOTIFY) and resumed by Last-Event-ID.

type Message = { id?: string; event?: string; data?: string };

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

async function open(caller: Caller, lastEventId?: string): Promise<SseReader> {
  const res = await api("/events/stream", {
    headers: { ...caller.headers, ...(lastEventId ? { "last-event-id": lastEventId } : {}) },
  });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
  const reader = new SseReader(res);
  expect((await reader.next()).event).toBe("ready");
  return reader;
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
    const again = await open(acct.keyCaller!, seen.id);
    readers.push(again);
    const replayed = [await again.until("job.canceled"), await again.until("job.canceled")];
    expect(replayed.map((r) => JSON.parse(r.data!).data.id)).toEqual(missed);
    // Then live again.
    const live = await cancelNewJob(acct.keyCaller!, "live again");
    expect(JSON.parse((await again.until("job.canceled")).data!).data.id).toBe(live);
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
