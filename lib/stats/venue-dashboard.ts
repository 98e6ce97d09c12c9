import 'server-only';
import type { Db } from '@/db';
import { bindingsOfVenue } from '@/db/queries/checker-bindings';
import { venueOfAdmin } from '@/db/queries/venues';
import { ageBandOn } from '@/lib/checkin/age-band';
import { formatTemperature } from '@/lib/checkin/temperature';
import { addChinaDays, chinaDateOf } from '@/lib/time';
import {
  checkerStats,
  checkerStatsOverDays,
  dailyStats,
  demographics,
  entranceStats,
  feverCounts,
  feverList,
  feverPersonsByDay,
  hourlyStats,
  inSnapshot,
  totalFevers,
  type DayRow,
} from '@/db/queries/stats-dashboard';
import type { FeverKind } from './definitions';
import { isCalendarDay, STATS_RANGES } from './stats-query';
import { suppressSmall } from './suppression';

export const RANGES = STATS_RANGES;
export const AGE_BANDS = ['0-17', '18-29', '30-39', '40-49', '50-59', '60+'] as const;
export const FEVER_PAGE_SIZE = 20;

const sum = <K extends string>(rows: Record<K, number>[], key: K) => rows.reduce((a, r) => a + Number(r[key]), 0);

export type FeverRow = ReturnType<typeof toFeverRow>;

/**
 * What a venue may see of a fever record: masked name, gender, age band — never the birth date. The name is
 * null once the record lost its person (SPEC L4): pages and exports show 已匿名 (retention.anonymised).
 */
export function toFeverRow(f: Awaited<ReturnType<typeof feverList>>[number]) {
  return {
    id: f.id,
    nameMasked: f.nameMasked,
    gender: f.gender,
    // The band stored on the record at the visit; records from before migration 0015 compute it.
    ageBand: f.ageBand ?? (f.birthDate ? ageBandOn(f.birthDate, new Date(f.effectiveAt)) : null),
    temperature: formatTemperature(f.temperatureDeci),
    at: new Date(f.effectiveAt).toISOString(),
    checker: f.checkerName,
    colour: f.colour,
    // A correction by a quick check-in has no number: it means a normal temperature.
    corrected:
      f.correctedAt === null
        ? null
        : { temperature: f.correctedDeci === null ? null : formatTemperature(f.correctedDeci), at: new Date(f.correctedAt).toISOString() },
  };
}

/**
 * The per-entrance table over some days: each entrance's numbers, and apart the records stored before
 * entrances existed (no entrance on the record): the venue total minus the split.
 */
export function entranceSplit(entrances: Awaited<ReturnType<typeof entranceStats>>, total: { checkins: number; fevers: number }) {
  const split = { checkins: sum(entrances, 'checkins'), fevers: sum(entrances, 'fevers') };
  return {
    rows: entrances.map((e) => ({
      id: e.entranceId,
      name: e.name,
      isMain: e.isMain,
      removed: e.removed,
      checkins: e.checkins,
      fevers: e.fevers,
    })),
    beforeEntrances:
      total.checkins > split.checkins || total.fevers > split.fevers
        ? { checkins: total.checkins - split.checkins, fevers: total.fevers - split.fevers }
        : null,
  };
}

/** A day's numbers: the rollup's, plus 发热人数 (distinct persons with a standing fever that day). */
export type DashboardDay = DayRow & { feverPersons: number };

const emptyDay = (day: string): DayRow => ({ day, checkins: 0, fevers: 0, reds: 0, quick: 0, visitors: 0 });

export type DashboardInput = {
  day?: string;
  rangeDays?: number;
  from?: string;
  to?: string;
  feverPage?: number;
  feverScope?: 'today' | 'all';
  feverKind?: FeverKind;
};

function validDay(v: string | undefined, fallback: string) {
  // Callers parse their query first (lib/stats/stats-query.ts); this only keeps a bad one from throwing.
  return v && isCalendarDay(v) && v >= '2000-01-01' && v <= '2999-12-31' ? v : fallback;
}

/** The days the dashboard shows for a query: the hourly chart's day and the range (default: the last 30 days). */
function dashboardDays(input: Pick<DashboardInput, 'day' | 'rangeDays' | 'from' | 'to'>, now: Date) {
  const today = chinaDateOf(now);
  const day = validDay(input.day, today);
  const rangeDays = RANGES.includes(input.rangeDays as 7) ? (input.rangeDays as number) : 30;
  let to = validDay(input.to, today);
  let from = validDay(input.from, addChinaDays(to, -(rangeDays - 1)));
  if (from > to) [from, to] = [to, from];
  if (addChinaDays(from, 366) < to) from = addChinaDays(to, -366);
  return { today, day, rangeDays, from, to };
}

/**
 * 数据统计 for the admin's own venue (V5): the venue comes from the actor, never from the request, so
 * an admin can only ever read their own venue. Masked names only (V9). Null when not an admin.
 */
