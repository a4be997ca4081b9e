"use client";

import { useLiveStatus } from "@/components/providers/live-events";
import { cn } from "@/lib/utils";

/**
 * Whether this view updates by itself, in words: "Live" (the event stream is open), "Connecting…", or,
 * while the stream is down, "Updating every N s" when the view polls meanwhile and "Not live" when it
 * has nothing to poll for.
 */
export function LiveIndicator({ pollMs, polling = true }: { pollMs: number; polling?: boolean }) {
  const status = useLiveStatus();
  const text =
    status === "live"
      ? "Live"
      : status === "connecting"
        ? "Connecting…"
        : polling
          ? `Updating every ${pollMs / 1000} s`
          : "Not live";
  const title =
    status === "live"
      ? "Updates arrive as they happen."
      : status === "down"
        ? "Live updates are unavailable right now; they resume by themselves."
        : undefined;
  return (
    // Not a live region: "Connecting…" → "Live" on every page load would be read out each time.
    <p
      title={title}
      data-testid="live-indicator"
      className="inline-flex items-center gap-1.5 text-xs text-muted-foreground"
    >
      <span
        aria-hidden
        className={cn(
          "size-2 rounded-full",
          status === "live" ? "bg-success" : "border border-muted-foreground bg-transparent",
        )}
      />
      {text}
    </p>
  );
}
