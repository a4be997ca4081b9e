import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AutoRechargeBanner } from "./auto-recharge-banner";

const REASON = "Your card has insufficient funds. (insufficient_funds)";

function serve(provider: "test" | "stripe", calls: { path: string; body: unknown }[]) {
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: string, init: RequestInit = {}) => {
      const path = new URL(input, "http://console.test").pathname.replace("/api/v1", "");
      calls.push({ path, body: init.body ? JSON.parse(String(init.body)) : null });
      if (path === "/billing/payment-method" && init.method === "POST") {
        return Response.json(
          { id: "cs_setup_1", url: "https://checkout.stripe.test/c/setup/cs_setup_1" },
          { status: 201 },
        );
      }
      return Response.json({
        low_balance_credits: 100,
        auto_recharge: {
          enabled: false,
          threshold_credits: 100,
          pack: "pack_starter",
          monthly_cap_cents: 1000,
          month: "2026-12",
          month_spent_cents: 0,
          in_flight: false,
          disabled_reason: REASON,
          disabled_at: "2026-12-05T12:00:00.000Z",
          provider,
          payment_method: provider === "stripe" ? { brand: "visa", last4: "4242" } : null,
        },
        spend: { monthly_credit_limit: null, month: "2026-12", month_spent_credits: 0 },
      });
    }),
  );
}

function renderBanner(canFix = true) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <AutoRechargeBanner canFix={canFix} />
    </QueryClientProvider>,
  );
}

afterEach(() => vi.unstubAllGlobals());

describe("AutoRechargeBanner with Stripe", () => {
  it("shows the failed charge's reason; Fix payment method opens Checkout in setup mode to resume", async () => {
    const calls: { path: string; body: unknown }[] = [];
    serve("stripe", calls);
    const user = userEvent.setup();
    renderBanner();
    const banner = await screen.findByRole("alert", { name: "Auto-recharge off" });
    expect(banner).toHaveTextContent(`Auto-recharge is off: a charge failed. ${REASON}`);
    await user.click(await within(banner).findByRole("button", { name: "Fix payment method" }));
    const link = await within(banner).findByRole("link", { name: "Continue to Stripe" });
    expect(link).toHaveAttribute("href", "https://checkout.stripe.test/c/setup/cs_setup_1");
    expect(calls.filter((c) => c.path === "/billing/payment-method")).toEqual([
      { path: "/billing/payment-method", body: { resume_auto_recharge: true } },
    ]);
    // Nothing was turned on from the browser: that waits for Stripe's webhook.
    expect(calls.some((c) => c.path === "/billing/settings" && c.body !== null)).toBe(false);
  });

  it("in test mode keeps the test-card fix (a confirmation, no Stripe)", async () => {
    const calls: { path: string; body: unknown }[] = [];
    serve("test", calls);
    const user = userEvent.setup();
    renderBanner();
    const banner = await screen.findByRole("alert", { name: "Auto-recharge off" });
    await user.click(within(banner).getByRole("button", { name: "Fix payment method" }));
    expect(await screen.findByRole("alertdialog", { name: "Fix payment method" })).toHaveTextContent(
      "test mode",
    );
    expect(calls.some((c) => c.path === "/billing/payment-method")).toBe(false);
  });

  it("without billing rights it links to Billing instead", async () => {
    serve("stripe", []);
    renderBanner(false);
    const banner = await screen.findByRole("alert", { name: "Auto-recharge off" });
    expect(within(banner).getByRole("link", { name: "View billing" })).toHaveAttribute("href", "/billing");
    expect(within(banner).queryByRole("button", { name: "Fix payment method" })).not.toBeInTheDocument();
  });
});
