import { and, asc, eq, gt, inArray } from "drizzle-orm";
import { getDb, listen } from "../db/client";
import { events } from "../db/schema";
import type { Listening } from "../db/listen";
import { EVENTS_CHANNEL, type EventNotice } from "./events";

/** The event types the live stream carries (a webhook test is for its endpoint only). */
export const LIVE_TYPES = [
  "job.succeeded",
  "job.failed",
  "job.canceled",
  "top_up.succeeded",
  "balance.low",
  "spend.alert",
];

export type LiveEvent = { id: string; type: string; created_at: string; data: unknown };
type Subscriber = (event: LiveEvent) => void;

/**
 * One LISTEN per process on the events channel, shared by every open stream: a notice names the event
 * and its customer; the row is read once and handed to each of that customer's subscribers. Across
 * processes, Postgres LISTEN/NOTIFY carries the notice (the embedded database: this process only).
 */
class LiveHub {
  private subscribers = new Map<string, Set<Subscriber>>();
  private listening: Promise<Listening> | null = null;
  /** Whether the LISTEN is up: while it is down, streams may miss events (clients fall back to polling). */
  live = false;

  subscribe(customerId: string, subscriber: Subscriber): () => void {
    let set = this.subscribers.get(customerId);
    if (!set) this.subscribers.set(customerId, (set = new Set()));
    set.add(subscriber);
    this.listening ??= listen(EVENTS_CHANNEL, {
      notify: (payload) => void this.deliver(payload),
      state: (up) => {
        this.live = up;
      },
    }).catch((error: unknown) => {
      this.listening = null;
      throw error;
    });
    return () => {
      set.delete(subscriber);
      if (!set.size) this.subscribers.delete(customerId);
    };
  }

  get connections(): number {
    let n = 0;
    for (const set of this.subscribers.values()) n += set.size;
    return n;
  }

  async ready(): Promise<void> {
    await this.listening;
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
    const [row] = await readEvents([notice.id]);
    if (!row) return;
    for (const subscriber of set) subscriber(row);
  }
}

async function readEvents(ids: string[]): Promise<LiveEvent[]> {
  const db = await getDb();
  const rows = await db.select().from(events).where(inArray(events.id, ids));
  return rows.map(toLive);
}

function toLive(row: typeof events.$inferSelect): LiveEvent {
  return { id: row.id, type: row.type, created_at: row.createdAt.toISOString(), data: row.data };
}

/** The customer's events after `lastId` (a reconnecting client's Last-Event-ID), oldest first. */
export async function eventsAfter(customerId: string, lastId: string, limit = 200): Promise<LiveEvent[]> {
  const db = await getDb();
  const rows = await db
    .select()
    .from(events)
    .where(and(eq(events.customerId, customerId), gt(events.id, lastId), inArray(events.type, LIVE_TYPES)))
    .orderBy(asc(events.id))
    .limit(limit);
  return rows.map(toLive);
}

const KEY = Symbol.for("genmedia.live-hub");
const g = globalThis as typeof globalThis & { [KEY]?: LiveHub };

/** The process's hub (shared by Next's bundle and the tsx-loaded server). */
export function liveHub(): LiveHub {
  return (g[KEY] ??= new LiveHub());
}
