import { QueryClient } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import type { Job, JobList } from "./contract/jobs.schema";
import {
  applyEvent,
  type JobPages,
  matchesFilters,
  patchJobPages,
  RecentJobs,
  refetchUnfinished,
} from "./live-events";
import { billingQueries } from "./queries/billing";
import { jobQueries } from "./queries/jobs";
import { jobFixture } from "@/tests/support/job-fixture";

// Jobs ordered by creation, not yet started.
const job = (n: number, over: Partial<Job> = {}): Job =>
  jobFixture(n, {
    created_at: `2026-03-01T10:00:${String(n).padStart(2, "0")}.000Z`,
    started_at: null,
    finished_at: null,
    ...over,
  });
const queued = (n: number, over: Partial<Job> = {}) => job(n, { status: "queued", ...over });
const pages = (...lists: [Job[], string | null][]): JobPages => ({
  pages: lists.map(([data, next_cursor]): JobList => ({ data, next_cursor })),
  pageParams: lists.map((_, i) => (i === 0 ? null : `c${i}`)),
});
const ids = (data: JobPages) => data.pages.map((page) => page.data.map((j) => j.id));

describe("patchJobPages", () => {
  it("replaces a listed job with its new state, in place", () => {
    const data = pages([[queued(3), queued(2), job(1)], null]);
    const next = patchJobPages(data, job(2), {});
    expect(ids(next)).toEqual([["job_003", "job_002", "job_001"]]);
    expect(next.pages[0]!.data[1]!.status).toBe("succeeded");
    expect(next.pages[0]!.data[0]).toBe(data.pages[0]!.data[0]);
  });

  it("never puts a job back to an earlier state (a replayed event after a retry)", () => {
    const data = pages([[queued(2, { attempts: 2 })], null]);
    expect(patchJobPages(data, job(2, { status: "failed", attempts: 1 }), {})).toBe(data);
    expect(
      patchJobPages(data, job(2, { status: "succeeded", attempts: 2 }), {}).pages[0]!.data[0]!.status,
    ).toBe("succeeded");
  });

  it("drops a job that no longer matches the list's status filter, as a re-read would", () => {
    const data = pages([[queued(3), queued(2)], null]);
    expect(ids(patchJobPages(data, job(2), { status: "queued" }))).toEqual([["job_003"]]);
  });

  it("puts a job made elsewhere in its place, newest first", () => {
    const data = pages([[job(5), job(3)], "c1"], [[job(2), job(1)], null]);
    expect(ids(patchJobPages(data, job(6), {}))).toEqual([
      ["job_006", "job_005", "job_003"],
      ["job_002", "job_001"],
    ]);
    expect(ids(patchJobPages(data, job(4), {}))[0]).toEqual(["job_005", "job_004", "job_003"]);
    // Older than every loaded row, and the list ends here: last.
    expect(ids(pages([[job(5)], null]))).toEqual([["job_005"]]);
    expect(ids(patchJobPages(pages([[job(5)], null]), job(1), {}))).toEqual([["job_005", "job_001"]]);
    // Into an empty list.
    expect(ids(patchJobPages(pages([[], null]), job(1), {}))).toEqual([["job_001"]]);
  });

  it("leaves a job that belongs past the loaded pages to Load more", () => {
    const data = pages([[job(5), job(3)], "c1"]);
    expect(patchJobPages(data, job(1), {})).toBe(data);
  });

  it("adds a new job only to the lists whose filters it matches", () => {
    const data = pages([[job(3)], null]);
    expect(patchJobPages(data, job(4, { status: "failed" }), { status: "succeeded" })).toBe(data);
    expect(patchJobPages(data, job(4), { product: "image-to-video" })).toBe(data);
    expect(patchJobPages(data, job(4, { key_id: "key_a" }), { key_id: "key_b" })).toBe(data);
    expect(ids(patchJobPages(data, job(4, { key_id: "key_a" }), { key_id: "key_a" }))).toEqual([
      ["job_004", "job_003"],
    ]);
  });
});

describe("matchesFilters", () => {
  it("takes created_after and created_before as exclusive, like GET /jobs", () => {
    const j = job(1, { created_at: "2026-03-01T10:00:00.000Z" });
    expect(matchesFilters(j, { created_after: "2026-03-01T10:00:00.000Z" })).toBe(false);
    expect(matchesFilters(j, { created_after: "2026-03-01T09:59:59.999Z" })).toBe(true);
    expect(matchesFilters(j, { created_before: "2026-03-01T10:00:00.000Z" })).toBe(false);
    expect(matchesFilters(j, { created_before: "2026-03-01T10:00:00.001Z" })).toBe(true);
  });
});

