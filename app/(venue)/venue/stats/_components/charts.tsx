'use client';

import { Bar, BarChart, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

// Leaf client components: recharts draws only in the browser. Each chart has a text alternative (a
// table) next to it on the page; the SVG itself is hidden from screen readers.

export function HourlyChart({
  data,
  labels,
}: {
  data: { hour: number; count: number; lastWeek: number }[];
  labels: { today: string; lastWeek: string };
}) {
  return (
    <div aria-hidden className="h-64 w-full" data-testid="chart-hourly">
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart accessibilityLayer={false} data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e5e9ef" />
          <XAxis dataKey="hour" tickFormatter={(h) => `${h}`} interval={2} fontSize={12} />
          <YAxis allowDecimals={false} fontSize={12} />
          <Tooltip />
          <Legend />
          <Bar dataKey="count" name={labels.today} fill="#1f6fe5" isAnimationActive={false} />
          <Line dataKey="lastWeek" name={labels.lastWeek} stroke="#f59f00" strokeWidth={2} dot={false} isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}

export function DailyChart({
  data,
  labels,
}: {
  data: { day: string; checkins: number; fevers: number }[];
  labels: { checkins: string; fevers: string };
}) {
  return (
    <div aria-hidden className="h-64 w-full" data-testid="chart-daily">
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart accessibilityLayer={false} data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e5e9ef" />
          <XAxis dataKey="day" tickFormatter={(d: string) => d.slice(5)} fontSize={12} minTickGap={16} />
          <YAxis yAxisId="left" allowDecimals={false} fontSize={12} />
          <YAxis yAxisId="right" orientation="right" allowDecimals={false} fontSize={12} />
          <Tooltip />
          <Legend />
          <Bar yAxisId="left" dataKey="checkins" name={labels.checkins} fill="#1f6fe5" isAnimationActive={false} />
          <Line
            yAxisId="right"
            dataKey="fevers"
            name={labels.fevers}
            stroke="#c62828"
            strokeWidth={2}
            dot={false}
            isAnimationActive={false}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}

export function SlicesChart({ data, testId, colour }: { data: { label: string; value: number }[]; testId: string; colour: string }) {
  return (
    <div aria-hidden className="h-56 w-full" data-testid={testId}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart accessibilityLayer={false} data={data} layout="vertical" margin={{ top: 4, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e5e9ef" horizontal={false} />
          <XAxis type="number" allowDecimals={false} fontSize={12} />
          <YAxis type="category" dataKey="label" width={56} fontSize={12} />
          <Bar dataKey="value" fill={colour} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
