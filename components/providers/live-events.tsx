"use client";

import { useQueryClient } from "@tanstack/react-query";
import * as React from "react";
import { usePausedError } from "@/components/providers/app-providers";
import { API_BASE } from "@/lib/api/client";
import { inOwnTask } from "@/lib/own-task";
// The events the stream sends besides `ready` (lib/server/webhooks/live.ts's LIVE_TYPES).
import { WEBHOOK_EVENT_TYPES } from "@/lib/api/contract/constants";

// What the events do to the cache loads with the stream, out of every route's first-load JavaScript
// (the 120 kB gate: imported here it added ~2 kB to /keys/[keyId], then at 119.1 kB).
const cacheUpdates = () => import("@/lib/api/live-events");

/**
 * `live`: the stream is open and its events reach the cache, so nothing polls. `connecting`: not yet.
 * `down`: it failed or dropped (it is being reopened); the pages poll meanwhile, as without it.
 */
export type LiveStatus = "connecting" | "live" | "down";

// Without the provider (a unit test, a page outside the console) there is no stream: pages poll.
const LiveContext = React.createContext<LiveStatus>("down");

/** The state of this tab's event stream. */
export function useLiveStatus(): LiveStatus {
  return React.useContext(LiveContext);
}

/** Whether a `ready` says the stream picked up where the last one ended (`?after=`, Last-Event-ID). */
function resumed(data: string): boolean {
  try {
    return (JSON.parse(data) as { resumed?: unknown }).resumed === true;
  } catch {
    return false;
  }
}

/** How long a closed stream (refused: 503, 429…) waits before it is opened again; doubled up to the max. */
const REOPEN_MS = 3_000;
const REOPEN_MAX_MS = 30_000;

/**
 * One EventSource per console tab on GET /events/stream, its events into the query cache
 * (lib/api/live-events.ts). The browser reconnects a dropped stream by itself, with Last-Event-ID; a
 * refused one is closed for good, so it is reopened here with `?after=` the last event id seen: either
 * way the server replays what was missed. Off for an account without a customer or a paused one.
 */
export function LiveEventsProvider({ enabled, children }: { enabled: boolean; children: React.ReactNode }) {
  const client = useQueryClient();
  const paused = usePausedError() !== null;
  const on = enabled && !paused;
  const [status, setState] = React.useState<LiveStatus>("connecting");
  // In a transition: the stream usually opens while the page is still hydrating, and a plain update of a
  // context above the page makes React hydrate all of the page that is left at once, in one blocking
  // task (a Suspense boundary's content can't be updated before it is hydrated) — 53–61 ms on
  // /keys/[keyId] in a profiling build's trace. As a transition, that hydration goes on in slices.
  const setStatus = React.useCallback((next: LiveStatus) => React.startTransition(() => setState(next)), []);

  React.useEffect(() => {
    if (!on) return;
    // The chunk starts loading in a task of its own, not in the one that finishes hydration; the
    // events that come before it has loaded wait for it (`applying`).
    let cancelLoad = () => {};
    const updates = new Promise<void>((resolve) => (cancelLoad = inOwnTask(resolve))).then(cacheUpdates);
    const recent = updates.then((m) => new m.RecentJobs());
    recent.catch(() => {});
    // Answers that arrive after an event they predate are corrected (see RecentJobs).
    const unsubscribe = client.getQueryCache().subscribe((event) => {
      if (event.type === "updated" && event.action.type === "success")
        recent.then((r) => r.reconcile(client, event.query)).catch(() => {});
    });
    let source: EventSource | null = null;
    let lastId = "";
    let reopenMs = REOPEN_MS;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Events are applied one after the other, in the order they came.
    let applying = Promise.resolve();

    const onEvent = (message: MessageEvent<string>) => {
      if (message.lastEventId) lastId = message.lastEventId;
      let body: { data?: unknown };
      try {
        body = JSON.parse(message.data) as { data?: unknown };
      } catch {
        return;
      }
      applying = applying
        .then(async () => (await updates).applyEvent(client, await recent, message.type, body))
        .catch(() => {});
    };

    const open = () => {
      const es = new EventSource(`${API_BASE}/events/stream${lastId ? `?after=${lastId}` : ""}`);
      source = es;
      es.addEventListener("ready", (message) => {
        if (message.lastEventId) lastId = message.lastEventId;
        reopenMs = REOPEN_MS;
        setStatus("live");
        if (!resumed(message.data))
          applying = applying.then(async () => (await updates).refetchUnfinished(client)).catch(() => {});
      });
      for (const type of WEBHOOK_EVENT_TYPES) es.addEventListener(type, onEvent);
      es.onerror = () => {
        setStatus("down");
        if (es.readyState !== EventSource.CLOSED) return; // the browser reconnects by itself
        timer = setTimeout(open, reopenMs);
        reopenMs = Math.min(reopenMs * 2, REOPEN_MAX_MS);
      };
    };
    open();
    return () => {
      cancelLoad();
      clearTimeout(timer);
      source?.close();
      unsubscribe();
      setStatus("connecting");
    };
  }, [on, client, setStatus]);

  return <LiveContext.Provider value={on ? status : "down"}>{children}</LiveContext.Provider>;
}
