import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, it, vi } from "vitest";
import { PacksCard } from "./packs-card";

const PACKS = {
  data: [{ id: "pack_starter", name: "Starter", credits: 500, price_cents: 500, currency: "usd" }],
  next_cursor: null,
};

afterEach(() => vi.unstubAllGlobals());

it("with Stripe, Billing opens Checkout in its own tab and waits on this page until the payment lands", async () => {
  let reads = 0;
  const topUp = (status: "pending" | "succeeded") => ({
    id: "top_1",
    pack: "pack_starter",
    credits: 500,
    price_cents: 500,
    currency: "usd",
    status,
    provider: "stripe",
    checkout_url: status === "pending" ? "https://checkout.stripe.test/c/pay_1" : null,
    trigger: "manual",
    job_id: null,
    failure_reason: null,
    created_at: "2026-11-25T18:24:31.000Z",
    completed_at: status === "pending" ? null : "2026-11-25T18:25:00.000Z",
  });
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: string, init: RequestInit = {}) => {
      const path = new URL(input, "http://console.test").pathname.replace("/api/v1", "");
      if (path === "/top-up-packs") return Response.json(PACKS);
      if (path === "/top-ups" && init.method === "POST")
        return Response.json(topUp("pending"), { status: 201 });
      // The webhook lands between the first and second poll.
      if (path === "/top-ups/top_1") return Response.json(topUp(reads++ === 0 ? "pending" : "succeeded"));
      return Response.json(
        { error: { code: "not_found", message: "no", request_id: "req_x" } },
        { status: 404 },
      );
    }),
  );
  const user = userEvent.setup();
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <PacksCard />
    </QueryClientProvider>,
  );

  await user.click(await screen.findByRole("button", { name: /^Buy Starter/ }, { timeout: 5_000 }));
  const checkout = await screen.findByRole("link", { name: "Open Stripe Checkout" });
  expect(checkout).toHaveAttribute("href", "https://checkout.stripe.test/c/pay_1");
  expect(checkout).toHaveAttribute("target", "_blank");
  expect(screen.getByRole("button", { name: /^Buy Starter/ })).toBeDisabled();

  await waitFor(() => expect(screen.queryByText(/Waiting for Stripe/)).not.toBeInTheDocument(), {
    timeout: 8_000,
  });
  expect(reads).toBeGreaterThanOrEqual(2);
  expect(screen.getByRole("button", { name: /^Buy Starter/ })).toBeEnabled();
  // Two polls of the top-up at its refetch interval, on a shared machine: more than the default 5 s.
}, 20_000);
