import { ArrowLeft } from 'lucide-react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { buttonVariants } from '@/components/ui/button';
import { getDb } from '@/db';
import { requireUser } from '@/lib/auth/require-user';
import { dailyReportOfMyVenue } from '@/lib/stats/daily-report';
import { statsVenueOf } from '@/lib/stats/venue-dashboard';
import { statsReportQuery } from '@/lib/stats/stats-query';
import { chinaDateOf } from '@/lib/time';
import { isUuid } from '@/lib/utils/uuid';
import { PrintButton } from '../../poster/print-button';
import { ReportPage } from './_components/report-page';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('reports'))('title') };
}

// A4 portrait, one sheet per day (the app's header and tabs are `no-print`; app/globals.css drops the frame).
const PRINT_CSS = `
@page { size: A4 portrait; margin: 12mm; }
@media print {
  html, body { background: white !important; }
  .report-sheet { break-after: page; margin: 0 !important; padding: 0 !important; border: 0 !important; box-shadow: none !important; border-radius: 0 !important; }
  .report-sheet:last-child { break-after: auto; }
  .report-sheet, .report-sheet * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}`;

/**
 * 数据日报 (issue #18): the venue's numbers of one China day per A4 page, at most a week, for the venue's
 * current admin only; every opening is audited (lib/stats/daily-report.ts). Bad days: a message, nothing read.
 */
export default async function DailyReportPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser('/venue/stats/report');
  const db = await getDb();
  const search = await searchParams;
  // One of the admin's closed venues by id (SPEC L3); a malformed id reads as none.
  const venueId = isUuid(search.venue) ? search.venue : undefined;
  // Refused first, as 数据统计 refuses: not a venue admin (of that venue) → 我的场所.
  if (!(await statsVenueOf(db, user, venueId))) redirect('/venue');
  const [t, ts] = await Promise.all([getTranslations('reports'), getTranslations('stats')]);
  const parsed = statsReportQuery.safeParse(search);
  const today = chinaDateOf(new Date());
  const range = parsed.success ? { from: parsed.data.from ?? today, to: parsed.data.to ?? today, venueId } : null;
  const problem = parsed.success ? null : parsed.error.issues.some((i) => i.message === 'too_long') ? t('tooLong') : t('badDay');
  const report = range ? await dailyReportOfMyVenue(db, user, range) : null;
  if (range && !report) redirect('/venue');

  return (
    <div className="mx-auto max-w-[210mm] space-y-4">
      <style>{PRINT_CSS}</style>
      <div className="no-print space-y-3 rounded-2xl border border-line bg-white p-4 shadow-sm" data-testid="report-toolbar">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <Link
            href={venueId ? `/venue/stats?venue=${venueId}` : '/venue/stats'}
            className={buttonVariants({ variant: 'ghost', size: 'sm' })}
          >
            <ArrowLeft aria-hidden size={16} />
            {t('back')}
          </Link>
          {report && <PrintButton label={t('print')} />}
        </div>
        <form action="/venue/stats/report" className="flex flex-wrap items-end gap-2 text-sm">
          {venueId && <input type="hidden" name="venue" value={venueId} />}
          <fieldset className="flex flex-wrap items-end gap-2">
            <legend className="mb-1 font-medium">
              {t('days')} <span className="font-normal text-muted">{t('daysHint')}</span>
            </legend>
            {(['from', 'to'] as const).map((key) => (
              <label key={key} className="flex flex-col">
                {ts(key)}
                <input
                  type="date"
                  name={key}
                  defaultValue={range?.[key] ?? today}
                  min="2020-01-01"
                  className="h-10 rounded-lg border border-line px-2"
                />
              </label>
            ))}
          </fieldset>
          <button type="submit" className={buttonVariants({ variant: 'secondary', size: 'sm' })}>
            {t('show')}
          </button>
        </form>
      </div>
      {problem && (
        <p role="alert" className="rounded-xl bg-danger-bg px-3 py-2 text-danger" data-testid="report-error">
          {problem}
        </p>
      )}
      {report && (
        <div className="space-y-6 print:space-y-0">
          {report.days.map((day, i) => (
            <ReportPage
              key={day.day}
              venueName={report.venue.name}
              generatedAt={report.generatedAt}
              day={day}
              page={i + 1}
              pages={report.days.length}
            />
          ))}
        </div>
      )}
    </div>
  );
}
