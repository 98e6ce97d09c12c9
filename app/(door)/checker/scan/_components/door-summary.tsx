'use client';

import { useFormatter, useTranslations } from 'next-intl';
import { cn } from '@/lib/utils/cn';
import type { Summary } from './door-api';

/** What lib/checkin/checker-summary.ts adds to each recent record: is it still counted, and what replaced it. */
type RecentRecord = Summary['recent'][number] & { standing?: boolean; corrected?: { temperature: string | null } | null };

/** The checker's 检测人次 today at this venue (as the dashboard's per-checker table) and the last few records, masked. */
export function DoorSummary({ summary }: { summary: Summary | null }) {
  const t = useTranslations('door');
  const n = useTranslations('numbers');
  const format = useFormatter();
  const recent = (summary?.recent ?? []) as RecentRecord[];
  return (
    <section aria-labelledby="door-summary" className="rounded-2xl bg-white p-4 shadow-sm">
      <div className="flex items-baseline justify-between">
        <h2 id="door-summary" className="font-semibold">
          {n('doorToday')}
        </h2>
        <p className="text-2xl font-bold tabular-nums" data-testid="today-count">
          {n('doorCount', { count: summary?.count ?? 0 })}
        </p>
      </div>
      <h3 className="mt-2 text-sm text-muted">{t('recent')}</h3>
      {recent.length === 0 ? (
        <p className="text-muted">{t('noRecent')}</p>
      ) : (
        <ul className="divide-y divide-line" data-testid="recent-records">
          {recent.map((r) => {
            const replaced = r.standing === false;
            return (
              <li key={r.id} className="flex flex-wrap items-center gap-x-3 py-2" data-standing={replaced ? 'false' : 'true'}>
                <span className={cn('h-3 w-3 shrink-0 rounded-full', r.colour === 'red' ? 'bg-danger' : 'bg-ok')} aria-hidden />
                <span className="flex-1">{r.nameMasked}</span>
                <span className={cn('tabular-nums', r.fever && 'font-semibold text-danger', replaced && 'text-muted line-through')}>
                  {r.temperature ? `${r.temperature}°C` : t('quickMethod')}
                </span>
                <time className="tabular-nums text-sm text-muted">
                  {format.dateTime(new Date(r.at), { hour: '2-digit', minute: '2-digit', hour12: false })}
                </time>
                {replaced && (
                  <span className="basis-full pl-6 text-sm font-medium text-brand-700" data-testid="recent-corrected">
                    {r.corrected
                      ? r.corrected.temperature
                        ? n('doorCorrected', { temp: r.corrected.temperature })
                        : n('doorCorrectedQuick')
                      : n('doorNotCounted')}
                  </span>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
