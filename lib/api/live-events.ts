import type { InfiniteData, Query, QueryClient } from "@tanstack/react-query";
import type { Job, JobList } from "./contract/jobs.schema";
import { lazySchema } from "./client";
import { billingQueries } from "./queries/billing";
import { isUnfinished, type JobFilters, jobQueries } from "./queries/jobs";

/**
 * What the console does with GET /events/stream (components/providers/live-events.tsx opens it): each
 * job event carries the job as GET /jobs/{id} answers it, so it goes straight into the cache — the
 * job's detail queries and every jobs list it belongs in — without a request; a balance event re-reads
 * the billing queries on screen.
 */

export type JobPages = InfiniteData<JobList, string | null>;

export const JOB_EVENTS = ["job.succeeded", "job.failed", "job.canceled"];
export const BALANCE_EVENTS = ["top_up.succeeded", "balance.low", "spend.alert"];

const JobSchema = lazySchema(
  () => import("./contract/jobs.schema"),
  (m) => m.JobSchema,
);

const RANK = { queued: 0, running: 1 } as Record<string, number>;

/**
 * Whether `next` is a later state of the job than `cached`: a later attempt, or further along in the
 * same one (queued < running < finished). A replayed or late event never undoes a retry.
 */
export function isNewer(next: Job, cached: Job): boolean {
  if (next.attempts !== cached.attempts) return next.attempts > cached.attempts;
  return (RANK[next.status] ?? 2) > (RANK[cached.status] ?? 2);
}

/** The filters of GET /jobs, applied to one job (created_after/before are exclusive, as the API's). */
export function matchesFilters(job: Job, filters: JobFilters): boolean {
  const created = Date.parse(job.created_at);
  return (
    (!filters.status || job.status === filters.status) &&
    (!filters.product || job.product === filters.product) &&
    (!filters.key_id || job.key_id === filters.key_id) &&
    (!filters.created_after || created > Date.parse(filters.created_after)) &&
    (!filters.created_before || created < Date.parse(filters.created_before))
  );
}

/** Newest first, as GET /jobs orders: created_at, then id. */
function before(a: Job, b: Job): boolean {
  return a.created_at === b.created_at ? a.id > b.id : a.created_at > b.created_at;
}

/**
 * The loaded pages of one jobs list with `job` in its new state: replaced where it is listed (or
 * dropped, once it no longer matches the list's filters, as a re-read would); a job not listed yet
 * (created elsewhere: the API, another tab) is put in its place among the loaded rows — unless it
 * belongs past the last loaded row of a list with more pages: "Load more" brings it then. The same
 * object comes back when nothing changes.
 */
export function patchJobPages(data: JobPages, job: Job, filters: JobFilters): JobPages {
  const matches = matchesFilters(job, filters);
  const pages = data.pages;
  for (let p = 0; p < pages.length; p++) {
    const i = pages[p]!.data.findIndex((row) => row.id === job.id);
    if (i === -1) continue;
    const rows = [...pages[p]!.data];
    const cached = rows[i]!;
    if (!isNewer(job, cached)) return data;
    if (matches) rows[i] = job;
    else rows.splice(i, 1);
    return withPage(data, p, rows);
  }
  if (!matches) return data;
  for (let p = 0; p < pages.length; p++) {
    const rows = pages[p]!.data;
    const i = rows.findIndex((row) => before(job, row));
    const last = p === pages.length - 1;
    if (i !== -1 || (last && !pages[p]!.next_cursor)) {
      const at = i === -1 ? rows.length : i;
      return withPage(data, p, [...rows.slice(0, at), job, ...rows.slice(at)]);
    }
  }
  return data;
}

function withPage(data: JobPages, p: number, rows: Job[]): JobPages {
  const pages = [...data.pages];
  pages[p] = { ...pages[p]!, data: rows };
  return { ...data, pages };
}

