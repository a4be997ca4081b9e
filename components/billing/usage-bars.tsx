"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { Usage } from "@/lib/api/contract/billing.schema";
import { formatCredits } from "@/lib/format";

// Mid-lightness hues that read on both the light and the dark background.
const SERIES_COLORS = [
  "oklch(0.62 0.17 255)",
  "oklch(0.70 0.16 160)",
  "oklch(0.75 0.16 75)",
  "oklch(0.64 0.2 20)",
  "oklch(0.62 0.18 300)",
  "oklch(0.68 0.1 200)",
];

const shortDate = (iso: string) =>
  new Date(`${iso}T00:00:00Z`).toLocaleDateString("en-US", {
    month: "short",
    day: "numeric",
    timeZone: "UTC",
  });

/** The stacked bars of UsageCard (its own module: recharts loads only when there is usage to draw). */
export function UsageBars({
  data,
  products,
}: {
  data: Record<string, string | number>[];
  products: Usage["products"];
}) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -8 }}>
        <CartesianGrid vertical={false} stroke="var(--border)" />
        <XAxis
          dataKey="date"
          tickFormatter={shortDate}
          tickLine={false}
          axisLine={false}
          minTickGap={24}
          tick={{ fill: "var(--muted-foreground)" }}
        />
        <YAxis
          allowDecimals={false}
          tickLine={false}
          axisLine={false}
          width={48}
          tick={{ fill: "var(--muted-foreground)" }}
        />
        <Tooltip
          cursor={{ fill: "var(--muted)", opacity: 0.6 }}
          labelFormatter={(label) => shortDate(String(label))}
          formatter={(value, name) => [
            formatCredits(Number(value)),
            products.find((p) => p.id === name)?.name ?? name,
          ]}
          contentStyle={{
            background: "var(--popover)",
            color: "var(--popover-foreground)",
            border: "1px solid var(--border)",
            borderRadius: 8,
          }}
        />
        <Legend
          formatter={(value) => (
            <span className="text-foreground">{products.find((p) => p.id === value)?.name ?? value}</span>
          )}
        />
        {products.map((p, i) => (
          <Bar
            key={p.id}
            dataKey={p.id}
            stackId="credits"
            fill={SERIES_COLORS[i % SERIES_COLORS.length]}
            radius={i === products.length - 1 ? [3, 3, 0, 0] : 0}
            maxBarSize={28}
            isAnimationActive={false}
          />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}
