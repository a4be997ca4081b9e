"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { Usage } from "@/lib/api/contract/billing.schema";
import {
  AXIS_STYLE,
  CHART_MARGIN,
  SERIES_COLORS,
  stackedBar,
  TOOLTIP_STYLE,
} from "@/components/common/chart-style";
import { dateTimeFormat, formatCredits } from "@/lib/format";

const monthDay = dateTimeFormat({ month: "short", day: "numeric" });
const shortDate = (iso: string) => monthDay(`${iso}T00:00:00Z`, "UTC");

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
      <BarChart data={data} margin={CHART_MARGIN}>
        <CartesianGrid vertical={false} stroke="var(--border)" />
        <XAxis dataKey="date" tickFormatter={shortDate} minTickGap={24} {...AXIS_STYLE} />
        <YAxis allowDecimals={false} width={48} {...AXIS_STYLE} />
        <Tooltip
          labelFormatter={(label) => shortDate(String(label))}
          formatter={(value, name) => [
            formatCredits(Number(value)),
            products.find((p) => p.id === name)?.name ?? name,
          ]}
          {...TOOLTIP_STYLE}
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
            {...stackedBar(i === products.length - 1)}
          />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}
