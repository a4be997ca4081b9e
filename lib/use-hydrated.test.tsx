import { act, render, screen } from "@testing-library/react";
import { hydrateRoot } from "react-dom/client";
import { renderToString } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import { HydratedProvider, useHydrated } from "./use-hydrated";

function Probe() {
  const hydrated = useHydrated();
  return <button disabled={!hydrated}>{hydrated ? "live" : "static"}</button>;
}

const page = (
  <HydratedProvider>
    <Probe />
  </HydratedProvider>
);

describe("HydratedProvider", () => {
  it("renders the server's HTML static, hydrates it without a mismatch, then goes live", async () => {
    const container = document.createElement("div");
    container.innerHTML = renderToString(page);
    expect(container.textContent).toBe("static");
    expect(container.querySelector("button")!.disabled).toBe(true);
    document.body.append(container);
    const errors: unknown[] = [];
    const consoleError = vi.spyOn(console, "error").mockImplementation(() => {});
    await act(async () => {
      hydrateRoot(container, page, { onRecoverableError: (e) => errors.push(e) });
    });
    expect(errors).toEqual([]);
    expect(consoleError.mock.calls).toEqual([]);
    consoleError.mockRestore();
    expect(container.textContent).toBe("live");
    expect(container.querySelector("button")!.disabled).toBe(false);
    container.remove();
  });

  it("is live at once in a browser render with nothing to hydrate", () => {
    render(<Probe />);
    expect(screen.getByRole("button", { name: "live" })).toBeEnabled();
  });
});
