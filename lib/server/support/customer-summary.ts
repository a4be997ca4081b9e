import { and, desc, eq, gt, gte, sql } from "drizzle-orm";
import type { CustomerSummary } from "@/lib/api/contract/support.schema";
import { getDb } from "../db/client";
import { apiKeys, customers, jobs, memberships, requestLog, sessions, users } from "../db/schema";
import { DomainError } from "../errors";
import { toKeyDto } from "../keys/keys";
import { toRequestEntry } from "../requests/dto";
import { codeCounts } from "../requests/list";
import { toStoryJob } from "../requests/story";
import { recentWebhookDeliveries, webhookEndpointHealth } from "./webhooks";

const ERRORS_WINDOW_MS = 7 * 24 * 3600 * 1000;

export const customerNotFound = (id: string) =>
  new DomainError("not_found", { message: `No customer ${id.slice(0, 100)}.` });

/** What support sees of a customer: status (who paused it, when, why), balance, keys, errors, jobs, webhooks. */
export async function getCustomerSummary(id: string, now = new Date()): Promise<CustomerSummary> {
  const db = await getDb();
  const [customer] = await db.select().from(customers).where(eq(customers.id, id));
  if (!customer) throw customerNotFound(id);
  const since = new Date(now.getTime() - ERRORS_WINDOW_MS);

  const [members, keys, errors, failed, recentJobs, endpoints, deliveries] = await Promise.all([
    db
      .select({
        id: users.id,
        email: users.email,
        name: users.name,
        role: memberships.role,
        activeSessions: sql<number>`count(${sessions.id})`.mapWith(Number),
      })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .leftJoin(sessions, and(eq(sessions.userId, users.id), gt(sessions.expiresAt, now)))
      .where(eq(memberships.customerId, id))
      .groupBy(users.id, memberships.role, memberships.createdAt)
      .orderBy(memberships.createdAt),
    db.select().from(apiKeys).where(eq(apiKeys.customerId, id)).orderBy(desc(apiKeys.id)).limit(100),
    codeCounts(id, since, now, 20),
    db
      .select()
      .from(requestLog)
      .where(and(eq(requestLog.customerId, id), gte(requestLog.at, since), gte(requestLog.status, 400)))
      .orderBy(desc(requestLog.at), desc(requestLog.requestId))
      .limit(10),
    db.select().from(jobs).where(eq(jobs.customerId, id)).orderBy(desc(jobs.id)).limit(10),
    webhookEndpointHealth(id),
    recentWebhookDeliveries(id),
  ]);

  return {
    id: customer.id,
    name: customer.name,
    status: customer.status,
    paused_reason: customer.pausedReason,
    paused_by: customer.pausedBy,
    paused_at: customer.pausedAt?.toISOString() ?? null,
    created_at: customer.createdAt.toISOString(),
    credits: customer.credits,
    low_balance_credits: customer.lowBalanceCredits,
    balance_updated_at: customer.balanceUpdatedAt.toISOString(),
    users: members.map((m) => ({
      id: m.id,
      email: m.email,
      name: m.name,
      role: m.role,
      active_sessions: m.activeSessions,
    })),
    keys: keys.map(toKeyDto),
    errors_since: since.toISOString(),
    recent_errors: errors,
    recent_failed_requests: failed.map(toRequestEntry),
    recent_jobs: recentJobs.map(toStoryJob),
    webhook_endpoints: endpoints,
    recent_webhook_deliveries: deliveries,
  };
}
