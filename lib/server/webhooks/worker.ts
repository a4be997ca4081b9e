import { randomUUID } from "node:crypto";
import { and, asc, eq, inArray, isNull, lte, lt, sql } from "drizzle-orm";
import { getDb, listen } from "../db/client";
import { events, webhookAttempts, webhookDeliveries, webhookEndpoints } from "../db/schema";
import type { Listening } from "../db/listen";
import { env } from "../env";
import { isDatabaseUnavailable } from "../errors";
import { newId } from "../ids";
import { RefusedAddress, type Resolver, resolveDeliverable, systemResolver } from "./address";
import { postWebhook, type SendOutcome } from "./deliver";
import { EVENTS_CHANNEL, WEBHOOK_DUE_CHANNEL } from "./events";
import { openSecret, signedHeaders } from "./secret";
import { log } from "../log";

const HOUR = 3_600_000;

export type DelivererOptions = {
  /** Deliveries sent at once by this process. */
  concurrency: number;
  /** How long a claim holds; a delivery whose worker died is sent again after it. */
  leaseMs: number;
  /** One attempt's whole time: connect, send, answer. */
  timeoutMs: number;
  idleMinMs: number;
  idleMaxMs: number;
  /** Retries stop once the next one would fall past this long after the delivery was created. */
  retryWindowMs: number;
  /** The delay before attempt n+1 after attempt n failed, before jitter. */
  backoffMs: (failedAttempt: number) => number;
  /** An endpoint whose deliveries have all failed for this long is turned off. */
  disableAfterMs: number;
  allowLoopback: boolean;
  /** The clock every delivery time is read from (tests move it instead of waiting). */
  now: () => number;
  /** In [0, 1): the jitter's randomness. */
  random: () => number;
  resolve: Resolver;
  name: string;
};

/** 10 s, 40 s, 2.7 min, 10.7 min, 43 min, 2.8 h, then every 8 h: about 9 attempts in 24 h. */
export const defaultBackoffMs = (failedAttempt: number) =>
  Math.min(8 * HOUR, 10_000 * 4 ** Math.max(0, failedAttempt - 1));

export function defaultDelivererOptions(): DelivererOptions {
  const e = env();
  return {
    concurrency: 4,
    leaseMs: 60_000,
    timeoutMs: 10_000,
    idleMinMs: 100,
    idleMaxMs: 2_000,
    retryWindowMs: 24 * HOUR,
    backoffMs: defaultBackoffMs,
    disableAfterMs: e.WEBHOOK_DISABLE_AFTER_DAYS * 24 * HOUR,
    allowLoopback: e.WEBHOOK_ALLOW_LOOPBACK,
    now: Date.now,
    random: Math.random,
    resolve: systemResolver,
    name: "webhooks",
  };
}

/** ±20 % around the backoff, so receivers that failed together are not retried together. */
export function jittered(ms: number, random: number): number {
  return Math.round(ms * (0.8 + 0.4 * random));
}

type Delivery = typeof webhookDeliveries.$inferSelect;

/**
 * Delivers webhook events at least once. Two steps, each safe with any number of processes on one
 * Postgres:
 *  1. dispatch: events not yet fanned out are claimed (FOR UPDATE SKIP LOCKED) and become one delivery
 *     per enabled endpoint subscribed to their type, and are marked dispatched, in one transaction;
 *  2. deliver: a due delivery is claimed by a guarded UPDATE … RETURNING over SKIP LOCKED under a lease,
 *     POSTed with the Standard Webhooks signature, and its attempt, its outcome and its next try are
 *     written in one transaction guarded by the lease token (a worker that lost its lease writes
 *     nothing). A worker that dies mid-attempt leaves the lease to run out: the reaper makes the
 *     delivery due again and logs the lost attempt.
 */
