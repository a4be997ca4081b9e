import { focusManager, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { NuqsTestingAdapter } from "nuqs/adapters/testing";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { jobFixture } from "@/tests/support/job-fixture";
import { JobsHistory } from "./jobs-history";

const job = jobFixture;

type Handler = (url: URL, init: RequestInit) => Response | undefined;

let calls: URL[];
function fakeApi(jobsHandler: Handler) {
  calls = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: string, init: RequestInit = {}) => {
      const url = new URL(input, "http://console.test");
      calls.push(url);
      const path = url.pathname.replace("/api/v1", "");
      if (path === "/products")
        return Response.json({
          data: [
            {
              id: "text-to-image",
              name: "Demo Text to Image",
              kind: "image",
              price_credits: 10,
              needs: null,
              status: "active",
            },
          ],
          next_cursor: null,
        });
      if (path === "/keys") return Response.json({ data: [], next_cursor: null });
      if (path === "/balance") return Response.json({ credits: 15, updated_at: "2026-03-01T00:00:00.000Z" });
      const res = jobsHandler(url, init);
      if (res) return res;
      return Response.json(
        { error: { code: "not_found", message: "no", request_id: "req_x" } },
        { status: 404 },
      );
    }),
  );
}

function renderHistory(searchParams = "") {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <NuqsTestingAdapter searchParams={searchParams}>
        <JobsHistory />
      </NuqsTestingAdapter>
    </QueryClientProvider>,
  );
}

const jobCalls = () => calls.filter((u) => u.pathname === "/api/v1/jobs");

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

