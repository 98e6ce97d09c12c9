/**
 * 分时段人流 as static HTML that prints as it shows (no chart library, nothing drawn after hydration):
 * two rows of twelve hours, a bar scaled to the day's busiest hour over each count.
 */
export function HourlyBars({ hours, label, hourLabel }: { hours: number[]; label: string; hourLabel: string }) {
  const max = Math.max(1, ...hours);
  return (
    <table className="w-full table-fixed border-collapse text-center text-xs tabular-nums" data-testid="report-hourly" aria-label={label}>
      {[0, 12].map((start) => (
        <tbody key={start}>
          <tr aria-hidden>
            {hours.slice(start, start + 12).map((count, i) => (
              <td key={i} className="h-10 px-px align-bottom">
                <div className="mx-auto w-3/5 rounded-t-sm bg-brand-500" style={{ height: `${Math.round((count / max) * 40)}px` }} />
              </td>
            ))}
          </tr>
          <tr>
            {hours.slice(start, start + 12).map((count, i) => (
              <td key={i} className="border-t border-line font-semibold">
                {count}
              </td>
            ))}
          </tr>
          <tr className="text-muted">
            {hours.slice(start, start + 12).map((_, i) => (
              <th key={i} scope="col" className="pb-2 font-normal" title={hourLabel}>
                {String(start + i).padStart(2, '0')}
              </th>
            ))}
          </tr>
        </tbody>
      ))}
    </table>
  );
}
