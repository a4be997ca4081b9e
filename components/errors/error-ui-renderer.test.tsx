import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type ErrorCode } from "@/lib/api/contract/error-codes";
import { ApiError } from "@/lib/api/errors";
import { ErrorUiRenderer, type ErrorUiRendererProps } from "./error-ui-renderer";
import { type TopUpPromptProps, TopUpPromptProvider } from "./top-up-slot";

const KEY = {
  id: "key_1",
  name: "Website",
  prefix: "sk_live_abcd",
  status: "active",
  paused_by: null,
  allowed_origins: ["https://shop.example.com"],
  allowed_ips: [],
  created_at: "2026-01-01T00:00:00.000Z",
  last_used_at: null,
  last_used_ip: null,
  last_used_origin: null,
  expires_at: null,
  revoked_at: null,
  shadow: null,
  rotation: null,
  spend: { monthly_credit_limit: null, month: "2026-12", month_spent_credits: 0 },
};
const PACKS = {
  data: [{ id: "pack_starter", name: "Starter", credits: 500, price_cents: 500, currency: "usd" }],
  next_cursor: null,
};

beforeEach(() => {
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: string) => {
      const path = new URL(input, "http://console.test").pathname.replace("/api/v1", "");
      if (path === "/keys/key_1") return Response.json(KEY);
      if (path === "/top-up-packs") return Response.json(PACKS);
      return Response.json(
        { error: { code: "not_found", message: "no", request_id: "req_x" } },
        { status: 404 },
      );
    }),
  );
});
afterEach(() => vi.unstubAllGlobals());

const error = (code: ErrorCode, status: number, details: Record<string, unknown> = {}, retryAfter?: number) =>
  new ApiError({ code, status, message: `${code} message`, requestId: `req_${code}`, details, retryAfter });

/** What the app layer provides (billing's dialog, tested there); here: proof the slot gets the error. */
function StubTopUpPrompt({ error, resolvedLabel }: TopUpPromptProps) {
  return (
    <div role="dialog" aria-label="Top up credits">
      {ApiError.is(error) ? `${error.code}: ${String(error.details.required)} needed` : null}
      {resolvedLabel}
    </div>
  );
}

function renderState(props: ErrorUiRendererProps) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <TopUpPromptProvider render={(p) => <StubTopUpPrompt {...p} />}>
        <ErrorUiRenderer {...props} />
      </TopUpPromptProvider>
    </QueryClientProvider>,
  );
}

type Case = {
  code: ErrorCode;
  status: number;
  details?: Record<string, unknown>;
  retryAfter?: number;
  props?: Partial<ErrorUiRendererProps>;
  /** What a person (and a screen reader) finds: the state ARCHITECTURE.md names. */
  expect: () => unknown;
};