// Real timers against a fake API: allow for a slow machine.
describe("JobsHistory", { timeout: 30_000 }, () => {
  beforeEach(() => vi.spyOn(document, "visibilityState", "get").mockReturnValue("visible"));

  it("sends the URL's filters (UTC days as strict bounds) and pages by cursor, never by offset", async () => {
    fakeApi((url) => {
      if (url.pathname !== "/api/v1/jobs") return;
      const cursor = url.searchParams.get("cursor");
      return Response.json(
        cursor ? { data: [job(1)], next_cursor: null } : { data: [job(3), job(2)], next_cursor: "c2" },
      );
    });
    renderHistory("?status=succeeded&product=text-to-image&from=2026-03-01&to=2026-03-02");
    expect(await screen.findByRole("link", { name: "prompt 3" })).toBeInTheDocument();
    const first = jobCalls()[0]!;
    expect(Object.fromEntries(first.searchParams)).toEqual({
      status: "succeeded",
      product: "text-to-image",
      created_after: "2026-02-28T23:59:59.999Z",
      created_before: "2026-03-03T00:00:00.000Z",
      limit: "25",
    });
    expect(screen.getByRole("link", { name: "Export CSV" })).toHaveAttribute(
      "href",
      `/api/v1/jobs/export.csv?${first.searchParams.toString().replace("&limit=25", "")}`,
    );

    await userEvent.click(screen.getByRole("button", { name: "Load more" }));
    expect(await screen.findByRole("link", { name: "prompt 1" })).toBeInTheDocument();
    const second = jobCalls().at(-1)!;
    expect(second.searchParams.get("cursor")).toBe("c2");
    expect(second.searchParams.has("offset")).toBe(false);
    expect(screen.queryByRole("button", { name: "Load more" })).not.toBeInTheDocument();
  });

  it("polls while an unfinished job is listed, and stops once none is", async () => {
    let reads = 0;
    fakeApi((url) => {
      if (url.pathname !== "/api/v1/jobs") return;
      reads++;
      const data = reads < 2 ? job(1, { status: "running", finished_at: null }) : job(1);
      return Response.json({ data: [data], next_cursor: null });
    });
    renderHistory();
    const row = await screen.findByRole("row", { name: /prompt 1/ });
    expect(within(row).getByTestId("job-status")).toHaveTextContent("Running");
    expect(screen.getByTestId("live-indicator")).toHaveTextContent("Updating every 2 s");
    await waitFor(
      () =>
        expect(
          within(screen.getByRole("row", { name: /prompt 1/ })).getByTestId("job-status"),
        ).toHaveTextContent("Succeeded"),
      {
        timeout: 5_000,
      },
    );
    const after = reads;
    await new Promise((r) => setTimeout(r, 2_500));
    expect(reads).toBe(after);
    expect(screen.getByTestId("live-indicator")).toHaveTextContent("Not live");
  });

  it("stops polling while the tab is hidden, and catches up when it is shown again", async () => {
    let reads = 0;
    fakeApi((url) => {
      if (url.pathname !== "/api/v1/jobs") return;
      reads++;
      return Response.json({
        data: [job(1, { status: "queued", started_at: null, finished_at: null })],
        next_cursor: null,
      });
    });
    renderHistory();
    await screen.findByRole("row", { name: /prompt 1/ });
    // What the visibilitychange listener of React Query does when the tab is hidden.
    act(() => focusManager.setFocused(false));
    const hidden = reads;
    await new Promise((r) => setTimeout(r, 2_600));
    expect(reads).toBe(hidden);
    act(() => focusManager.setFocused(true));
    await waitFor(() => expect(reads).toBeGreaterThan(hidden));
    focusManager.setFocused(undefined);
  });

  it("Retry selected shows the cost and balance first, then each job's outcome", async () => {
    const failed = [
      job(1, { status: "failed", refunded: true }),
      job(2, { status: "failed", refunded: true }),
    ];
    fakeApi((url, init) => {
      if (url.pathname === "/api/v1/jobs") return Response.json({ data: failed, next_cursor: null });
      if (url.pathname === "/api/v1/jobs/job_001/retry" && init.method === "POST")
        return Response.json({ ...failed[0], status: "queued" });
      if (url.pathname === "/api/v1/jobs/job_002/retry" && init.method === "POST")
        return Response.json(
          {
            error: {
              code: "insufficient_balance",
              message: "Needs 10 credits; 5 available.",
              request_id: "req_402",
              details: { required: 10, available: 5 },
            },
          },
          { status: 402 },
        );
    });
    renderHistory("?status=failed");
    await userEvent.click(await screen.findByRole("checkbox", { name: "Select all failed jobs shown" }));
    expect(screen.getByText("2 selected · 20 credits to retry")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Retry selected" }));
    const dialog = await screen.findByRole("dialog", { name: "Retry 2 failed jobs" });
    expect(within(dialog).getByTestId("retry-cost")).toHaveTextContent("20 credits");
    expect(await within(dialog).findByText("15 credits")).toBeInTheDocument();
    expect(within(dialog).getByText(/5 credits short/)).toBeInTheDocument();

    await userEvent.click(within(dialog).getByRole("button", { name: "Retry 2 for 20 credits" }));
    expect(await within(dialog).findByText("1 of 2 re-queued.")).toBeInTheDocument();
    const failures = within(dialog).getByRole("alert");
    expect(failures).toHaveTextContent("1 could not be retried");
    expect(failures).toHaveTextContent("Not enough credits: Needs 10 credits; 5 available.");
    expect(within(failures).getByTestId("request-id")).toHaveTextContent("req_402");
    const keys = calls.filter((u) => u.pathname.endsWith("/retry"));
    expect(keys).toHaveLength(2);
  });

  it("a failed load is an error state with its request id; a rate limit counts down", async () => {
    fakeApi((url) =>
      url.pathname === "/api/v1/jobs"
        ? Response.json(
            {
              error: {
                code: "rate_limited",
                message: "Slow down.",
                request_id: "req_429",
                details: { retry_after: 9 },
              },
            },
            { status: 429, headers: { "retry-after": "9" } },
          )
        : undefined,
    );
    renderHistory();
    expect(await screen.findByRole("status")).toHaveTextContent("Retrying in 9 s");
    expect(screen.getByTestId("request-id")).toHaveTextContent("req_429");
  });
});
