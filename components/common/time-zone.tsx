"use client";

import * as React from "react";
import { TIME_ZONE_COOKIE } from "@/lib/time-zone";

/** The zone the server rendered times in (from the viewer's cookie), or null: UTC, marked. */
const ServerTimeZone = React.createContext<string | null>(null);

export function useServerTimeZone(): string | null {
  return React.useContext(ServerTimeZone);
}

/**
 * Provides the zone the server used, and keeps the cookie that tells it the browser's zone (set when
 * missing or changed, e.g. after travel; it takes effect from the next page the server renders).
 */
export function TimeZoneProvider({ zone, children }: { zone: string | null; children: React.ReactNode }) {
  React.useEffect(() => {
    const browser = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (browser && browser !== zone) {
      document.cookie = `${TIME_ZONE_COOKIE}=${encodeURIComponent(browser)}; path=/; max-age=31536000; samesite=lax`;
    }
  }, [zone]);
  return <ServerTimeZone.Provider value={zone}>{children}</ServerTimeZone.Provider>;
}
