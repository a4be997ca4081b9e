/**
 * The console's bar charts' look, shared by the usage chart (Billing) and the rotation assistant's
 * traffic chart (key page). Plain values, no recharts: only the lazily loaded chart modules import it.
 */

// Mid-lightness hues that read on both the light and the dark background.
export const SERIES_COLORS = [
  "oklch(0.62 0.17 255)",
  "oklch(0.70 0.16 160)",
  "oklch(0.75 0.16 75)",
  "oklch(0.64 0.2 20)",
  "oklch(0.62 0.18 300)",
  "oklch(0.68 0.1 200)",
];

export const CHART_MARGIN = { top: 8, right: 8, bottom: 0, left: -8 };

/** Axes without lines or ticks, labelled in the muted foreground. */
export const AXIS_STYLE = {
  tickLine: false,
  axisLine: false,
  tick: { fill: "var(--muted-foreground)" },
} as const;

export const TOOLTIP_STYLE = {
  cursor: { fill: "var(--muted)", opacity: 0.6 },
  contentStyle: {
    background: "var(--popover)",
    color: "var(--popover-foreground)",
    border: "1px solid var(--border)",
    borderRadius: 8,
  },
};

/** One segment of a stacked bar; the top segment (`last`) gets the rounded corners. */
export const stackedBar = (last: boolean) => ({
  radius: last ? ([3, 3, 0, 0] as [number, number, number, number]) : 0,
  maxBarSize: 28,
  isAnimationActive: false,
});
