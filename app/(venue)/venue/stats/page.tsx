import { Download, Printer, TriangleAlert } from 'lucide-react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { getFormatter, getTranslations } from 'next-intl/server';
import { buttonVariants } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { getDb } from '@/db';
import { requireUser } from '@/lib/auth/require-user';
import { statsPageQuery } from '@/lib/stats/stats-query';
import { RANGES, venueDashboard, FEVER_PAGE_SIZE } from '@/lib/stats/venue-dashboard';
import { cn } from '@/lib/utils/cn';
import { ClosedVenueBanner } from '../_components/closed-venue-banner';
import { VenueTabs } from '../_components/venue-tabs';
import { DailyChart, HourlyChart, SlicesChart } from './_components/charts';
import { EntranceTable } from './_components/entrance-table';
import { StatsLive } from './_components/stats-live';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('stats'))('title') };
}

type Search = { venue?: string; day?: string; range?: string; from?: string; to?: string; fp?: string; fs?: string; fk?: string };

/** My Venue → Statistics (V5): exact numbers from the rollups, masked people, charts with tables. */
export default async function StatsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser('/venue/stats');
  // A query the page cannot show (no such day, out of range, a page that is not a number): the default
  // view, with a notice, rather than an error page.
  const parsed = statsPageQuery.safeParse(await searchParams);
  const query = parsed.success ? parsed.data : {};
  const q: Search = parsed.success
    ? {
        venue: query.venue,
        day: query.day,
        range: query.range?.toString(),
        from: query.from,
        to: query.to,
        fp: query.fp?.toString(),
        fs: query.fs,
        fk: query.fk,
      }
    : {};
  const data = await venueDashboard(await getDb(), user, {
    venueId: query.venue,
    day: query.day,
    rangeDays: query.range,
    from: query.from,
    to: query.to,
    feverPage: query.fp ?? 0,
    feverScope: query.fs ?? 'today',
    feverKind: query.fk ?? 'standing',
  });
  if (!data) redirect('/venue');
  const [t, n, th, r, a, format] = await Promise.all([
    getTranslations('stats'),
    getTranslations('numbers'),
    getTranslations('healthCode'),
    getTranslations('reports'),
    getTranslations('retention'),
    getFormatter(),
  ]);
  const link = (patch: Partial<Search>) =>
    `/venue/stats?${new URLSearchParams(Object.entries({ ...q, ...patch }).filter(([, v]) => v !== undefined && v !== '') as [string, string][])}`;
  // A closed venue is named by id on every link (the admin's open venue is another one, or none).
  const venueParam = q.venue ? `&venue=${q.venue}` : '';
  const g = data.glance;
  // One meaning per number (lib/stats/definitions.ts): the same names on the cards, charts, tables and CSV.
  const cards = [
    { key: 'checkins', label: n('checkins'), value: g.today.checkins, prev: g.yesterday.checkins },
    { key: 'visitors', label: n('visitors'), value: g.today.visitors, prev: g.yesterday.visitors },
    { key: 'fevers', label: n('fevers'), value: g.today.fevers, prev: g.yesterday.fevers, alert: g.today.fevers > 0 },
    {
      key: 'fever-persons',
      label: n('feverPersons'),
      value: g.today.feverPersons,
      prev: g.yesterday.feverPersons,
      alert: g.today.feverPersons > 0,
    },
    { key: 'reds', label: t('reds'), value: g.today.reds, prev: g.yesterday.reds, alert: g.today.reds > 0 },
  ];
  const sliceLabel = (key: string) => (key === 'M' ? t('male') : key === 'F' ? t('female') : key);
  const shown = (v: number | null) => (v === null ? t('lessThan5') : String(v));
  const time = (iso: string) =>
    format.dateTime(new Date(iso), { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });

  return (
    <div className="mx-auto max-w-5xl space-y-4">
      <h1 className="text-2xl font-semibold">
        {t('title')} · {data.venue.name}
      </h1>
      {data.venue.closedAt ? <ClosedVenueBanner closedAt={data.venue.closedAt} /> : <VenueTabs current="stats" />}
      {!parsed.success && (
        <p role="status" className="rounded-xl bg-brand-50 px-3 py-2 text-sm text-brand-700" data-testid="stats-query-notice">
          {t('badQuery')}
        </p>
      )}
      {!data.venue.closedAt && <StatsLive venueId={data.venue.id} />}

      <section aria-labelledby="glance">
        <h2 id="glance" className="mb-2 text-lg font-semibold">
          {t('glance')}
        </h2>
        <ul className="grid grid-cols-2 gap-3 md:grid-cols-6">
          {cards.map((c) => (
            <li
              key={c.key}
              className={cn('rounded-2xl bg-white p-4 shadow-sm', c.alert && 'ring-2 ring-danger')}
              data-testid={`glance-${c.key}`}
            >
              <p className="text-sm text-muted">{c.label}</p>
              <p className={cn('text-3xl font-bold tabular-nums', c.alert && 'text-danger')}>{c.value}</p>
              <p className="text-sm text-muted">{t('yesterday', { value: c.prev })}</p>
            </li>
          ))}
          <li className="rounded-2xl bg-white p-4 shadow-sm" data-testid="glance-fevers-total">
            <p className="text-sm text-muted">{n('feversTotal')}</p>
            <p className="text-3xl font-bold tabular-nums">{g.feversTotal}</p>
          </li>
        </ul>
        <details className="mt-2 text-sm text-muted">
          <summary className="cursor-pointer text-brand-600">{n('definitionsTitle')}</summary>
          <p className="mt-1">{n('definitions')}</p>
        </details>
      </section>

      <Card>
        <h2 className="font-semibold">{t('hourly', { day: data.day })}</h2>
        <HourlyChart data={data.hourly} labels={{ today: t('hourlyToday'), lastWeek: t('hourlyLastWeek') }} />
        <details className="mt-2">
          <summary className="cursor-pointer text-brand-600">{t('showTable')}</summary>
          <table className="mt-2 w-full text-sm" data-testid="table-hourly">
            <thead>
              <tr className="text-left text-muted">
                <th className="py-1">{t('hour')}</th>
                <th>{t('hourlyToday')}</th>
                <th>{t('hourlyLastWeek')}</th>
              </tr>
            </thead>
            <tbody>
              {data.hourly.map((h) => (
                <tr key={h.hour} className="border-t border-line tabular-nums">
                  <td className="py-1">{`${String(h.hour).padStart(2, '0')}:00`}</td>
                  <td>{h.count}</td>
                  <td>{h.lastWeek}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </Card>

      <Card>
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 className="font-semibold">{t('daily')}</h2>
          <nav className="flex gap-1" aria-label={t('daily')}>
            {RANGES.map((n) => (
              <Link
                key={n}
                href={link({ range: String(n), from: undefined, to: undefined })}
                aria-current={data.rangeDays === n && !q.from ? 'page' : undefined}
                className={cn(
                  'rounded-lg px-3 py-1.5 text-sm',
                  data.rangeDays === n && !q.from ? 'bg-brand-600 text-white' : 'bg-brand-50 text-brand-700',
                )}
              >
                {t('days', { n })}
              </Link>
            ))}
          </nav>
        </div>
        <form className="mt-2 flex flex-wrap items-end gap-2 text-sm" action="/venue/stats">
          {q.venue && <input type="hidden" name="venue" value={q.venue} />}
          <label className="flex flex-col">
            {t('from')}
            <input type="date" name="from" defaultValue={data.from} className="h-10 rounded-lg border border-line px-2" />
          </label>
          <label className="flex flex-col">
            {t('to')}
            <input type="date" name="to" defaultValue={data.to} className="h-10 rounded-lg border border-line px-2" />
          </label>
          <button type="submit" className={buttonVariants({ variant: 'secondary', size: 'sm' })}>
            {t('apply')}
          </button>
        </form>
        <dl className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-sm" data-testid="range-summary" aria-label={n('rangeTotal')}>
          <dt className="text-muted">{n('rangeTotal')}</dt>
          {(
            [
              ['checkins', data.rangeTotal.checkins],
              ['visitorDays', data.rangeVisitorDays],
              ['fevers', data.rangeTotal.fevers],
            ] as const
          ).map(([key, value]) => (
            <dd key={key} className="whitespace-nowrap" data-testid={`range-${key}`}>
              {n(key)} <span className="font-semibold tabular-nums">{value}</span>
            </dd>
          ))}
        </dl>
        <DailyChart data={data.daily} labels={{ checkins: n('checkins'), fevers: n('fevers') }} />
        <details className="mt-2">
          <summary className="cursor-pointer text-brand-600">{t('showTable')}</summary>
          <table className="mt-2 w-full text-sm" data-testid="table-daily">
            <thead>
              <tr className="text-left text-muted">
                <th className="py-1">{t('date')}</th>
                <th>{n('checkins')}</th>
                <th>{n('visitors')}</th>
                <th>{n('fevers')}</th>
                <th>{n('feverPersons')}</th>
                <th>{t('reds')}</th>
              </tr>
            </thead>
            <tbody>
              {data.daily.map((d) => (
                <tr key={d.day} className="border-t border-line tabular-nums">
                  <td className="py-1">{d.day}</td>
                  <td>{d.checkins}</td>
                  <td>{d.visitors}</td>
                  <td>{d.fevers}</td>
                  <td>{d.feverPersons}</td>
                  <td>{d.reds}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </Card>

      <div className="grid gap-4 md:grid-cols-2">
        {(
          [
            ['gender', data.gender, '#1f6fe5'],
            ['ages', data.ages, '#0a7440'],
          ] as const
        ).map(([key, slices, colour]) => (
          <Card key={key}>
            <h2 className="font-semibold">{t(key)}</h2>
            {slices.some((s) => s.value !== null && s.value > 0) ? (
              <SlicesChart
                testId={`chart-${key}`}
                colour={colour}
                data={slices.map((s) => ({ label: sliceLabel(s.key), value: s.value ?? 0 }))}
              />
            ) : (
              // Every group hidden (fewer than 5) or none at all: words, not empty axes.
              <p className="flex h-24 items-center justify-center rounded-xl bg-brand-50 text-muted" data-testid={`suppressed-${key}`}>
                {slices.some((s) => s.suppressed) ? n('suppressed') : n('noData')}
              </p>
            )}
            <table className="w-full text-sm" data-testid={`table-${key}`}>
              <tbody>
                {slices.map((s) => (
                  <tr key={s.key} className="border-t border-line tabular-nums">
                    <th scope="row" className="py-1 text-left font-normal">
                      {sliceLabel(s.key)}
                    </th>
                    <td className="text-right">{shown(s.value)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Card>
        ))}
      </div>
      <p className="text-sm text-muted">{n('demoNote')}</p>

      <EntranceTable entrances={data.entrances} total={data.rangeTotal} />

      <Card>
        <h2 className="mb-2 font-semibold">{t('checkersTitle')}</h2>
        <table className="w-full text-sm" data-testid="table-checkers">
          <thead>
            {/* Grouped headers: the same two numbers, 检测人次 and 发热人次, today and in total. */}
            <tr className="text-left text-muted">
              <th rowSpan={2} className="py-1 pr-3 align-bottom">
                {t('checker')}
              </th>
              <th colSpan={2} scope="colgroup" className="border-b border-line pr-3">
                {t('today')}
              </th>
              <th colSpan={2} scope="colgroup" className="border-b border-line pr-3">
                {t('total')}
              </th>
            </tr>
            <tr className="text-left text-muted">
              {[0, 1].flatMap((i) => [
                <th key={`c${i}`} scope="col" className="py-1 pr-3 font-medium">
                  {n('checkins')}
                </th>,
                <th key={`f${i}`} scope="col" className="pr-3 font-medium">
                  {n('fevers')}
                </th>,
              ])}
            </tr>
          </thead>
          <tbody>
            {data.checkers.map((c) => (
              <tr key={c.checkerAccountId} className="border-t border-line tabular-nums">
                <td className="py-1 pr-3">{c.displayName}</td>
                <td>{c.recordsToday}</td>
                <td>{c.feversToday}</td>
                <td>{c.records}</td>
                <td>{c.fevers}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>

      <Card>
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 id="fevers" className="scroll-mt-20 font-semibold">
            {t('feverList')}
          </h2>
          <nav className="flex gap-1" aria-label={n('feversCorrected')}>
            {(['standing', 'corrected'] as const).map((k) => (
              <Link
                key={k}
                href={link({ fk: k === 'standing' ? undefined : k, fp: undefined })}
                aria-current={data.fevers.kind === k ? 'page' : undefined}
                data-testid={`fever-kind-${k}`}
                className={cn(
                  'rounded-lg px-3 py-1.5 text-sm',
                  data.fevers.kind === k ? 'bg-brand-600 text-white' : 'bg-brand-50 text-brand-700',
                )}
              >
                {k === 'standing'
                  ? n('feverStandingTab', { count: data.fevers.standing })
                  : n('feverCorrectedTab', { count: data.fevers.corrected })}
              </Link>
            ))}
          </nav>
          <nav className="flex gap-1" aria-label={t('feverList')}>
            {(['today', 'all'] as const).map((s) => (
              <Link
                key={s}
                href={link({ fs: s, fp: undefined })}
                aria-current={data.fevers.scope === s ? 'page' : undefined}
                className={cn(
                  'rounded-lg px-3 py-1.5 text-sm',
                  data.fevers.scope === s ? 'bg-brand-600 text-white' : 'bg-brand-50 text-brand-700',
                )}
              >
                {s === 'today' ? t('feverToday') : t('feverAll')}
              </Link>
            ))}
          </nav>
        </div>
        {data.fevers.rows.length === 0 ? (
          <p className="mt-2 text-muted">{data.fevers.kind === 'corrected' ? n('noCorrected') : t('noFevers')}</p>
        ) : (
          <ul className="mt-2 divide-y divide-line" data-testid={data.fevers.kind === 'corrected' ? 'fever-list-corrected' : 'fever-list'}>
            {data.fevers.rows.map((f) => (
              <li key={f.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2">
                <TriangleAlert aria-hidden size={18} className={f.corrected ? 'text-muted' : 'text-danger'} />
                <span className={f.nameMasked ? 'font-medium' : 'font-medium text-muted'}>{f.nameMasked ?? a('anonymised')}</span>
                <span className="text-muted">
                  {f.gender === 'M' ? t('male') : t('female')} · {f.ageBand}
                </span>
                <span className="font-semibold text-danger tabular-nums">{f.temperature}°C</span>
                <span className="tabular-nums text-muted">{time(f.at)}</span>
                <span className="text-muted">{f.checker}</span>
                <span className={f.colour === 'red' ? 'font-semibold text-danger' : 'text-ok'}>
                  {f.colour === 'red' ? th('red') : th('green')}
                </span>
                {f.corrected && (
                  <span className="rounded-full bg-brand-50 px-2 text-sm text-brand-700">
                    {f.corrected.temperature === null
                      ? t('correctedQuick', { time: time(f.corrected.at) })
                      : n('correctedBy', { temp: f.corrected.temperature, time: time(f.corrected.at) })}
                  </span>
                )}
              </li>
            ))}
          </ul>
        )}
        <div className="mt-2 flex items-center justify-between text-sm">
          <span className="text-muted">{t('page', { page: data.fevers.page + 1, total: data.fevers.total })}</span>
          <span className="flex gap-2">
            {data.fevers.page > 0 && (
              <Link href={link({ fp: String(data.fevers.page - 1) })} className={buttonVariants({ variant: 'secondary', size: 'sm' })}>
                {t('prev')}
              </Link>
            )}
            {(data.fevers.page + 1) * FEVER_PAGE_SIZE < data.fevers.total && (
              <Link href={link({ fp: String(data.fevers.page + 1) })} className={buttonVariants({ variant: 'secondary', size: 'sm' })}>
                {t('next')}
              </Link>
            )}
          </span>
        </div>
      </Card>

      <Card>
        <h2 className="mb-2 font-semibold">{t('export')}</h2>
        <div className="flex flex-wrap gap-2">
          {/* A plain link, never prefetched: each opening of the report is audited. */}
          <a
            href={`/venue/stats/report?day=${data.day}${venueParam}`}
            className={buttonVariants({ variant: 'primary', size: 'sm' })}
            data-testid="print-report"
          >
            <Printer aria-hidden size={16} />
            {r('printReport')}
          </a>
          {(
            [
              ['daily', t('exportDaily')],
              ['hourly', t('exportHourly')],
              ['fevers', t('exportFevers')],
              ['entrances', n('exportEntrances')],
              ['checkers', r('exportCheckers')],
              ['demographics', r('exportDemographics')],
            ] as const
          ).map(([kind, label]) => (
            <a
              key={kind}
              href={`/venue/stats/export?kind=${kind}&from=${data.from}&to=${data.to}&day=${data.day}${venueParam}`}
              className={buttonVariants({ variant: 'secondary', size: 'sm' })}
              download
            >
              <Download aria-hidden size={16} />
              {label}
            </a>
          ))}
        </div>
      </Card>
    </div>
  );
}
