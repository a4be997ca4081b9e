import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "@/lib/api/errors";
import { TopUpPrompt } from "./top-up-prompt";

const PACKS = {
  data: [
    { id: "pack_starter", name: "Starter", credits: 500, price_cents: 500, currency: "usd" },
    { id: "pack_growth", name: "Growth", credits: 2000, price_cents: 1800, currency: "usd" },
    { id: "pack_scale", name: "Scale", credits: 10000, price_cents: 8000, currency: "usd" },
  ],
  next_cursor: null,
};

const insufficient = (required: number, available: number) =>
  new ApiError({
    code: "insufficient_balance",
    status: 402,
    message: `This needs ${required} credits; the balance is ${available}.`,
    requestId: "req_402",
    details: { required, available },
  });

type Sent = { method: string; path: string; body: unknown; key: string | null };

/** A small in-memory API at the fetch boundary: packs, balance, and test-mode top-ups. */
function fakeApi(startBalance: number) {
  let balance = startBalance;
  const sent: Sent[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: string, init: RequestInit = {}) => {
      const path = new URL(input, "http://console.test").pathname.replace("/api/v1", "");
      const headers = new Headers(init.headers);
      const body = init.body ? JSON.parse(String(init.body)) : null;
      sent.push({ method: init.method ?? "GET", path, body, key: headers.get("idempotency-key") });
      if (path === "/top-up-packs") return Response.json(PACKS);
      if (path === "/balance")
        return Response.json({ credits: balance, updated_at: new Date().toISOString() });
      if (path === "/top-ups" && init.method === "POST") {
        const pack = PACKS.data.find((p) => p.id === body.pack)!;
        balance += pack.credits;
        const now = new Date().toISOString();
        return Response.json(
          {
            id: "top_1",
            pack: pack.id,
            credits: pack.credits,
            price_cents: pack.price_cents,
            currency: "usd",
            status: "succeeded",
            provider: "test",
            checkout_url: null,
            trigger: "manual",
            job_id: null,
            failure_reason: null,
            created_at: now,
            completed_at: now,
          },
          { status: 201 },
        );
      }
      return Response.json(
        { error: { code: "not_found", message: "no", request_id: "req_x" } },
        { status: 404 },
      );
    }),
  );
  return { sent };
}

function renderPrompt(props: React.ComponentProps<typeof TopUpPrompt>) {
  const client = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  return render(
    <QueryClientProvider client={client}>
      <TopUpPrompt {...props} />
    </QueryClientProvider>,
  );
}

afterEach(() => vi.unstubAllGlobals());

describe("TopUpPrompt", () => {
  it("shows required, available and shortfall, and preselects the smallest covering pack", async () => {
    fakeApi(40);
    renderPrompt({ error: insufficient(640, 40) });
    const dialog = await screen.findByRole("dialog", { name: "Top up credits" });
    expect(within(dialog).getByText("Required").nextSibling).toHaveTextContent("640 credits");
    expect(within(dialog).getByText("Available").nextSibling).toHaveTextContent("40 credits");
    expect(within(dialog).getByText("Shortfall").nextSibling).toHaveTextContent("600 credits");
    // 600 short: Starter (500) does not cover it, Growth (2,000) is the smallest that does.
    expect(await within(dialog).findByRole("radio", { name: /Growth/ })).toBeChecked();
    expect(within(dialog).getByRole("radio", { name: /Starter/ })).not.toBeChecked();
    expect(within(dialog).getByRole("button", { name: "Pay $18.00" })).toBeEnabled();
    expect(within(dialog).getByText("req_402")).toBeInTheDocument();
  });

  it("pays with one Idempotency-Key, then offers to run the blocked action again", async () => {
    const { sent } = fakeApi(0);
    const onResolved = vi.fn();
    const user = userEvent.setup();
    renderPrompt({ error: insufficient(10, 0), onResolved, resolvedLabel: "Generate again" });
    const dialog = await screen.findByRole("dialog", { name: "Top up credits" });
    await user.click(await within(dialog).findByRole("button", { name: "Pay $5.00" }));

    await within(dialog).findByText("Added 500 credits.");
    const posts = sent.filter((s) => s.method === "POST");
    expect(posts).toEqual([
      { method: "POST", path: "/top-ups", body: { pack: "pack_starter" }, key: expect.any(String) },
    ]);
    expect(posts[0]!.key!.length).toBeGreaterThan(0);
    await waitFor(() =>
      expect(within(dialog).getByRole("status")).toHaveTextContent("Your balance is now 500 credits"),
    );

    await user.click(within(dialog).getByRole("button", { name: "Generate again" }));
    expect(onResolved).toHaveBeenCalledOnce();
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
  });

  it("lets the person pick another pack", async () => {
    const { sent } = fakeApi(0);
    const user = userEvent.setup();
    renderPrompt({ error: insufficient(10, 0) });
    const dialog = await screen.findByRole("dialog", { name: "Top up credits" });
    await user.click(await within(dialog).findByRole("radio", { name: /Scale/ }));
    await user.click(within(dialog).getByRole("button", { name: "Pay $80.00" }));
    await within(dialog).findByText("Added 10,000 credits.");
    expect(sent.find((s) => s.method === "POST")?.body).toEqual({ pack: "pack_scale" });
    // No re-run offered without onResolved: just Done.
    await user.click(within(dialog).getByRole("button", { name: "Done" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
  });

  it("closes on Cancel and reports the dismissal", async () => {
    fakeApi(0);
    const onDismiss = vi.fn();
    const user = userEvent.setup();
    renderPrompt({ error: insufficient(10, 0), onDismiss });
    const dialog = await screen.findByRole("dialog", { name: "Top up credits" });
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(onDismiss).toHaveBeenCalledOnce();
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
  });

  it("stays shut for any other error", () => {
    fakeApi(0);
    renderPrompt({
      error: new ApiError({
        code: "queue_full",
        status: 429,
        message: "full",
        details: { unfinished: 20, limit: 20 },
      }),
    });
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  });
});
