import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type {
  CustomerSummary,
  SupportWebhookDelivery,
  SupportWebhookEndpoint,
} from "@/lib/api/contract/support.schema";
import { CustomerWebhooks, JobWebhookDeliveries } from "./webhook-deliveries";

const AT = "2026-12-05T10:00:00.000Z";

function endpoint(id: string, patch: Partial<SupportWebhookEndpoint>): SupportWebhookEndpoint {
  return {
    id,
    url: `https://${id}.example.com/hooks`,
    description: "",
    events: ["job.succeeded"],
    enabled: true,
    secret_prefix: "whsec_abcd",
    failing_since: null,
    disabled_reason: null,
    disabled_at: null,
    created_at: AT,
    updated_at: AT,
    consecutive_failures: 0,
    ...patch,
  };
}

function delivery(patch: Partial<SupportWebhookDelivery>): SupportWebhookDelivery {
  return {
    id: "msg_1",
    endpoint_id: "we_1",
    event_id: "evt_1",
    event_type: "job.succeeded",
    status: "succeeded",
    attempts: 1,
    next_attempt_at: null,
    last_status_code: 200,
    last_error: null,
    created_at: AT,
    completed_at: AT,
    endpoint_url: "https://hooks.example.com/in",
    job_id: "job_1",
    job_request_id: "req_1",
    last_attempt: { started_at: AT, duration_ms: 42, status_code: 200, ok: true, error: null },
    ...patch,
  };
}

const customer = (patch: Partial<CustomerSummary>) =>
  ({ webhook_endpoints: [], recent_webhook_deliveries: [], ...patch }) as CustomerSummary;

describe("the customer panel's webhooks", () => {
  it("lists endpoints worst first: disabled by the platform, failing (with its streak), turned off, healthy", () => {
    render(
      <CustomerWebhooks
        level="page"
        customer={customer({
          webhook_endpoints: [
            endpoint("healthy", {}),
            endpoint("off", { enabled: false }),
            endpoint("failing", { failing_since: AT, consecutive_failures: 1_000 }),
            endpoint("disabled", {
              enabled: false,
              disabled_at: AT,
              disabled_reason: "Every delivery failed for 5 days",
            }),
          ],
        })}
      />,
    );
    const items = within(screen.getByRole("list", { name: "Webhook endpoints" })).getAllByRole("listitem");
    expect(items.map((li) => li.textContent)).toEqual([
      expect.stringMatching(
        /disabled\.example\.com.*Disabled by the platform.*Every delivery failed for 5 days/,
      ),
      expect.stringMatching(/failing\.example\.com.*Failing.*1,000 or more failed attempts in a row/),
      expect.stringMatching(/off\.example\.com.*Turned off/),
      expect.stringMatching(/healthy\.example\.com.*Healthy/),
    ]);
    expect(screen.getByText("No webhook deliveries yet.")).toBeInTheDocument();
  });

  it("links a job's delivery to the story of the request that made the job", () => {
    render(
      <CustomerWebhooks level="page" customer={customer({ recent_webhook_deliveries: [delivery({})] })} />,
    );
    expect(screen.getByText("No webhook endpoints.")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "job_1" })).toHaveAttribute("href", "/support/requests/req_1");
  });
});

describe("the story's webhook deliveries", () => {
  it("shows a failing delivery's last answer and its next retry; says so when there are none", () => {
    const { rerender } = render(
      <JobWebhookDeliveries
        deliveries={[
          delivery({
            status: "pending",
            attempts: 2,
            next_attempt_at: "2026-12-05T10:00:40.000Z",
            last_status_code: null,
            last_attempt: {
              started_at: AT,
              duration_ms: 10_000,
              status_code: null,
              ok: false,
              error: "No complete answer within 10 s.",
            },
          }),
        ]}
      />,
    );
    const row = within(screen.getByRole("table", { name: "Webhook deliveries of this job, newest first" }))
      .getAllByRole("row")
      .at(-1)!;
    expect(row).toHaveTextContent(/job\.succeeded.*Pending.*hooks\.example\.com.*2.*No answer.*10 s/);
    expect(row).toHaveTextContent("No complete answer within 10 s.");
    expect(
      within(row)
        .getAllByRole("time")
        .map((t) => t.getAttribute("datetime")),
    ).toContain("2026-12-05T10:00:40.000Z");
    // The story is the job's own: no link back to it.
    expect(within(row).queryByRole("link")).toBeNull();

    rerender(<JobWebhookDeliveries deliveries={[]} />);
    expect(screen.getByText(/^No webhook deliveries for this job/)).toBeInTheDocument();
  });
});
