import { getTranslations } from 'next-intl/server';
import { getDb } from '@/db';
import { refuse, route } from '@/lib/http/route';
import { toCsv } from '@/lib/stats/csv';
import { statsExportQuery } from '@/lib/stats/stats-query';
import { formatChinaDateTime } from '@/lib/time';
import { allFeversOfMyVenue, venueDashboard } from '@/lib/stats/venue-dashboard';

/**
 * CSV of the admin's own venue: daily or hourly counts, or the fever list — masked as on screen. A query
 * that names no real day in range is 400 `invalid` (lib/stats/stats-query.ts), before anything is read.
 */
export const GET = route({ auth: 'session', query: statsExportQuery }, async ({ user, query }) => {
  const { kind } = query;
  const db = await getDb();
  const [t, n] = await Promise.all([getTranslations('stats'), getTranslations('numbers')]);
  let rows: (string | number | null)[][];
  let name: string;
  if (kind === 'fevers') {
    const fevers = await allFeversOfMyVenue(db, user);
    if (!fevers) return refuse('not_admin');
    name = 'fevers';
    rows = [
      [n('feverKindCol'), t('time'), t('checker'), t('temp'), t('colour'), t('genderCol'), t('ageCol'), t('nameCol'), t('correctedCol')],
      ...fevers.rows.map((f) => [
        f.kind === 'corrected' ? n('feversCorrected') : n('fevers'),
        formatChinaDateTime(new Date(f.at)),
        f.checker,
        f.temperature,
        f.colour,
        f.gender,
        f.ageBand,
        f.nameMasked,
        f.corrected ? `${f.corrected.temperature ?? t('quickNormal')} ${formatChinaDateTime(new Date(f.corrected.at))}` : '',
      ]),
    ];
  } else {
    const data = await venueDashboard(db, user, { from: query.from, to: query.to, day: query.day });
    if (!data) return refuse('not_admin');
    name = kind === 'hourly' ? `hourly-${data.day}` : `${kind}-${data.from}-${data.to}`;
    rows =
      kind === 'daily'
        ? [
            [t('date'), n('checkins'), n('visitors'), n('fevers'), n('feverPersons'), t('reds')],
            ...data.daily.map((d) => [d.day, d.checkins, d.visitors, d.fevers, d.feverPersons, d.reds]),
            [n('entrancesTotal'), data.rangeTotal.checkins, `${data.rangeVisitorDays} ${n('visitorDays')}`, data.rangeTotal.fevers, '', ''],
          ]
        : kind === 'entrances'
          ? [
              [n('entrance'), n('checkins'), n('fevers')],
              ...data.entrances.rows.map((e) => {
                const name = e.name ?? n('mainEntrance');
                return [e.removed ? n('removedEntrance', { name }) : name, e.checkins, e.fevers];
              }),
              ...(data.entrances.beforeEntrances
                ? [[n('beforeEntrances'), data.entrances.beforeEntrances.checkins, data.entrances.beforeEntrances.fevers]]
                : []),
              [n('entrancesTotal'), data.rangeTotal.checkins, data.rangeTotal.fevers],
            ]
          : [
              [t('hour'), t('hourlyToday'), t('hourlyLastWeek')],
              ...data.hourly.map((h) => [`${String(h.hour).padStart(2, '0')}:00`, h.count, h.lastWeek]),
            ];
  }
  const filename = `${name}.csv`;
  return new Response(toCsv(rows), {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${filename}"`,
      'cache-control': 'private, no-store',
    },
  });
});