export class WebhookDeliverer {
  readonly options: DelivererOptions;
  private stopping = false;
  private loops: Promise<void>[] = [];
  private wakers = new Set<() => void>();
  private listening: Listening[] = [];
  private lastReap = 0;

  constructor(options: Partial<DelivererOptions> = {}) {
    this.options = { ...defaultDelivererOptions(), ...options };
  }

  async start(): Promise<void> {
    if (this.loops.length) return;
    this.stopping = false;
    const wake = { notify: () => this.wakeAll(), state: () => {} };
    this.listening = await Promise.all([listen(EVENTS_CHANNEL, wake), listen(WEBHOOK_DUE_CHANNEL, wake)]);
    for (let i = 0; i < this.options.concurrency; i++) this.loops.push(this.loop());
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeAll();
    await Promise.all(this.listening.map((l) => l.close()));
    this.listening = [];
    await Promise.all(this.loops);
    this.loops = [];
  }

  private now(): Date {
    return new Date(this.options.now());
  }

  private async loop(): Promise<void> {
    let idle = this.options.idleMinMs;
    let failing = false;
    while (!this.stopping) {
      try {
        const worked = await this.runOnce();
        failing = false;
        if (worked) {
          idle = this.options.idleMinMs;
          continue;
        }
      } catch (error) {
        if (!failing)
          log("error", "webhook worker error", { worker: this.options.name, error: String(error) });
        failing = true;
        idle = isDatabaseUnavailable(error) ? this.options.idleMaxMs : idle;
      }
      await this.sleep(idle);
      idle = Math.min(idle * 2, this.options.idleMaxMs);
    }
  }

  /** One step of the loop: reap when due, dispatch new events, deliver one due delivery. True if it did anything. */
  async runOnce(): Promise<boolean> {
    if (this.options.now() - this.lastReap >= this.options.leaseMs / 2) {
      this.lastReap = this.options.now();
      await this.reap();
    }
    const dispatched = await this.dispatch();
    const delivery = await this.claim();
    if (delivery) await this.deliver(delivery);
    return dispatched > 0 || delivery !== null;
  }

  /** Runs until nothing is due now (tests: after moving the clock). Returns the deliveries attempted. */
  async drain(max = 1_000): Promise<number> {
    let attempted = 0;
    await this.reap();
    // Every event waiting, not only the oldest batch: on a shared database other customers' events
    // can fill several batches ahead of the ones due now.
    while ((await this.dispatch()) > 0);
    for (; attempted < max; attempted++) {
      await this.dispatch();
      const delivery = await this.claim();
      if (!delivery) break;
      await this.deliver(delivery);
    }
    return attempted;
  }

  /** Fans undispatched events out to their endpoints. */
  async dispatch(limit = 100): Promise<number> {
    const db = await getDb();
    const at = this.now();
    return db.transaction(async (tx) => {
      const batch = await tx
        .select({ id: events.id, customerId: events.customerId, type: events.type })
        .from(events)
        .where(isNull(events.dispatchedAt))
        .orderBy(asc(events.id))
        .limit(limit)
        .for("update", { skipLocked: true });
      if (!batch.length) return 0;
      const customerIds = [...new Set(batch.map((e) => e.customerId))];
      const endpoints = await tx
        .select({
          id: webhookEndpoints.id,
          customerId: webhookEndpoints.customerId,
          events: webhookEndpoints.events,
        })
        .from(webhookEndpoints)
        .where(and(inArray(webhookEndpoints.customerId, customerIds), eq(webhookEndpoints.enabled, true)));
      const rows = batch.flatMap((event) =>
        endpoints
          .filter((e) => e.customerId === event.customerId && e.events.includes(event.type))
          .map((e) => ({
            id: newId("msg"),
            customerId: event.customerId,
            endpointId: e.id,
            eventId: event.id,
            eventType: event.type,
            nextAttemptAt: at,
            createdAt: at,
          })),
      );
      if (rows.length) await tx.insert(webhookDeliveries).values(rows);
      await tx
        .update(events)
        .set({ dispatchedAt: sql`now()` })
        .where(
          inArray(
            events.id,
            batch.map((e) => e.id),
          ),
        );
      return batch.length;
    });
  }

