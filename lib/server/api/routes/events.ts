import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { streamSSE } from "hono/streaming";
import { eventsAfter, type LiveEvent, liveHub } from "../../webhooks/live";
import { AUTH_ERRORS, customerIdOf, requireAuth } from "../middleware/auth";
import { errorResponses, SECURITY } from "../openapi-helpers";
import type { ApiEnv } from "../types";

/** GET /events/stream: the customer's job and balance events as Server-Sent Events. */
export const eventRoutes = new OpenAPIHono<ApiEnv>();

/** A comment line this often keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 15_000;
const EVENT_ID = /^evt_[0-9A-Z]{26}$/;

eventRoutes.openapi(
  createRoute({
    method: "get",
    path: "/events/stream",
    tags: ["Events"],
    summary: "Live job and balance events (Server-Sent Events)",
    description:
      "Each message is `id: evt_…`, `event: <type>` (job.succeeded, job.failed, job.canceled, " +
      "top_up.succeeded, balance.low, spend.alert) and `data: {id, type, created_at, data}`, as a webhook's body. " +
      "A first `event: ready` says the stream is live. Reconnect with `Last-Event-ID` (EventSource does) " +
      "to get the events recorded since, then the live ones. A comment line every 15 s keeps it open.",
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
    },
    responses: {
      200: {
        content: { "text/event-stream": { schema: z.string() } },
        description: "The stream (never ends by itself)",
      },
      ...errorResponses(...AUTH_ERRORS.any, "not_found", "invalid_request"),
    },
  }),
  (c) => {
    const customerId = customerIdOf(c);
    const lastId = c.req.valid("header")["last-event-id"];
    return streamSSE(c, async (stream) => {
      const hub = liveHub();
      const queue: LiveEvent[] = [];
      let wake: (() => void) | null = null;
      let closed = false;
      const unsubscribe = hub.subscribe(customerId, (event) => {
        queue.push(event);
        wake?.();
      });
      stream.onAbort(() => {
        closed = true;
        unsubscribe();
        wake?.();
      });
      try {
        await hub.ready();
        await stream.writeSSE({ event: "ready", data: JSON.stringify({ live: true }), retry: 3_000 });
        // Subscribed first, then the backlog: an event in both is sent once.
        const sent = new Set<string>();
        if (lastId && EVENT_ID.test(lastId)) {
          for (const event of await eventsAfter(customerId, lastId)) {
            sent.add(event.id);
            await stream.writeSSE({ id: event.id, event: event.type, data: JSON.stringify(event) });
          }
        }
        while (!closed) {
          const event = queue.shift();
          if (event) {
            if (sent.has(event.id)) continue;
            await stream.writeSSE({ id: event.id, event: event.type, data: JSON.stringify(event) });
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
          if (beat && !closed) await stream.write(": keep-alive\n\n");
        }
      } finally {
        unsubscribe();
      }
    }) as never;
  },
);
