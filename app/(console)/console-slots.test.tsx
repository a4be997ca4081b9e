import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, within } from "@testing-library/react";
import { afterEach, expect, it, vi } from "vitest";
import { ErrorUiRenderer } from "@/components/errors/error-ui-renderer";
import { ApiError } from "@/lib/api/errors";
import { ConsoleSlots } from "./console-slots";

afterEach(() => vi.unstubAllGlobals());

it("an insufficient_balance anywhere in the console opens billing's top-up prompt", async () => {
  vi.stubGlobal(
    "fetch",
    vi.fn(async () =>
      Response.json({
        data: [{ id: "pack_starter", name: "Starter", credits: 500, price_cents: 500, currency: "usd" }],
        next_cursor: null,
      }),
    ),
  );
  const error = new ApiError({
    code: "insufficient_balance",
    status: 402,
    message: "This needs 10 credits; the balance is 0.",
    requestId: "req_402",
    details: { required: 10, available: 0 },
  });
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <ConsoleSlots>
        <ErrorUiRenderer error={error} />
      </ConsoleSlots>
    </QueryClientProvider>,
  );
  const dialog = await screen.findByRole("dialog", { name: "Top up credits" });
  expect(within(dialog).getByText("Shortfall").nextSibling).toHaveTextContent("10 credits");
  expect(await within(dialog).findByRole("radio", { name: /Starter/ })).toBeChecked();
});