const isDetailKey = (key: readonly unknown[]) =>
  key[0] === "jobs" && key[1] === "detail" && key.length === 4 && key[3] !== "ledger";
const isListKey = (key: readonly unknown[]) => key[0] === "jobs" && key[1] === "list";

/** The jobs a cached jobs query holds (a detail: one; a list: its loaded rows; anything else: none). */
export function jobsOf(query: Pick<Query, "queryKey" | "state">): Job[] {
  const data = query.state.data;
  if (data === undefined) return [];
  if (isDetailKey(query.queryKey)) return [data as Job];
  if (isListKey(query.queryKey)) return (data as JobPages).pages.flatMap((page) => page.data);
  return [];
}

/** `job` into every cached query that shows it (or, for a list, should): no request is made. */
export function applyJob(client: QueryClient, job: Job): void {
  for (const query of client.getQueryCache().findAll({ queryKey: jobQueries.all() })) {
    const key = query.queryKey;
    if (isDetailKey(key) && key[2] === job.id) {
      const cached = query.state.data as Job | undefined;
      if (!cached || isNewer(job, cached)) client.setQueryData(key, job);
    } else if (isListKey(key) && query.state.data) {
      const data = query.state.data as JobPages;
      const next = patchJobPages(data, job, (key[2] ?? {}) as JobFilters);
      if (next !== data) client.setQueryData(key, next);
    }
  }
}

/**
 * Jobs the stream has reported, kept for a while: an answer that left the server before the event
 * (the POST that created the job, a list read in flight) can reach the cache after it, and would put
 * the job back to "queued" with nothing left to correct it. `reconcile` corrects it.
 */
export class RecentJobs {
  private jobs = new Map<string, Job>();
  constructor(private readonly max = 200) {}

  remember(job: Job): void {
    this.jobs.delete(job.id);
    this.jobs.set(job.id, job);
    if (this.jobs.size > this.max) this.jobs.delete(this.jobs.keys().next().value!);
  }

  /** The cached query, given an answer that just arrived: any job in it the stream knows newer is replaced. */
  reconcile(client: QueryClient, query: Query): void {
    if (!this.jobs.size) return;
    for (const cached of jobsOf(query)) {
      const known = this.jobs.get(cached.id);
      if (known && isNewer(known, cached)) applyJob(client, known);
    }
  }
}

/**
 * One event of the stream into the cache. A job event whose body is not a job (it never should be)
 * re-reads that job instead.
 */
export async function applyEvent(
  client: QueryClient,
  recent: RecentJobs,
  type: string,
  body: { data?: unknown },
): Promise<void> {
  if (JOB_EVENTS.includes(type)) {
    const parsed = (await JobSchema()).safeParse(body.data);
    if (!parsed.success) {
      const id = (body.data as { id?: unknown } | undefined)?.id;
      if (typeof id === "string") await client.invalidateQueries({ queryKey: [...jobQueries.details(), id] });
      return;
    }
    const job = parsed.data;
    recent.remember(job);
    applyJob(client, job);
    // Its money trail gained a refund (failed, canceled): re-read what is on screen of it.
    void client.invalidateQueries({ queryKey: [...jobQueries.details(), job.id, "ledger"] });
    if (type !== "job.succeeded")
      void client.invalidateQueries({ queryKey: billingQueries.balance().queryKey });
  } else if (BALANCE_EVENTS.includes(type)) {
    void client.invalidateQueries({ queryKey: billingQueries.all() });
  }
}

/**
 * A stream that did not resume (the first one of the tab, or after an id the server did not know)
 * starts now: a job that finished between the page's read and the stream's start sent its event to no
 * one. Only an unfinished job can have; the queries that hold one are read once more.
 */
export function refetchUnfinished(client: QueryClient): Promise<void> {
  return client.invalidateQueries({
    queryKey: jobQueries.all(),
    predicate: (query) => jobsOf(query).some(isUnfinished),
  });
}
