import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { streamSSE } from "hono/streaming";
import { env } from "../../env";
import { DomainError } from "../../errors";
import { eventsAfter, latestEvent, type LiveEvent, liveHub, seqOf } from "../../webhooks/live";
import { AUTH_ERRORS, customerIdOf, requireAuth, stillAuthenticated } from "../middleware/auth";
import { errorResponses, SECURITY } from "../openapi-helpers";
import type { ApiEnv } from "../types";

/** GET /events/stream: the customer's job and balance events as Server-Sent Events. */
export const eventRoutes = new OpenAPIHono<ApiEnv>();

/** A comment line this often keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 15_000;
const EVENT_ID = /^evt_[0-9A-Z]{26}$/;
/** Replayed events are read this many at a time. */
const BACKLOG_PAGE = 500;

eventRoutes.openapi(
  createRoute({
    method: "get",
    path: "/events/stream",
    tags: ["Events"],
    summary: "Live job and balance events (Server-Sent Events)",
    description:
      "Each message is `id: evt_…`, `event: <type>` (job.succeeded, job.failed, job.canceled, " +
      "top_up.succeeded, balance.low, spend.alert) and `data: {id, type, created_at, data}`, as a webhook's body. " +
      "A first `event: ready` says the stream is live (`data: {live: true, resumed}`). Reconnect with " +
      "`Last-Event-ID` (EventSource does) to get every event recorded since, in the order they were " +
      "committed, once each, then the live ones; `after` does the same for a first connection (a browser's " +
      "EventSource cannot set the header; the header wins). `resumed` is false when that id is not one of " +
      "the customer's events: then nothing was replayed. A stream that starts without either begins now: " +
      "its `ready` carries the id of the customer's latest event, so a reconnect resumes from there. A " +
      "comment line every 15 s keeps it open. The stream ends once its credentials stop holding (signed out, " +
      "removed from the team, key revoked or paused, account paused), within EVENTS_RECHECK_MS (2 s). When the server loses its event feed it ends the stream " +
      "(reconnect and resume); while the feed is down a new stream is refused with 503 service_unavailable.",
    security: SECURITY,
    middleware: [requireAuth("any")] as const,
    request: {
      headers: z.object({
        "last-event-id": z
          .string()
          .max(100)
          .optional()
          .openapi({ param: { name: "last-event-id", in: "header" }, description: "evt_… to resume after" }),
      }),
      query: z.object({
        after: z
          .string()
          .regex(EVENT_ID, "An event id, evt_…")
          .optional()
          .openapi({ description: "evt_… to start after (a first connection's Last-Event-ID)" }),
      }),
    },
    responses: {
      200: {
        content: { "text/event-stream": { schema: z.string() } },
        description: "The stream (never ends by itself)",
      },
      ...errorResponses(...AUTH_ERRORS.any, "not_found", "invalid_request", "service_unavailable"),
    },
  }),
  async (c) => {
    const customerId = customerIdOf(c);
    const header = c.req.valid("header")["last-event-id"];
    const resumeFrom = header && EVENT_ID.test(header) ? header : c.req.valid("query").after;
    const hub = liveHub();
    const queue: LiveEvent[] = [];
    let wake: (() => void) | null = null;
    let closed = false;
    const end = () => {
      closed = true;
      wake?.();
    };
    // Subscribed before the backlog is read: an event committed meanwhile is in both, and sent once.
    const unsubscribe = hub.subscribe(customerId, {
      event: (event) => {
        queue.push(event);
        wake?.();
      },
      lost: end,
    });
    let start: { seq: number; id: string | null; resumed: boolean };
    try {
      if (!(await hub.ready()))
        throw new DomainError("service_unavailable", {
          message: "Live events are unavailable right now; retry shortly (or read the jobs meanwhile).",
          retryAfter: 3,
        });
      const seq = resumeFrom ? await seqOf(customerId, resumeFrom) : null;
      if (seq !== null) start = { seq, id: null, resumed: true };
      else {
        const latest = await latestEvent(customerId);
        start = { seq: latest?.seq ?? 0, id: latest?.id ?? null, resumed: false };
      }
    } catch (error) {
      unsubscribe();
      throw error;
    }
    return streamSSE(c, async (stream) => {
      stream.onAbort(end);
      try {
        await stream.writeSSE({
          event: "ready",
          data: JSON.stringify({ live: true, resumed: start.resumed }),
          retry: 3_000,
          ...(start.id ? { id: start.id } : {}),
        });
        let last = start.seq;
        // A stream outlives its request's authentication: the caller is checked again before an event
        // goes out once the last check is older than EVENTS_RECHECK_MS, and at every heartbeat. A
        // signed-out or removed member, a revoked or paused key, a paused account get no event past it:
        // the stream ends, and a reconnect is refused with the usual error.
        const recheckMs = env().EVENTS_RECHECK_MS;
        let checkedAt = Date.now();
        const allowed = async (force: boolean) => {
          if (!force && Date.now() - checkedAt < recheckMs) return true;
          checkedAt = Date.now();
          return stillAuthenticated(c);
        };
        const send = async (event: LiveEvent) => {
          last = event.seq;
          const { seq: _seq, ...body } = event;
          await stream.writeSSE({ id: event.id, event: event.type, data: JSON.stringify(body) });
        };
        if (start.resumed) {
          for (;;) {
            const page = await eventsAfter(customerId, last, BACKLOG_PAGE);
            for (const event of page) await send(event);
            if (page.length < BACKLOG_PAGE || closed) break;
          }
        }
        while (!closed) {
          const event = queue.shift();
          if (event) {
            // Already sent from the backlog, or before where this stream began.
            if (event.seq <= last) continue;
            if (!(await allowed(false))) break;
            await send(event);
            continue;
          }
          const beat = await new Promise<boolean>((resolve) => {
            const timer = setTimeout(() => resolve(true), HEARTBEAT_MS);
            wake = () => {
              clearTimeout(timer);
              resolve(false);
            };
          });
          wake = null;
          if (beat && !closed) {
            if (!(await allowed(true))) break;
            await stream.write(": keep-alive\n\n");
          }
        }
      } finally {
        unsubscribe();
      }
    }) as never;
  },
);