// One row per job-side code that is not a field error (those sit on their fields; see the playground).
const CASES: Case[] = [
  {
    code: "insufficient_balance",
    status: 402,
    details: { required: 10, available: 0 },
    props: { actions: { "top-up": { onResolved: () => {}, label: "Generate again" } } },
    expect: async () => {
      expect(screen.getByRole("alert")).toHaveTextContent("Nothing was charged");
      const dialog = await screen.findByRole("dialog", { name: "Top up credits" });
      expect(dialog).toHaveTextContent("insufficient_balance: 10 needed");
      expect(dialog).toHaveTextContent("Generate again");
    },
  },
  {
    // A monthly credit limit, not the balance: its own state, no top-up dialog, a link to the key's limit.
    code: "insufficient_balance",
    status: 402,
    details: {
      reason: "spend_limit",
      limit: "key",
      key_id: "key_1",
      monthly_credit_limit: 100,
      month_spent_credits: 95,
      required: 10,
    },
    props: { actions: { "top-up": { onResolved: () => {}, label: "Generate again" } } },
    expect: async () => {
      const alert = await screen.findByRole("alert", { name: "Key spend limit reached" });
      expect(alert).toHaveTextContent(
        "This key's monthly credit limit is 100 credits, and 95 credits are spent",
      );
      expect(alert).toHaveTextContent("req_insufficient_balance");
      expect(screen.getByRole("link", { name: "Raise this key's limit" })).toHaveAttribute(
        "href",
        "/keys/key_1#spend-limit",
      );
      expect(screen.queryByRole("dialog", { name: "Top up credits" })).toBeNull();
    },
  },
  {
    code: "insufficient_balance",
    status: 402,
    details: {
      reason: "spend_limit",
      limit: "customer",
      monthly_credit_limit: 50,
      month_spent_credits: 50,
      required: 10,
    },
    expect: async () => {
      expect(await screen.findByRole("alert", { name: "Account spend limit reached" })).toHaveTextContent(
        "Your account's monthly credit limit is 50 credits",
      );
      expect(screen.getByRole("link", { name: "Raise the account's limit in Billing" })).toHaveAttribute(
        "href",
        "/billing#spend-limit",
      );
    },
  },
  {
    code: "product_paused",
    status: 409,
    details: { product: "legacy-upscale" },
    props: { actions: { paused: { productName: "Legacy Upscaler" } } },
    expect: () => expect(screen.getByRole("alert")).toHaveTextContent("Legacy Upscaler is paused"),
  },
  {
    code: "account_disabled",
    status: 403,
    details: { scope: "key" },
    expect: () => expect(screen.getByRole("alert")).toHaveTextContent("This API key is paused"),
  },
  {
    code: "account_disabled",
    status: 403,
    details: { scope: "customer" },
    expect: () => expect(screen.getByRole("alert")).toHaveTextContent("Your account is paused"),
  },
  {
    code: "rate_limited",
    status: 429,
    retryAfter: 7,
    props: { onRetry: () => {} },
    expect: () => expect(screen.getByRole("status")).toHaveTextContent("Retrying in 7 s"),
  },
  {
    code: "rate_limiter_unavailable",
    status: 503,
    retryAfter: 2,
    props: { onRetry: () => {} },
    expect: () => expect(screen.getByRole("status")).toHaveTextContent("Retrying in 2 s"),
  },
  {
    code: "service_unavailable",
    status: 502,
    retryAfter: 5,
    props: { onRetry: () => {} },
    expect: () => expect(screen.getByRole("status")).toHaveTextContent("Retrying in 5 s"),
  },
  {
    code: "queue_full",
    status: 429,
    details: { unfinished: 2, limit: 2 },
    props: { actions: { "queue-full": { href: "/jobs?key=key_1" } } },
    expect: () => {
      const alert = screen.getByRole("alert");
      expect(alert).toHaveTextContent("2 jobs are queued or running under this key; the limit is 2.");
      expect(within(alert).getByRole("link", { name: "View unfinished jobs" })).toHaveAttribute(
        "href",
        "/jobs?key=key_1",
      );
    },
  },
  {
    code: "idempotency_conflict",
    status: 409,
    props: { actions: { conflict: { onNewKey: () => {} } } },
    expect: () => {
      expect(screen.getByRole("alert")).toHaveTextContent("Idempotency-Key already used");
      expect(screen.getByRole("button", { name: "Use a new key" })).toBeInTheDocument();
    },
  },
  {
    code: "idempotency_conflict",
    status: 409,
    details: { reason: "in_progress" },
    expect: () => expect(screen.getByRole("alert")).toHaveTextContent("The first request is still running"),
  },
  {
    code: "origin_not_allowed",
    status: 403,
    details: { origin: "http://localhost:3000" },
    props: { actions: { "allowlist-denial": { keyId: "key_1" } } },
    expect: async () => {
      const alert = screen.getByRole("alert");
      expect(alert).toHaveTextContent("http://localhost:3000");
      expect(await within(alert).findByText("https://shop.example.com")).toBeInTheDocument();
      expect(within(alert).getByRole("button", { name: "Allow" })).toBeEnabled();
    },
  },
  {
    code: "ip_not_allowed",
    status: 403,
    details: { ip: "203.0.113.9" },
    props: { actions: { "allowlist-denial": { keyId: "key_1" } } },
    expect: () => {
      expect(screen.getByRole("alert")).toHaveTextContent("203.0.113.9");
      expect(screen.getByRole("button", { name: "Allow" })).toBeInTheDocument();
    },
  },
  {
    code: "invalid_state",
    status: 409,
    details: { status: "running", allowed_from: ["failed"] },
    expect: () =>
      expect(screen.getByRole("alert")).toHaveTextContent(
        "It is running now; this action works only when it is failed.",
      ),
  },
];

describe("ErrorUiRenderer", () => {
  it.each(CASES.map((c) => [`${c.code}${c.details ? ` ${JSON.stringify(c.details)}` : ""}`, c] as const))(
    "%s → its own state, with the request id",
    async (_name, c) => {
      renderState({ error: error(c.code, c.status, c.details, c.retryAfter), ...c.props });
      await c.expect();
      expect(screen.getAllByTestId("request-id").map((n) => n.textContent)).toContain(`req_${c.code}`);
      // Every state links its code's page in the docs.
      expect(screen.getByRole("link", { name: `Docs: ${c.code}` })).toHaveAttribute(
        "href",
        `/docs/errors/${c.code}`,
      );
      expect(screen.getAllByRole("button", { name: "Copy request ID" }).length).toBeGreaterThan(0);
    },
  );

  it("a denial without a key to change falls back to the generic state, still with the id", () => {
    renderState({ error: error("origin_not_allowed", 403, { origin: null }) });
    expect(screen.getByRole("alert")).toHaveTextContent("Origin not allowed");
    expect(screen.getByTestId("request-id")).toHaveTextContent("req_origin_not_allowed");
  });

  it("Use a new key calls back", async () => {
    const onNew = vi.fn();
    renderState({ error: error("idempotency_conflict", 409), actions: { conflict: { onNewKey: onNew } } });
    await userEvent.click(screen.getByRole("button", { name: "Use a new key" }));
    expect(onNew).toHaveBeenCalledTimes(1);
  });

  it("queue_full leads to the jobs list unless told otherwise", () => {
    renderState({ error: error("queue_full", 429, { unfinished: 2, limit: 2 }) });
    expect(screen.getByRole("link", { name: "View unfinished jobs" })).toHaveAttribute("href", "/jobs");
  });

  it("the countdown without a retry to run falls back to the generic state, with no Try again", () => {
    renderState({ error: error("rate_limited", 429, {}, 7) });
    expect(screen.queryByRole("status")).not.toBeInTheDocument();
    expect(screen.getByRole("alert")).toHaveTextContent("req_rate_limited");
    expect(screen.queryByRole("button", { name: "Try again" })).not.toBeInTheDocument();
  });
});
