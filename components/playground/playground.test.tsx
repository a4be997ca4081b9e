import { QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { NuqsTestingAdapter } from "nuqs/adapters/testing";
import { renderToString } from "react-dom/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { makeQueryClient } from "@/lib/api/query-client";
import { productQueries } from "@/lib/api/queries/products";
import { Playground } from "./playground";

const PRODUCTS = {
  data: [
    {
      id: "text-to-image",
      name: "Demo Text to Image",
      kind: "image",
      price_credits: 10,
      needs: null,
      status: "active",
    },
    {
      id: "image-edit",
      name: "Demo Image Edit",
      kind: "image",
      price_credits: 15,
      needs: "source_image_url",
      status: "active",
    },
  ],
  next_cursor: null,
};

type Sent = { path: string; method: string; headers: Headers; credentials?: RequestCredentials };

function fakeApi(onJobs: () => Response) {
  const sent: Sent[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: string, init: RequestInit = {}) => {
      const path = new URL(input, "http://console.test").pathname.replace("/api/v1", "");
      sent.push({
        path,
        method: init.method ?? "GET",
        headers: new Headers(init.headers),
        credentials: init.credentials,
      });
      if (path === "/products") return Response.json(PRODUCTS);
      if (path === "/keys") return Response.json({ data: [], next_cursor: null });
      if (path === "/jobs" && init.method === "POST") return onJobs();
      return Response.json(
        { error: { code: "not_found", message: "no", request_id: "req_x" } },
        { status: 404 },
      );
    }),
  );
  return sent;
}

const unauthorized = () =>
  Response.json(
    { error: { code: "authentication_failed", message: "Unknown key.", request_id: "req_401" } },
    { status: 401, headers: { "x-request-id": "req_401" } },
  );

function renderPlayground(searchParams = "") {
  const handlers = { onSignedOut: vi.fn(), onCustomerPaused: vi.fn(), onUnhandled: vi.fn() };
  render(
    <QueryClientProvider client={makeQueryClient(handlers)}>
      <NuqsTestingAdapter searchParams={searchParams}>
        <Playground renderJob={(job) => <p>job {job.id}</p>} />
      </NuqsTestingAdapter>
    </QueryClientProvider>,
  );
  return handlers;
}

afterEach(() => vi.unstubAllGlobals());

describe("Playground", { timeout: 30_000 }, () => {
  it("a pasted key's 401 is an error on the Key field — the session is not signed out", async () => {
    const sent = fakeApi(unauthorized);
    const handlers = renderPlayground();
    await screen.findByRole("combobox", { name: "Product" });
    await userEvent.type(screen.getByLabelText("Prompt"), "a cat");
    await userEvent.click(screen.getByLabelText("A key secret"));
    await userEvent.type(screen.getByLabelText("Key secret"), "sk_live_nope");
    await userEvent.click(screen.getByRole("button", { name: "Generate" }));

    const field = screen.getByLabelText("Key secret");
    await waitFor(() => expect(field).toHaveAttribute("aria-invalid", "true"));
    expect(field).toHaveAccessibleDescription("This key was not accepted: Unknown key.");
    expect(screen.getByTestId("request-id")).toHaveTextContent("req_401");
    expect(handlers.onSignedOut).not.toHaveBeenCalled();

    const post = sent.find((s) => s.path === "/jobs" && s.method === "POST")!;
    expect(post.headers.get("authorization")).toBe("Bearer sk_live_nope");
    expect(post.credentials).toBe("omit");
    expect(post.headers.get("idempotency-key")).toBeTruthy();
  });

  it("the session's own 401 still goes to sign-in", async () => {
    fakeApi(unauthorized);
    const handlers = renderPlayground();
    await screen.findByRole("combobox", { name: "Product" });
    await userEvent.type(screen.getByLabelText("Prompt"), "a cat");
    await userEvent.click(screen.getByRole("button", { name: "Generate" }));
    await waitFor(() => expect(handlers.onSignedOut).toHaveBeenCalledTimes(1));
  });

  it("a too-large image is refused before anything is sent", async () => {
    const sent = fakeApi(unauthorized);
    renderPlayground("?product=image-edit");
    await screen.findByRole("combobox", { name: "Product" });
    const big = new File([new Uint8Array(11 * 1024 * 1024)], "big.png", { type: "image/png" });
    await userEvent.upload(screen.getByLabelText("Source image"), big);
    await userEvent.type(screen.getByLabelText("Prompt"), "bigger");
    await userEvent.click(screen.getByRole("button", { name: "Generate" }));
    const input = screen.getByLabelText("Source image");
    expect(input).toHaveAttribute("aria-invalid", "true");
    expect(input).toHaveAccessibleDescription(/Image too large: this file is 11\.0 MB; the limit is 10 MB/);
    expect(sent.some((s) => s.method === "POST")).toBe(false);
  });

  it("the server's HTML already shows the chosen product in the picker (not only after hydration)", () => {
    const client = makeQueryClient({ onSignedOut: vi.fn(), onCustomerPaused: vi.fn(), onUnhandled: vi.fn() });
    client.setQueryData(productQueries.list().queryKey, PRODUCTS as never);
    const html = renderToString(
      <QueryClientProvider client={client}>
        <NuqsTestingAdapter>
          <Playground renderJob={() => null} />
        </NuqsTestingAdapter>
      </QueryClientProvider>,
    );
    const doc = new DOMParser().parseFromString(html, "text/html");
    // The browser's own <select>: the server marks the chosen option.
    expect(doc.querySelector("select option[selected]")?.textContent).toBe("Demo Text to Image · 10 credits");
  });
});
