import { and, asc, desc, eq, gt, inArray } from "drizzle-orm";
import { WEBHOOK_EVENT_TYPES } from "@/lib/api/contract/constants";
import { getDb, listen } from "../db/client";
import { events } from "../db/schema";
import type { Listening } from "../db/listen";
import { EVENTS_CHANNEL, type EventNotice } from "./events";

/** The event types the live stream carries: all an endpoint can subscribe to (a test is its endpoint's only). */
export const LIVE_TYPES: readonly string[] = WEBHOOK_EVENT_TYPES;

/** What the stream sends (a webhook's body), and `seq`: the event's place in its customer's commit order. */
export type LiveEvent = { id: string; type: string; created_at: string; data: unknown; seq: number };

export type Subscriber = {
  event: (event: LiveEvent) => void;
  /** The LISTEN went down: events may be missed from now on, so the stream must end (and be resumed). */
  lost: () => void;
};

/** How long a new stream waits for the LISTEN to be in force before it is refused (503). */
const READY_TIMEOUT_MS = 5_000;

/**
 * One LISTEN per process on the events channel, shared by every open stream: a notice names the event
 * and its customer; the row is read once and handed to each of that customer's subscribers. Across
 * processes, Postgres LISTEN/NOTIFY carries the notice (the embedded database: this process only).
 *
 * Notices arrive in commit order, and each customer's events are numbered in commit order (events.seq);
 * rows are read and handed over one notice at a time, so every subscriber sees its customer's events in
 * `seq` order. While the LISTEN is down nothing is handed over and notices may be lost: each subscriber
 * is told (`lost`), ends its stream, and its client resumes from its last event id.
 */
class LiveHub {
  private subscribers = new Map<string, Set<Subscriber>>();
  private listening: Promise<Listening> | null = null;
  private delivering: Promise<void> = Promise.resolve();
  private waiters = new Set<() => void>();
  /** Whether the LISTEN is in force. */
  live = false;

  subscribe(customerId: string, subscriber: Subscriber): () => void {
    let set = this.subscribers.get(customerId);
    if (!set) this.subscribers.set(customerId, (set = new Set()));
    set.add(subscriber);
    this.listening ??= listen(EVENTS_CHANNEL, {
      notify: (payload) => {
        this.delivering = this.delivering.then(() => this.deliver(payload)).catch(() => {});
      },
      state: (up) => this.setLive(up),
    }).catch((error: unknown) => {
      this.listening = null;
      throw error;
    });
    return () => {
      set.delete(subscriber);
      if (!set.size && this.subscribers.get(customerId) === set) this.subscribers.delete(customerId);
    };
  }

  get connections(): number {
    let n = 0;
    for (const set of this.subscribers.values()) n += set.size;
    return n;
  }

  /** Resolves once the LISTEN is in force (a subscription starts it); false if it is not within the timeout. */
  async ready(timeoutMs = READY_TIMEOUT_MS): Promise<boolean> {
    await this.listening;
    if (this.live) return true;
    return new Promise<boolean>((resolve) => {
      const done = (up: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve(up);
      };
      const wake = () => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.waiters.add(wake);
    });
  }

  private setLive(up: boolean): void {
    const was = this.live;
    this.live = up;
    if (up) for (const wake of [...this.waiters]) wake();
    else if (was) for (const set of this.subscribers.values()) for (const s of [...set]) s.lost();
  }

  private async deliver(payload: string): Promise<void> {
    let notice: EventNotice;
    try {
      notice = JSON.parse(payload) as EventNotice;
    } catch {
      return;
    }
    const set = this.subscribers.get(notice.customer_id);
    if (!set?.size || !LIVE_TYPES.includes(notice.type)) return;
    let row: typeof events.$inferSelect | undefined;
    try {
      const db = await getDb();
      [row] = await db.select().from(events).where(eq(events.id, notice.id));
    } catch {
      // Not read, so not handed over: those streams would have a gap. They end and are resumed.
      for (const subscriber of [...set]) subscriber.lost();
      return;
    }
    if (!row) return;
    const event = toLive(row);
    for (const subscriber of set) subscriber.event(event);
  }
}

function toLive(row: typeof events.$inferSelect): LiveEvent {
  return {
    id: row.id,
    type: row.type,
    created_at: row.createdAt.toISOString(),
    data: row.data,
    seq: row.seq,
  };
}

/** The place (seq) of one of the customer's events, or null if it has none by that id. */
export async function seqOf(customerId: string, eventId: string): Promise<number | null> {
  const db = await getDb();
  const [row] = await db
    .select({ seq: events.seq })
    .from(events)
    .where(and(eq(events.id, eventId), eq(events.customerId, customerId)));
  return row?.seq ?? null;
}

/** The customer's latest event of any type (where a stream that starts now begins), or null. */
export async function latestEvent(customerId: string): Promise<{ id: string; seq: number } | null> {
  const db = await getDb();
  const [row] = await db
    .select({ id: events.id, seq: events.seq })
    .from(events)
    .where(eq(events.customerId, customerId))
    .orderBy(desc(events.seq))
    .limit(1);
  return row ?? null;
}

/** The customer's live events after `afterSeq`, in commit order, at most `limit`. */
export async function eventsAfter(customerId: string, afterSeq: number, limit = 200): Promise<LiveEvent[]> {
  const db = await getDb();
  const rows = await db
    .select()
    .from(events)
    .where(and(eq(events.customerId, customerId), gt(events.seq, afterSeq), inArray(events.type, LIVE_TYPES)))
    .orderBy(asc(events.seq))
    .limit(limit);
  return rows.map(toLive);
}

const KEY = Symbol.for("genmedia.live-hub");
const g = globalThis as typeof globalThis & { [KEY]?: LiveHub };

/** The process's hub (shared by Next's bundle and the tsx-loaded server). */
export function liveHub(): LiveHub {
  return (g[KEY] ??= new LiveHub());
}
