"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { dateTimeFormat } from "@/lib/format";

// The new secret in the chart's first hue, old ones in warm hues that read on light and dark.
const NEW_COLOR = "oklch(0.62 0.17 255)";
const OLD_COLORS = ["oklch(0.75 0.16 75)", "oklch(0.64 0.2 20)", "oklch(0.62 0.18 300)"];

const tickTime = dateTimeFormat({ hour: "2-digit", minute: "2-digit" });
const tipTime = dateTimeFormat({ month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });

export type SecretSeries = { prefix: string; current: boolean };

/** Requests per time bucket, stacked by secret (its own module: recharts loads with the assistant). */
export function SecretTrafficBars({
  data,
  series,
}: {
  data: Record<string, number>[];
  series: SecretSeries[];
}) {
  let old = 0;
  const colors = series.map((s) => (s.current ? NEW_COLOR : OLD_COLORS[old++ % OLD_COLORS.length]));
  const label = (prefix: string) =>
    `${prefix}… (${series.find((s) => s.prefix === prefix)?.current ? "new" : "old"})`;
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -8 }}>
        <CartesianGrid vertical={false} stroke="var(--border)" />
        <XAxis
          dataKey="t"
          tickFormatter={(t: number) => tickTime(new Date(t))}
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
          labelFormatter={(t) => tipTime(new Date(Number(t)))}
          formatter={(value, name) => [Number(value).toLocaleString("en-US"), label(String(name))]}
          contentStyle={{
            background: "var(--popover)",
            color: "var(--popover-foreground)",
            border: "1px solid var(--border)",
            borderRadius: 8,
          }}
        />
        <Legend formatter={(value) => <span className="text-foreground">{label(String(value))}</span>} />
        {series.map((s, i) => (
          <Bar
            key={s.prefix}
            dataKey={s.prefix}
            stackId="requests"
            fill={colors[i]}
            radius={i === series.length - 1 ? [3, 3, 0, 0] : 0}
            maxBarSize={28}
            isAnimationActive={false}
          />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}