describe("applyEvent", () => {
  function cache() {
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    return { client, recent: new RecentJobs() };
  }
  const event = (j: Job) => ({ id: "evt_1", type: "job.succeeded", created_at: j.created_at, data: j });

  it("writes the job into its detail queries (session and pasted key) and every list, without a request", async () => {
    const { client, recent } = cache();
    const all = jobQueries.list({});
    const filtered = jobQueries.list({ status: "succeeded" });
    client.setQueryData(all.queryKey, pages([[queued(2), job(1)], null]));
    client.setQueryData(filtered.queryKey, pages([[job(1)], null]));
    client.setQueryData(jobQueries.detail("job_002").queryKey, queued(2));
    client.setQueryData(jobQueries.detail("job_002", { secret: "sk_live_abcdefgh" }).queryKey, queued(2));
    client.setQueryData(jobQueries.ledger("job_002").queryKey, []);

    await applyEvent(client, recent, "job.succeeded", event(job(2)));

    expect(ids(client.getQueryData(all.queryKey)!)).toEqual([["job_002", "job_001"]]);
    expect(client.getQueryData(all.queryKey)!.pages[0]!.data[0]!.status).toBe("succeeded");
    expect(ids(client.getQueryData(filtered.queryKey)!)).toEqual([["job_002", "job_001"]]);
    expect(client.getQueryData(jobQueries.detail("job_002").queryKey)!.status).toBe("succeeded");
    expect(
      client.getQueryData(jobQueries.detail("job_002", { secret: "sk_live_abcdefgh" }).queryKey)!.status,
    ).toBe("succeeded");
    // The money trail is not a job: it is marked stale (re-read where shown), not overwritten.
    expect(client.getQueryData(jobQueries.ledger("job_002").queryKey)).toEqual([]);
    expect(client.getQueryState(jobQueries.ledger("job_002").queryKey)!.isInvalidated).toBe(true);
  });

  it("a failed job's refund re-reads the balance; a succeeded job's end does not", async () => {
    const { client, recent } = cache();
    client.setQueryData(billingQueries.balance().queryKey, { credits: 490 } as never);
    await applyEvent(client, recent, "job.succeeded", event(job(2)));
    expect(client.getQueryState(billingQueries.balance().queryKey)!.isInvalidated).toBe(false);
    await applyEvent(client, recent, "job.failed", { data: job(3, { status: "failed" }) });
    expect(client.getQueryState(billingQueries.balance().queryKey)!.isInvalidated).toBe(true);
  });

  it("balance events re-read the billing queries", async () => {
    const { client, recent } = cache();
    client.setQueryData(billingQueries.balance().queryKey, { credits: 490 } as never);
    client.setQueryData(billingQueries.spendAlerts().queryKey, { data: [] } as never);
    client.setQueryData(jobQueries.detail("job_001").queryKey, job(1));
    await applyEvent(client, recent, "top_up.succeeded", { data: {} });
    expect(client.getQueryState(billingQueries.balance().queryKey)!.isInvalidated).toBe(true);
    expect(client.getQueryState(billingQueries.spendAlerts().queryKey)!.isInvalidated).toBe(true);
    expect(client.getQueryState(jobQueries.detail("job_001").queryKey)!.isInvalidated).toBe(false);
  });

  it("a body that is not a job re-reads that job instead of writing it", async () => {
    const { client, recent } = cache();
    client.setQueryData(jobQueries.detail("job_002").queryKey, queued(2));
    await applyEvent(client, recent, "job.succeeded", { data: { id: "job_002", status: "succeeded" } });
    expect(client.getQueryData(jobQueries.detail("job_002").queryKey)!.status).toBe("queued");
    expect(client.getQueryState(jobQueries.detail("job_002").queryKey)!.isInvalidated).toBe(true);
  });

  it("an answer older than the event (the POST that made the job, arriving late) is corrected", async () => {
    const { client, recent } = cache();
    const unsubscribe = client.getQueryCache().subscribe((e) => {
      if (e.type === "updated" && e.action.type === "success") recent.reconcile(client, e.query);
    });
    // The event first: no query holds the job yet.
    await applyEvent(client, recent, "job.succeeded", event(job(2)));
    // Then the playground stores the POST's answer (queued).
    client.setQueryData(jobQueries.detail("job_002").queryKey, queued(2));
    expect(client.getQueryData(jobQueries.detail("job_002").queryKey)!.status).toBe("succeeded");
    // A list read that left before the event.
    client.setQueryData(jobQueries.list({}).queryKey, pages([[queued(2)], null]));
    expect(client.getQueryData(jobQueries.list({}).queryKey)!.pages[0]!.data[0]!.status).toBe("succeeded");
    // A retry (a later attempt) is not undone.
    client.setQueryData(jobQueries.detail("job_002").queryKey, queued(2, { attempts: 2 }));
    expect(client.getQueryData(jobQueries.detail("job_002").queryKey)!.status).toBe("queued");
    unsubscribe();
  });
});

describe("refetchUnfinished", () => {
  it("marks stale only the queries that hold an unfinished job", async () => {
    const client = new QueryClient();
    client.setQueryData(jobQueries.list({}).queryKey, pages([[queued(2), job(1)], null]));
    client.setQueryData(jobQueries.list({ status: "succeeded" }).queryKey, pages([[job(1)], null]));
    client.setQueryData(jobQueries.detail("job_001").queryKey, job(1));
    client.setQueryData(jobQueries.detail("job_002").queryKey, queued(2));
    await refetchUnfinished(client);
    const invalidated = (key: readonly unknown[]) => client.getQueryState(key)!.isInvalidated;
    expect(invalidated(jobQueries.list({}).queryKey)).toBe(true);
    expect(invalidated(jobQueries.detail("job_002").queryKey)).toBe(true);
    expect(invalidated(jobQueries.list({ status: "succeeded" }).queryKey)).toBe(false);
    expect(invalidated(jobQueries.detail("job_001").queryKey)).toBe(false);
  });
});
