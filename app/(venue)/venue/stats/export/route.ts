import { getTranslations } from 'next-intl/server';
import { getDb } from '@/db';
import { refuse, route } from '@/lib/http/route';
import { toCsv } from '@/lib/stats/csv';
import { statsExportQuery } from '@/lib/stats/stats-query';
import { formatChinaDateTime } from '@/lib/time';
import { auditStatsExport, type ExportAudit } from '@/lib/stats/stats-audit';
import { allFeversOfMyVenue, checkersOverRangeOfMyVenue, venueDashboard } from '@/lib/stats/venue-dashboard';

/**
 * CSV of the admin's own venue (or, by `venue=<id>`, one of their closed venues, SPEC L3): daily or hourly counts, per entrance, per checker over the range, gender and
 * age groups (small groups suppressed as on screen), or the fever list — masked as on screen. A query that
 * names no real day in range is 400 `invalid` (lib/stats/stats-query.ts), before anything is read. Every
 * file answered has its audit row (`stats.export`) written first; a refusal writes none.
 */
export const GET = route({ auth: 'session', query: statsExportQuery }, async ({ user, query }) => {
  const { kind } = query;
  const db = await getDb();
  const [t, n, r, a] = await Promise.all([
    getTranslations('stats'),
    getTranslations('numbers'),
    getTranslations('reports'),
    getTranslations('retention'),
  ]);
  let rows: (string | number | null)[][];
  let name: string;
  let audit: { venueId: string } & Omit<ExportAudit, 'rows' | 'kind'>;
  if (kind === 'fevers') {
    const fevers = await allFeversOfMyVenue(db, user, query.venue);
    if (!fevers) return refuse('not_admin');
    name = 'fevers';
    // Every fever of the venue, whatever the days asked.
    audit = { venueId: fevers.venue.id, from: null, to: null, day: null };
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
        f.nameMasked ?? a('anonymised'),
        f.corrected ? `${f.corrected.temperature ?? t('quickNormal')} ${formatChinaDateTime(new Date(f.corrected.at))}` : '',
      ]),
    ];
  } else if (kind === 'checkers') {
    const data = await checkersOverRangeOfMyVenue(db, user, { from: query.from, to: query.to, venueId: query.venue });
    if (!data) return refuse('not_admin');
    name = `checkers-${data.from}-${data.to}`;
    audit = { venueId: data.venue.id, from: data.from, to: data.to, day: null };
    const over = (label: string) => r('overRange', { label, from: data.from, to: data.to });
    rows = [[t('checker'), over(n('checkins')), over(n('fevers'))], ...data.rows.map((c) => [c.displayName, c.records, c.fevers])];
  } else {
    const data = await venueDashboard(db, user, { venueId: query.venue, from: query.from, to: query.to, day: query.day });
    if (!data) return refuse('not_admin');
    name = kind === 'hourly' ? `hourly-${data.day}` : `${kind}-${data.from}-${data.to}`;
    audit =
      kind === 'hourly'
        ? { venueId: data.venue.id, from: null, to: null, day: data.day }
        : { venueId: data.venue.id, from: data.from, to: data.to, day: null };
    // A suppressed group is written as the screen's words (lib/stats/suppression.ts), never its number.
    const shown = (v: number | null) => (v === null ? t('lessThan5') : v);
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
          : kind === 'demographics'
            ? [
                [r('groupCol'), r('groupValueCol'), r('visitorDaysOver', { from: data.from, to: data.to })],
                ...data.gender.map((s) => [t('genderCol'), s.key === 'M' ? t('male') : t('female'), shown(s.value)]),
                ...data.ages.map((s) => [t('ageCol'), s.key, shown(s.value)]),
              ]
            : [
                [t('hour'), t('hourlyToday'), t('hourlyLastWeek')],
                ...data.hourly.map((h) => [`${String(h.hour).padStart(2, '0')}:00`, h.count, h.lastWeek]),
              ];
  }
  // The header line is not a row of data.
  await auditStatsExport(db, user, audit.venueId, { kind, from: audit.from, to: audit.to, day: audit.day, rows: rows.length - 1 });
  const filename = `${name}.csv`;
  return new Response(toCsv(rows), {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${filename}"`,
      'cache-control': 'private, no-store',
    },
  });
});
