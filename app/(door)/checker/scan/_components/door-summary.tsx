'use client';

import { useFormatter, useTranslations } from 'next-intl';
import { cn } from '@/lib/utils/cn';
import type { Summary } from './door-api';

/** The checker's running count today at this venue and the last few records, masked. */
export function DoorSummary({ summary }: { summary: Summary | null }) {
  const t = useTranslations('door');
  const format = useFormatter();
  return (
    <section aria-labelledby="door-summary" className="rounded-2xl bg-white p-4 shadow-sm">
      <div className="flex items-baseline justify-between">
        <h2 id="door-summary" className="font-semibold">
          {t('todayCount')}
        </h2>
        <p className="text-2xl font-bold tabular-nums" data-testid="today-count">
          {t('people', { count: summary?.count ?? 0 })}
        </p>
      </div>
      <h3 className="mt-2 text-sm text-muted">{t('recent')}</h3>
      {!summary || summary.recent.length === 0 ? (
        <p className="text-muted">{t('noRecent')}</p>
      ) : (
        <ul className="divide-y divide-line" data-testid="recent-records">
          {summary.recent.map((r) => (
            <li key={r.id} className="flex items-center gap-3 py-2">
              <span className={cn('h-3 w-3 shrink-0 rounded-full', r.colour === 'red' ? 'bg-danger' : 'bg-ok')} aria-hidden />
              <span className="flex-1">{r.nameMasked}</span>
              <span className={cn('tabular-nums', r.fever && 'font-semibold text-danger')}>
                {r.temperature ? `${r.temperature}°C` : t('quickMethod')}
              </span>
              <time className="tabular-nums text-sm text-muted">
                {format.dateTime(new Date(r.at), { hour: '2-digit', minute: '2-digit', hour12: false })}
              </time>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
