import { getTranslations } from 'next-intl/server';
import { getDb } from '@/db';
import { getCurrentUser } from '@/lib/auth/require-user';
import { toCsv } from '@/lib/stats/csv';
import { formatChinaDateTime } from '@/lib/time';
import { allFeversOfMyVenue, venueDashboard } from '@/lib/stats/venue-dashboard';

/** CSV of the admin's own venue: daily or hourly counts, or the fever list — masked as on screen. */
export async function GET(req: Request) {
  const user = await getCurrentUser();
  if (!user) return Response.json({ error: 'unauthenticated' }, { status: 401 });
  const q = new URL(req.url).searchParams;
  const kind = q.get('kind');
  if (kind !== 'daily' && kind !== 'hourly' && kind !== 'fevers') return Response.json({ error: 'invalid' }, { status: 400 });
  const db = await getDb();
  const t = await getTranslations('stats');
  let rows: (string | number | null)[][];
  let name: string;
  if (kind === 'fevers') {
    const fevers = await allFeversOfMyVenue(db, user);
    if (!fevers) return Response.json({ error: 'not_admin' }, { status: 403 });
    name = 'fevers';
    rows = [
      [t('time'), t('checker'), t('temp'), t('colour'), t('genderCol'), t('ageCol'), t('nameCol'), t('correctedCol')],
      ...fevers.rows.map((f) => [formatChinaDateTime(new Date(f.at)), f.checker, f.temperature, f.colour, f.gender, f.ageBand, f.nameMasked, f.corrected ? `${f.corrected.temperature ?? t('quickNormal')} ${formatChinaDateTime(new Date(f.corrected.at))}` : '']),
    ];
  } else {
    const data = await venueDashboard(db, user, { from: q.get('from') ?? undefined, to: q.get('to') ?? undefined, day: q.get('day') ?? undefined });
    if (!data) return Response.json({ error: 'not_admin' }, { status: 403 });
    name = kind === 'daily' ? `daily-${data.from}-${data.to}` : `hourly-${data.day}`;
    rows =
      kind === 'daily'
        ? [[t('date'), t('checkins'), t('visitors'), t('fevers'), t('reds')], ...data.daily.map((d) => [d.day, d.checkins, d.visitors, d.fevers, d.reds])]
        : [[t('hour'), t('hourlyToday'), t('hourlyLastWeek')], ...data.hourly.map((h) => [`${String(h.hour).padStart(2, '0')}:00`, h.count, h.lastWeek])];
  }
  const filename = `${name}.csv`;
  return new Response(toCsv(rows), {
    headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${filename}"`, 'cache-control': 'private, no-store' },
  });
}
