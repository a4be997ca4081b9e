"use client";

import * as React from "react";
import { inOwnTask } from "@/lib/own-task";
import { TIME_ZONE_COOKIE } from "@/lib/time-zone";

/** The zone the server rendered times in (from the viewer's cookie), or null: UTC, marked. */
const ServerTimeZone = React.createContext<string | null>(null);

export function useServerTimeZone(): string | null {
  return React.useContext(ServerTimeZone);
}

/**
 * Calls back with the browser's time zone, asked in a worker. Naming it takes an Intl formatter, and a
 * renderer's first makes ICU load its locale data: 45–65 ms in a worker on this 2-core machine, one
 * main-thread task of 30–85 ms otherwise; ICU's data is the process's, so Intl on the page is cheap after
 * (3–7 ms). Without workers (jsdom), asked here. Returns a cancel.
 */
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

function askBrowserZone(onZone: (zone: string) => void): () => void {
  if (typeof Worker === "undefined") {
    onZone(browserZone());
    return () => {};
  }
  const source = "postMessage(Intl.DateTimeFormat().resolvedOptions().timeZone)";
  const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  const worker = new Worker(url);
  const stop = () => {
    worker.terminate();
    URL.revokeObjectURL(url);
  };
  worker.onmessage = (event: MessageEvent<string>) => {
    stop();
    onZone(event.data);
  };
  worker.onerror = () => {
    stop();
    onZone(browserZone());
  };
  return stop;
}

/**
 * Provides the zone the server used, and keeps the cookie that tells it the browser's zone (set when
 * missing or changed, e.g. after travel; it takes effect from the next page the server renders).
 *
 * The browser asks for its zone's name (`askBrowserZone`) only when it has to: without a cookie, or when
 * its UTC offset now differs from the offset the server found for the cookie's zone (`zoneOffset`,
 * minutes as `Date#getTimezoneOffset` counts them). Two zones at the same offset today but with
 * different summer time go unnoticed until their offsets part.
 */
export function TimeZoneProvider({
  zone,
  zoneOffset = null,
  children,
}: {
  zone: string | null;
  zoneOffset?: number | null;
  children: React.ReactNode;
}) {
  React.useEffect(() => {
    if (zone && zoneOffset === new Date().getTimezoneOffset()) return;
    // Starting a worker takes the main thread 10–15 ms: in a task of its own, not hydration's last.
    let cancelAsk = () => {};
    const cancelTask = inOwnTask(() => {
      cancelAsk = askBrowserZone((browser) => {
        if (browser && browser !== zone) {
          document.cookie = `${TIME_ZONE_COOKIE}=${encodeURIComponent(browser)}; path=/; max-age=31536000; samesite=lax`;
        }
      });
    });
    return () => {
      cancelTask();
      cancelAsk();
    };
  }, [zone, zoneOffset]);
  return <ServerTimeZone.Provider value={zone}>{children}</ServerTimeZone.Provider>;
}
