import { and, desc, eq, gt, gte, lt, type SQL } from "drizzle-orm";
import { encodeTime } from "ulid";
import type { JobList, JobListQuery } from "@/lib/api/contract/jobs.schema";
import { getDb } from "../db/client";
import { jobs } from "../db/schema";
import { DomainError } from "../errors";
import { clampQueryTime } from "../query-time";
import { type JobRow, toJobDto } from "./dto";

const ID_PATTERN = /^job_[0-9A-Z]{26}$/;

/** Opaque keyset cursor: the last id of the page, base64url'd so clients don't build their own. */
export const encodeCursor = (id: string) => Buffer.from(`j:${id}`).toString("base64url");

function decodeCursor(cursor: string): string {
  const raw = Buffer.from(cursor, "base64url").toString();
  const id = raw.startsWith("j:") ? raw.slice(2) : "";
  if (!ID_PATTERN.test(id)) {
    throw new DomainError("invalid_request", {
      message: "The cursor is not one this API returned.",
      details: { fields: [{ path: "cursor", message: "Invalid cursor" }] },
    });
  }
  return id;
}

/** The smallest job id created at `ms` (ids begin with their creation time, and created_at equals it). */
const firstIdAt = (ms: number) => `job_${encodeTime(ms, 10)}${"0".repeat(16)}`;

export type JobFilter = Omit<JobListQuery, "limit" | "cursor">;

/**
 * The customer's jobs, newest first, keyset-paginated on id. Every filter is an equality on a column
 * of a (customer_id, <column>, id) index, and the time filters are id ranges, so each page is one
 * index range scan however deep it is.
 */
export async function listJobRows(
  customerId: string,
  filter: JobFilter,
  page: { limit: number; after?: string },
): Promise<{ rows: JobRow[]; more: boolean }> {
  const where: (SQL | undefined)[] = [eq(jobs.customerId, customerId)];
  if (filter.status) where.push(eq(jobs.status, filter.status));
  if (filter.product) where.push(eq(jobs.productId, filter.product));
  if (filter.key_id) where.push(eq(jobs.keyId, filter.key_id));
  if (filter.created_after) {
    const ms = clampQueryTime(filter.created_after).getTime();
    where.push(gt(jobs.createdAt, new Date(ms)), gte(jobs.id, firstIdAt(ms + 1)));
  }
  if (filter.created_before) {
    const ms = clampQueryTime(filter.created_before).getTime();
    where.push(lt(jobs.createdAt, new Date(ms)), lt(jobs.id, firstIdAt(ms)));
  }
  if (page.after) where.push(lt(jobs.id, page.after));
  const db = await getDb();
  const rows = await db
    .select()
    .from(jobs)
    .where(and(...where))
    .orderBy(desc(jobs.id))
    .limit(page.limit + 1);
  return { rows: rows.slice(0, page.limit), more: rows.length > page.limit };
}

export async function listJobs(customerId: string, query: JobListQuery, origin: string): Promise<JobList> {
  const { limit, cursor, ...filter } = query;
  const { rows, more } = await listJobRows(customerId, filter, {
    limit,
    after: cursor ? decodeCursor(cursor) : undefined,
  });
  return {
    data: rows.map((row) => toJobDto(row, origin)),
    next_cursor: more ? encodeCursor(rows[rows.length - 1]!.id) : null,
  };
}

/** The customer's job; another customer's is not_found with the same body as a missing one. */
export async function getJobRowOrThrow(customerId: string, id: string): Promise<JobRow> {
  const db = await getDb();
  const [row] = await db
    .select()
    .from(jobs)
    .where(and(eq(jobs.id, id), eq(jobs.customerId, customerId)));
  if (!row) throw jobNotFound(id);
  return row;
}

export function jobNotFound(id: string): DomainError {
  return new DomainError("not_found", { message: `No job ${id}.` });
}
