"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import {
  AXIS_STYLE,
  CHART_MARGIN,
  SERIES_COLORS,
  stackedBar,
  TOOLTIP_STYLE,
} from "@/components/common/chart-style";
import { dateTimeFormat, formatCount } from "@/lib/format";

// The new secret in the charts' first hue, old ones in the warm hues.
const NEW_COLOR = SERIES_COLORS[0]!;
const OLD_COLORS = SERIES_COLORS.slice(2, 5);

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
      <BarChart data={data} margin={CHART_MARGIN}>
        <CartesianGrid vertical={false} stroke="var(--border)" />
        <XAxis
          dataKey="t"
          tickFormatter={(t: number) => tickTime(new Date(t))}
          minTickGap={24}
          {...AXIS_STYLE}
        />
        <YAxis allowDecimals={false} width={48} {...AXIS_STYLE} />
        <Tooltip
          labelFormatter={(t) => tipTime(new Date(Number(t)))}
          formatter={(value, name) => [formatCount(Number(value)), label(String(name))]}
          {...TOOLTIP_STYLE}
        />
        <Legend formatter={(value) => <span className="text-foreground">{label(String(value))}</span>} />
        {series.map((s, i) => (
          <Bar
            key={s.prefix}
            dataKey={s.prefix}
            stackId="requests"
            fill={colors[i]}
            {...stackedBar(i === series.length - 1)}
          />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}
