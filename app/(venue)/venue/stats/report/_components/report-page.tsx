import { getTranslations } from 'next-intl/server';
import type { ReportDay } from '@/lib/stats/daily-report';
import { formatChinaDateTime } from '@/lib/time';
import { HourlyBars } from './hourly-bars';

const th = 'py-1 pr-2 text-left font-medium text-muted';
const td = 'py-1 pr-2 tabular-nums';
/** 'HH:mm' (CST) of an ISO instant. */
const clock = (iso: string) => formatChinaDateTime(new Date(iso)).slice(11);

/** One A4 sheet of the daily report: the day's numbers with the dashboard's names and definitions. */
export async function ReportPage(props: { venueName: string; generatedAt: string; day: ReportDay; page: number; pages: number }) {
  const { day } = props;
  const [t, n, s, a] = await Promise.all([
    getTranslations('reports'),
    getTranslations('numbers'),
    getTranslations('stats'),
    getTranslations('retention'),
  ]);
  const totals = [
    ['checkins', n('checkins'), day.total.checkins],
    ['visitors', n('visitors'), day.total.visitors],
    ['fevers', n('fevers'), day.total.fevers],
    ['fever-persons', n('feverPersons'), day.total.feverPersons],
    ['reds', s('reds'), day.total.reds],
  ] as const;
  const entranceName = (e: ReportDay['entrances']['rows'][number]) => {
    const name = e.name ?? n('mainEntrance');
    return e.removed ? n('removedEntrance', { name }) : name;
  };
  return (
    <article
      className="report-sheet space-y-4 rounded-2xl border border-line bg-white p-5 text-sm shadow-sm"
      data-testid="report-page"
      data-day={day.day}
      aria-label={t('date', { day: day.day })}
    >
      <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1 border-b-2 border-ink pb-2">
        <h1 className="text-xl font-bold">{t('heading', { venue: props.venueName })}</h1>
        <p className="text-base font-semibold tabular-nums">{t('date', { day: day.day })}</p>
        <p className="w-full text-xs text-muted tabular-nums">
          {t('generatedAt', { time: formatChinaDateTime(new Date(props.generatedAt)) })}
        </p>
      </div>

      <section aria-labelledby={`totals-${day.day}`}>
        <h2 id={`totals-${day.day}`} className="mb-1 font-semibold">
          {t('totals')}
        </h2>
        <dl className="grid grid-cols-2 gap-2 sm:grid-cols-5 print:grid-cols-5">
          {totals.map(([key, label, value]) => (
            <div key={key} className="rounded-lg border border-line px-3 py-2" data-testid={`report-${key}`}>
              <dt className="text-xs text-muted">{label}</dt>
              <dd className="text-2xl font-bold tabular-nums">{value}</dd>
            </div>
          ))}
        </dl>
      </section>

      <div className="grid gap-4 sm:grid-cols-2 print:grid-cols-2">
        <section>
          <h2 className="mb-1 font-semibold">{n('entrancesTitle')}</h2>
          <table className="w-full" data-testid="report-entrances">
            <thead>
              <tr>
                <th className={th}>{n('entrance')}</th>
                <th className={`${th} text-right`}>{n('checkins')}</th>
                <th className={`${th} text-right`}>{n('fevers')}</th>
              </tr>
            </thead>
            <tbody>
              {day.entrances.rows.map((e) => (
                <tr key={e.id} className="border-t border-line">
                  <td className={td}>{entranceName(e)}</td>
                  <td className={`${td} text-right`}>{e.checkins}</td>
                  <td className={`${td} text-right`}>{e.fevers}</td>
                </tr>
              ))}
              {day.entrances.beforeEntrances && (
                <tr className="border-t border-line text-muted">
                  <td className={td}>{n('beforeEntrances')}</td>
                  <td className={`${td} text-right`}>{day.entrances.beforeEntrances.checkins}</td>
                  <td className={`${td} text-right`}>{day.entrances.beforeEntrances.fevers}</td>
                </tr>
              )}
              <tr className="border-t-2 border-line font-semibold">
                <td className={td}>{n('entrancesTotal')}</td>
                <td className={`${td} text-right`}>{day.total.checkins}</td>
                <td className={`${td} text-right`}>{day.total.fevers}</td>
              </tr>
            </tbody>
          </table>
        </section>
        <section>
          <h2 className="mb-1 font-semibold">{s('checkersTitle')}</h2>
          {day.checkers.length === 0 ? (
            <p className="text-muted">{t('noCheckers')}</p>
          ) : (
            <table className="w-full" data-testid="report-checkers">
              <thead>
                <tr>
                  <th className={th}>{s('checker')}</th>
                  <th className={`${th} text-right`}>{n('checkins')}</th>
                  <th className={`${th} text-right`}>{n('fevers')}</th>
                </tr>
              </thead>
              <tbody>
                {day.checkers.map((c) => (
                  <tr key={c.checkerAccountId} className="border-t border-line">
                    <td className={td}>{c.displayName}</td>
                    <td className={`${td} text-right`}>{c.records}</td>
                    <td className={`${td} text-right`}>{c.fevers}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>

      <section aria-labelledby={`hourly-${day.day}`}>
        <h2 id={`hourly-${day.day}`} className="mb-1 font-semibold">
          {t('hourly')} <span className="text-xs font-normal text-muted">{t('hourlyCaption')}</span>
        </h2>
        <HourlyBars hours={day.hourly} label={t('hourlyCaption')} hourLabel={s('hour')} />
      </section>

      <section aria-labelledby={`fevers-${day.day}`}>
        <h2 id={`fevers-${day.day}`} className="font-semibold">
          {t('fevers')}
        </h2>
        <p className="mb-1 text-xs text-muted">{t('feverCounts', { standing: day.fevers.standing, corrected: day.fevers.corrected })}</p>
        {day.fevers.rows.length === 0 ? (
          <p className="text-muted">{s('noFevers')}</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full min-w-[34rem]" data-testid="report-fever-list">
              <thead>
                <tr>
                  <th className={th}>{s('time')}</th>
                  <th className={th}>{s('nameCol')}</th>
                  <th className={th}>{s('genderCol')}</th>
                  <th className={th}>{s('ageCol')}</th>
                  <th className={th}>{s('temp')}</th>
                  <th className={th}>{s('checker')}</th>
                  <th className={th}>{t('remeasuredCol')}</th>
                </tr>
              </thead>
              <tbody>
                {day.fevers.rows.map((f) => (
                  <tr key={f.id} className={f.kind === 'corrected' ? 'border-t border-line text-muted' : 'border-t border-line'}>
                    <td className={td}>{clock(f.at)}</td>
                    <td className={td}>{f.nameMasked ?? a('anonymised')}</td>
                    <td className={td}>{f.gender === 'M' ? s('male') : s('female')}</td>
                    <td className={td}>{f.ageBand}</td>
                    <td className={`${td} font-semibold ${f.kind === 'corrected' ? '' : 'text-danger'}`}>{f.temperature}°C</td>
                    <td className={td}>{f.checker}</td>
                    <td className={td}>
                      {f.corrected === null
                        ? t('remeasuredNo')
                        : f.corrected.temperature === null
                          ? t('remeasuredQuick', { time: clock(f.corrected.at) })
                          : t('remeasuredAt', { temp: `${f.corrected.temperature}°C`, time: clock(f.corrected.at) })}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {day.fevers.more > 0 && <p className="mt-1 text-xs text-muted">{t('moreFevers', { count: day.fevers.more })}</p>}
      </section>

      <footer className="space-y-1 border-t border-line pt-2 text-xs text-muted">
        <p>
          <span className="font-medium text-ink">{n('definitionsTitle')}：</span>
          {n('definitions')}
        </p>
        <p className="flex flex-wrap justify-between gap-2">
          <span>{t('privacy')}</span>
          <span className="tabular-nums">{t('pageOf', { page: props.page, total: props.pages })}</span>
        </p>
      </footer>
    </article>
  );
}
