import { act } from "@testing-library/react";
import { hydrateRoot, type Root } from "react-dom/client";
import { afterEach, describe, expect, it, vi } from "vitest";
import { formatTimestamp } from "@/lib/format";
import { HydratedProvider } from "@/lib/use-hydrated";
import { LocalTime } from "./local-time";
import { TimeZoneProvider } from "./time-zone";

const iso = "2026-12-05T23:30:00.000Z";
/** Unmounted after each test: a provider's pending work (the zone asked in a task of its own) goes with it. */
const roots: Root[] = [];

/** Hydrates `serverText` (the HTML the server sent) for a viewer whose cookie named `zone`. */
async function hydrate(zone: string | null, serverText: string, zoneOffset = new Date().getTimezoneOffset()) {
  const container = document.createElement("div");
  container.innerHTML = `<time dateTime="${iso}" title="${iso}">${serverText}</time>`;
  document.body.append(container);
  const errors: unknown[] = [];
  const consoleError = vi.spyOn(console, "error").mockImplementation(() => {});
  const intl = vi.spyOn(Intl, "DateTimeFormat");
  await act(async () => {
    const root = hydrateRoot(
      container,
      <HydratedProvider>
        <TimeZoneProvider zone={zone} zoneOffset={zone ? zoneOffset : null}>
          <LocalTime iso={iso} format={formatTimestamp} />
        </TimeZoneProvider>
      </HydratedProvider>,
      { onRecoverableError: (e) => errors.push(e) },
    );
    roots.push(root);
  });
  return { container, errors, consoleErrors: consoleError.mock.calls, intlCalls: intl.mock.calls };
}

afterEach(() => {
  act(() => roots.splice(0).forEach((root) => root.unmount()));
  vi.useRealTimers();
  vi.restoreAllMocks();
  document.body.innerHTML = "";
});

describe("LocalTime hydrating", () => {
  // jsdom's zone is the process's: this runs with the machine's (UTC in CI), which is what `formatTimestamp(iso)` says.
  it("keeps a named zone's server text without an Intl formatter, then writes the viewer's own", async () => {
    const tokyo = formatTimestamp(iso, "Asia/Tokyo"); // made before the spy: the server's work
    const { container, errors, consoleErrors, intlCalls } = await hydrate("Asia/Tokyo", tokyo);
    expect(errors).toEqual([]);
    expect(consoleErrors).toEqual([]);
    // The zone's offset is the browser's, so nothing asked Intl for the zone's name either.
    expect(intlCalls).toEqual([]);
    expect(container.textContent).toBe(formatTimestamp(iso));
  });

  it("matches UTC, marked, on a first visit", async () => {
    const { container, errors, consoleErrors } = await hydrate(null, `${formatTimestamp(iso, "UTC")} UTC`);
    expect(errors).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(container.textContent).toBe(formatTimestamp(iso));
  });
});

describe("TimeZoneProvider", () => {
  it("asks for the browser's zone and sets the cookie when the cookie's zone is at another offset", async () => {
    const browserZone = new Intl.DateTimeFormat().resolvedOptions().timeZone;
    document.cookie = "tz=; max-age=0; path=/";
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const { intlCalls } = await hydrate(
      "Pacific/Kiritimati",
      formatTimestamp(iso, "Pacific/Kiritimati"),
      -840 + 1,
    );
    // Asked in a task of its own after hydration, not in the task that finishes it.
    expect(intlCalls).toEqual([]);
    expect(document.cookie).not.toContain("tz=");
    act(() => vi.runOnlyPendingTimers());
    expect(intlCalls.length).toBeGreaterThan(0);
    expect(document.cookie).toContain(`tz=${encodeURIComponent(browserZone)}`);
  });
});