  /** Takes the delivery due longest, or null. Counts the attempt. */
  async claim(): Promise<Delivery | null> {
    const db = await getDb();
    const at = this.now();
    const next = db
      .select({ id: webhookDeliveries.id })
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.status, "pending"), lte(webhookDeliveries.nextAttemptAt, at)))
      .orderBy(asc(webhookDeliveries.nextAttemptAt))
      .limit(1)
      .for("update", { skipLocked: true });
    const [row] = await db
      .update(webhookDeliveries)
      .set({
        status: "delivering",
        leaseToken: randomUUID(),
        leasedUntil: new Date(at.getTime() + this.options.leaseMs),
        attempts: sql`${webhookDeliveries.attempts} + 1`,
      })
      // A scalar subquery runs once: at most one row is claimed.
      .where(and(eq(webhookDeliveries.id, sql`(${next})`), eq(webhookDeliveries.status, "pending")))
      .returning();
    return row ?? null;
  }

  /** Deliveries whose worker died mid-attempt: due again now, the lost attempt logged. */
  async reap(limit = 100): Promise<number> {
    const db = await getDb();
    const at = this.now();
    const expired = await db
      .select()
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.status, "delivering"), lt(webhookDeliveries.leasedUntil, at)))
      .limit(limit);
    let reaped = 0;
    for (const d of expired) {
      await db.transaction(async (tx) => {
        const [row] = await tx
          .update(webhookDeliveries)
          .set({ status: "pending", leaseToken: null, leasedUntil: null, nextAttemptAt: at })
          .where(and(eq(webhookDeliveries.id, d.id), eq(webhookDeliveries.leaseToken, d.leaseToken!)))
          .returning();
        if (!row) return;
        reaped++;
        await tx.insert(webhookAttempts).values({
          id: newId("wa"),
          deliveryId: d.id,
          attempt: d.attempts,
          startedAt: at,
          durationMs: 0,
          statusCode: null,
          ok: false,
          error: "No outcome was recorded: the worker sending it stopped. Sent again.",
          requestHeaders: {},
          requestBody: "",
          nextAttemptAt: at,
        });
      });
    }
    if (reaped) log("warn", "reaped webhook deliveries", { worker: this.options.name, reaped });
    return reaped;
  }

  /** Sends one claimed delivery and records the outcome under its lease. */
  async deliver(delivery: Delivery): Promise<SendOutcome | null> {
    const db = await getDb();
    const [found] = await db
      .select({ event: events, endpoint: webhookEndpoints })
      .from(events)
      .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, delivery.endpointId))
      .where(eq(events.id, delivery.eventId));
    if (!found) return null; // the endpoint was deleted: its deliveries went with it
    const { event, endpoint } = found;
    const startedAt = this.now();
    const body = JSON.stringify({
      id: event.id,
      type: event.type,
      created_at: event.createdAt.toISOString(),
      data: event.data,
    });
    const headers = {
      "content-type": "application/json",
      "user-agent": "genmedia-webhooks/1",
      ...signedHeaders(
        openSecret(endpoint.id, endpoint.secretSealed),
        event.id,
        Math.floor(startedAt.getTime() / 1000),
        body,
      ),
    };
    let outcome: SendOutcome;
    if (!endpoint.enabled) {
      outcome = failure("The endpoint is disabled: not sent.");
    } else {
      const url = new URL(endpoint.url);
      try {
        const target = await resolveDeliverable(
          url.hostname,
          this.options.allowLoopback,
          this.options.resolve,
        );
        outcome = await postWebhook(url, target, headers, body, this.options.timeoutMs);
      } catch (error) {
        outcome = failure(error instanceof RefusedAddress ? error.message : String(error));
      }
    }
    await this.record(delivery, endpoint.enabled, startedAt, headers, body, outcome);
    return outcome;
  }

  private async record(
    delivery: Delivery,
    endpointEnabled: boolean,
    startedAt: Date,
    headers: Record<string, string>,
    body: string,
    outcome: SendOutcome,
  ): Promise<void> {
    const db = await getDb();
    const at = this.now();
    const retryAt = new Date(
      at.getTime() + jittered(this.options.backoffMs(delivery.attempts), this.options.random()),
    );
    const retry =
      !outcome.ok &&
      endpointEnabled &&
      retryAt.getTime() - delivery.createdAt.getTime() <= this.options.retryWindowMs;
    await db.transaction(async (tx) => {
      const [row] = await tx
        .update(webhookDeliveries)
        .set({
          status: outcome.ok ? "succeeded" : retry ? "pending" : "failed",
          leaseToken: null,
          leasedUntil: null,
          nextAttemptAt: retry ? retryAt : at,
          lastStatusCode: outcome.statusCode,
          lastError: outcome.error,
          completedAt: outcome.ok || !retry ? at : null,
        })
        .where(
          and(
            eq(webhookDeliveries.id, delivery.id),
            eq(webhookDeliveries.leaseToken, delivery.leaseToken!),
            eq(webhookDeliveries.status, "delivering"),
          ),
        )
        .returning({ id: webhookDeliveries.id });
      if (!row) return; // the lease was lost: another worker owns the delivery now
      await tx.insert(webhookAttempts).values({
        id: newId("wa"),
        deliveryId: delivery.id,
        attempt: delivery.attempts,
        startedAt,
        durationMs: outcome.durationMs,
        statusCode: outcome.statusCode,
        ok: outcome.ok,
        error: outcome.error,
        requestHeaders: headers,
        requestBody: body,
        responseHeaders: outcome.responseHeaders,
        responseExcerpt: outcome.responseExcerpt,
        nextAttemptAt: retry ? retryAt : null,
      });
      if (!endpointEnabled) return;
      if (outcome.ok) {
        await tx
          .update(webhookEndpoints)
          .set({ failingSince: null })
          .where(
            and(
              eq(webhookEndpoints.id, delivery.endpointId),
              sql`${webhookEndpoints.failingSince} is not null`,
            ),
          );
        return;
      }
      // The failure streak: since the first failure after the last success. Past disableAfterMs, off.
      const [endpoint] = await tx
        .update(webhookEndpoints)
        .set({
          failingSince: sql`coalesce(${webhookEndpoints.failingSince}, ${startedAt.toISOString()}::timestamptz)`,
        })
        .where(eq(webhookEndpoints.id, delivery.endpointId))
        .returning();
      if (
        endpoint?.failingSince &&
        at.getTime() - endpoint.failingSince.getTime() >= this.options.disableAfterMs
      ) {
        const days = Math.round(this.options.disableAfterMs / (24 * HOUR));
        await tx
          .update(webhookEndpoints)
          .set({
            enabled: false,
            disabledAt: at,
            disabledReason: `Every delivery failed for ${days} day${days === 1 ? "" : "s"} (since ${endpoint.failingSince.toISOString()}); the last: ${outcome.error ?? "no answer"}`,
            updatedAt: sql`now()`,
          })
          .where(and(eq(webhookEndpoints.id, delivery.endpointId), eq(webhookEndpoints.enabled, true)));
        log("warn", "webhook endpoint disabled after failing for days", { endpoint_id: delivery.endpointId });
      }
    });
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakers.add(done);
    });
  }

  private wakeAll(): void {
    for (const wake of [...this.wakers]) wake();
  }
}

function failure(error: string): SendOutcome {
  return { statusCode: null, ok: false, error, durationMs: 0, responseHeaders: null, responseExcerpt: null };
}
