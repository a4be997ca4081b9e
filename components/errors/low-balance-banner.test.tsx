import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { LowBalanceBanner } from "./low-balance-banner";

function serve(credits: number, threshold: number) {
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: string) => {
      if (input.endsWith("/balance")) return Response.json({ credits, updated_at: new Date().toISOString() });
      return Response.json({
        low_balance_credits: threshold,
        auto_recharge: {
          enabled: false,
          threshold_credits: 0,
          pack: null,
          monthly_cap_cents: 0,
          month: "2026-12",
          month_spent_cents: 0,
          in_flight: false,
          disabled_reason: null,
          disabled_at: null,
          provider: "test",
          payment_method: null,
        },
        spend: { monthly_credit_limit: null, month: "2026-12", month_spent_credits: 0 },
      });
    }),
  );
}

function renderBanner() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <LowBalanceBanner />
    </QueryClientProvider>,
  );
}

afterEach(() => vi.unstubAllGlobals());

describe("LowBalanceBanner", () => {
  it("warns under the threshold, with the numbers and a way to buy credits", async () => {
    serve(40, 100);
    renderBanner();
    const banner = await screen.findByRole("region", { name: "Low balance" });
    expect(banner).toHaveTextContent("40 credits left, under your warning level of 100 credits");
    expect(screen.getByRole("link", { name: "Buy credits" })).toHaveAttribute("href", "/billing");
  });

  it.each([
    [100, 100],
    [5000, 100],
    [0, 0],
  ])("stays hidden at %i credits with a threshold of %i", async (credits, threshold) => {
    serve(credits, threshold);
    renderBanner();
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.queryByRole("region", { name: "Low balance" })).not.toBeInTheDocument();
  });
});