export async function venueDashboard(db: Db, actor: { accountId: string }, input: DashboardInput = {}, now = new Date()) {
  const venue = await venueOfAdmin(db, actor.accountId);
  if (!venue) return null;
  const { today, day, rangeDays, from, to } = dashboardDays(input, now);
  const feverScope = input.feverScope === 'all' ? 'all' : 'today';
  const feverKind: FeverKind = input.feverKind === 'corrected' ? 'corrected' : 'standing';
  const feverPage = Number.isSafeInteger(input.feverPage) ? Math.max(0, Math.min(10_000, input.feverPage as number)) : 0;

  return inSnapshot(db, async (tx) => {
    const [
      glance,
      range,
      hours,
      lastWeek,
      demo,
      checkers,
      fevers,
      list,
      { standing: standingCount, corrected: correctedCount },
      feverPersons,
      glanceFeverPersons,
      entrances,
    ] = await Promise.all([
      dailyStats(tx, venue.id, addChinaDays(today, -1), today),
      dailyStats(tx, venue.id, from, to),
      hourlyStats(tx, venue.id, day),
      hourlyStats(tx, venue.id, addChinaDays(day, -7)),
      demographics(tx, venue.id, from, to),
      checkerStats(tx, venue.id, today),
      totalFevers(tx, venue.id),
      feverList(tx, venue.id, {
        from: feverScope === 'today' ? today : undefined,
        to: feverScope === 'today' ? today : undefined,
        kind: feverKind,
        limit: FEVER_PAGE_SIZE,
        offset: feverPage * FEVER_PAGE_SIZE,
      }),
      feverCounts(tx, venue.id, feverScope === 'today' ? today : undefined, feverScope === 'today' ? today : undefined),
      feverPersonsByDay(tx, venue.id, from, to),
      feverPersonsByDay(tx, venue.id, addChinaDays(today, -1), today),
      entranceStats(tx, venue.id, from, to),
    ]);
    const byDay = new Map(range.map((r) => [r.day, r]));
    const days: DashboardDay[] = [];
    for (let d = from; d <= to; d = addChinaDays(d, 1))
      days.push({ ...(byDay.get(d) ?? emptyDay(d)), feverPersons: feverPersons.get(d) ?? 0 });
    const glanceOf = (d: string): DashboardDay => ({
      ...(glance.find((g) => g.day === d) ?? emptyDay(d)),
      feverPersons: glanceFeverPersons.get(d) ?? 0,
    });
    const rangeTotal = { checkins: sum(days, 'checkins'), fevers: sum(days, 'fevers') };
    const gender = suppressSmall(
      ['M', 'F'].map((g) => ({ key: g, value: demo.filter((x) => x.gender === g).reduce((a, x) => a + x.visitors, 0) })),
    );
    const ages = suppressSmall(
      AGE_BANDS.map((b) => ({ key: b, value: demo.filter((x) => x.ageBand === b).reduce((a, x) => a + x.visitors, 0) })),
    );
    return {
      venue: { id: venue.id, name: venue.name },
      today,
      day,
      from,
      to,
      rangeDays,
      glance: { today: glanceOf(today), yesterday: glanceOf(addChinaDays(today, -1)), feversTotal: fevers },
      hourly: hours.map((n, hour) => ({ hour, count: n, lastWeek: lastWeek[hour] })),
      daily: days,
      gender,
      ages,
      visitorDays: demo.reduce((a, x) => a + x.visitors, 0),
      /** 人天 over the range: the sum of the daily 检测人数 (never a distinct count over the range). */
      rangeVisitorDays: sum(days, 'visitors'),
      rangeTotal,
      entrances: entranceSplit(entrances, rangeTotal),
      checkers,
      fevers: {
        scope: feverScope,
        kind: feverKind,
        page: feverPage,
        /** The shown list's length (for paging). */
        total: feverKind === 'corrected' ? correctedCount : standingCount,
        /** 发热人次 in the scope (equals the cards: today's 发热人次, 累计发热人次) and, apart, 发热后复测正常. */
        standing: standingCount,
        corrected: correctedCount,
        rows: list.map(toFeverRow),
      },
    };
  });
}

/** Every fever of the admin's own venue, masked as on screen, standing then corrected (CSV export). Null when not an admin. */
export async function allFeversOfMyVenue(db: Db, actor: { accountId: string }) {
  const venue = await venueOfAdmin(db, actor.accountId);
  if (!venue) return null;
  const rows: (FeverRow & { kind: FeverKind })[] = [];
  // The standing fevers (发热人次), then apart the corrected ones (发热后复测正常), as the page's two views.
  for (const kind of ['standing', 'corrected'] as const) {
    for (let offset = 0; offset < 200_000; offset += 2000) {
      const page = await feverList(db, venue.id, { kind, limit: 2000, offset });
      rows.push(...page.map((f) => ({ ...toFeverRow(f), kind })));
      if (page.length < 2000) break;
    }
  }
  return { venue, rows };
}

/**
 * 检测人次 and 发热人次 per checker over the dashboard's range (the per-checker export; the on-screen table
 * shows today and cumulative). Null when not an admin.
 */
export async function checkersOverRangeOfMyVenue(
  db: Db,
  actor: { accountId: string },
  input: Pick<DashboardInput, 'from' | 'to'> = {},
  now = new Date(),
) {
  const venue = await venueOfAdmin(db, actor.accountId);
  if (!venue) return null;
  const { from, to } = dashboardDays(input, now);
  const rows = await inSnapshot(db, (tx) => checkerStatsOverDays(tx, venue.id, from, to));
  return { venue: { id: venue.id, name: venue.name }, from, to, rows };
}

export type VenueDashboard = NonNullable<Awaited<ReturnType<typeof venueDashboard>>>;

/**
 * Per-checker records and fevers (today and cumulative) for 成员管理 of the admin's own venue, keyed by
 * binding (the admin acts on bindings; staff account ids stay on the server).
 */
export async function checkerTotalsOfMyVenue(db: Db, actor: { accountId: string }, now = new Date()) {
  const venue = await venueOfAdmin(db, actor.accountId);
  if (!venue) return null;
  const [rows, bindings] = await Promise.all([
    inSnapshot(db, (tx) => checkerStats(tx, venue.id, chinaDateOf(now))),
    bindingsOfVenue(db, venue.id),
  ]);
  const byAccount = new Map(rows.map((r) => [r.checkerAccountId, r]));
  return new Map(bindings.map((b) => [b.id, byAccount.get(b.accountId)]));
}
