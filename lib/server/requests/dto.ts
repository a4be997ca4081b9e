import type { RequestEntry } from "@/lib/api/contract/requests.schema";
import type { requestLog } from "../db/schema";

export type RequestRow = typeof requestLog.$inferSelect;

export function toRequestEntry(row: RequestRow): RequestEntry {
  return {
    request_id: row.requestId,
    at: row.at.toISOString(),
    method: row.method,
    path: row.path,
    status: row.status,
    code: row.code,
    customer_id: row.customerId,
    source: row.keyId ? "key" : row.userId ? "console" : "anonymous",
    key_id: row.keyId,
    key_prefix: row.keyPrefix,
    ip: row.ip,
    origin: row.origin,
    duration_ms: row.durationMs,
    idempotency_key: row.idempotencyKey,
    job_id: row.jobId,
    would_refuse:
      row.wouldRefuse === "ip_not_allowed" || row.wouldRefuse === "origin_not_allowed"
        ? row.wouldRefuse
        : null,
  };
}
