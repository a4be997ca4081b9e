import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, within } from "@testing-library/react";
import { afterEach, expect, it, vi } from "vitest";
import { JobMoneyTrail } from "./job-money-trail";

afterEach(() => vi.unstubAllGlobals());

const row = (over: Record<string, unknown>) => ({
  balance_after: 0,
  job_id: "job_1",
  top_up_id: null,
  product_id: "text-to-image",
  key_id: null,
  note: null,
  trigger: null,
  created_at: "2026-12-05T12:00:00.000Z",
  ...over,
});

it("links the auto-recharge a job's charge started to its top-up, and leaves it out of the job's cost", async () => {
  vi.stubGlobal(
    "fetch",
    vi.fn(async () =>
      Response.json({
        // Newest first, as GET /ledger answers.
        data: [
          row({
            id: "led_2",
            kind: "top_up",
            credits: 500,
            balance_after: 595,
            top_up_id: "top_1",
            note: "Auto-recharge: Starter pack (Stripe)",
            trigger: "auto_recharge",
            product_id: null,
          }),
          row({ id: "led_1", kind: "job_charge", credits: -10, balance_after: 95 }),
        ],
        next_cursor: null,
      }),
    ),
  );
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <JobMoneyTrail jobId="job_1" live={false} />
    </QueryClientProvider>,
  );
  const trail = await screen.findByRole("table", { name: "Money trail" });
  expect(within(trail).getByRole("link", { name: "Auto-recharge: Starter pack (Stripe)" })).toHaveAttribute(
    "href",
    "/billing/top-ups/top_1",
  );
  expect(within(trail).getByText("Charged")).toBeInTheDocument();
  expect(within(trail).getAllByRole("link")).toHaveLength(1);
  expect(screen.getByText(/Net cost of this job/)).toHaveTextContent("Net cost of this job: 10");
});
