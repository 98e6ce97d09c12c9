import 'server-only';
import type { Db, DbOrTx } from '@/db';
import { appendAudit } from '@/db/queries/audit';
import {
  checkerStatsOverDays,
  dailyStats,
  entranceStats,
  feverCounts,
  feverList,
  feverPersonsByDay,
  hourlyStats,
} from '@/db/queries/stats-dashboard';
import { chinaDayRange, chinaDateOf } from '@/lib/time';
import { entranceSplit, statsVenueOf, toFeverRow, type DashboardDay, type FeverRow } from './venue-dashboard';

/** A printed day lists at most this many fevers of each kind; the rest are counted (the CSV has them all). */
export const REPORT_FEVER_ROWS = 30;

export type ReportFever = FeverRow & { kind: 'standing' | 'corrected' };

/** One printed page: a China day's numbers, as the dashboard defines them (its queries, over that one day). */
async function reportDay(tx: DbOrTx, venueId: string, day: string) {
  const [[totals], feverPersons, entrances, checkers, hourly, counts, standing, corrected] = await Promise.all([
    dailyStats(tx, venueId, day, day),
    feverPersonsByDay(tx, venueId, day, day),
    entranceStats(tx, venueId, day, day),
    checkerStatsOverDays(tx, venueId, day, day),
    hourlyStats(tx, venueId, day),
    feverCounts(tx, venueId, day, day),
    feverList(tx, venueId, { from: day, to: day, kind: 'standing', limit: REPORT_FEVER_ROWS, offset: 0 }),
    feverList(tx, venueId, { from: day, to: day, kind: 'corrected', limit: REPORT_FEVER_ROWS, offset: 0 }),
  ]);
  const total: DashboardDay = {
    ...(totals ?? { day, checkins: 0, fevers: 0, reds: 0, quick: 0, visitors: 0 }),
    feverPersons: feverPersons.get(day) ?? 0,
  };
  const fevers: ReportFever[] = [
    ...standing.map((f) => ({ ...toFeverRow(f), kind: 'standing' as const })),
    ...corrected.map((f) => ({ ...toFeverRow(f), kind: 'corrected' as const })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  return {
    day,
    total,
    entrances: entranceSplit(entrances, { checkins: Number(total.checkins), fevers: Number(total.fevers) }),
    checkers,
    hourly,
    fevers: {
      rows: fevers,
      standing: counts.standing,
      corrected: counts.corrected,
      /** Fevers of the day not listed on the page (over REPORT_FEVER_ROWS of a kind). */
      more: counts.standing + counts.corrected - fevers.length,
    },
  };
}

export type ReportDay = Awaited<ReturnType<typeof reportDay>>;

/**
 * The printable daily report of the admin's own venue (the venue comes from the actor, never the request),
 * one entry per China day `from`..`to` (the caller has checked the range: lib/stats/stats-query.ts), read
 * in one snapshot, with its audit row (`stats.report`) written in the same transaction, before the page is
 * answered. Null when the actor is not a venue admin: nothing read, nothing written.
 */
export async function dailyReportOfMyVenue(
  db: Db,
  actor: { accountId: string },
  range: { from: string; to: string; venueId?: string },
  now = new Date(),
) {
  const days = chinaDayRange(range.from, range.to);
  return db.transaction(
    async (tx) => {
      // The venue's admin of the moment, read in the report's own snapshot.
      // A closed venue of theirs by id (SPEC L3), else their open venue.
      const venue = await statsVenueOf(tx, actor, range.venueId);
      if (!venue) return null;
      const pages: ReportDay[] = [];
      for (const day of days) pages.push(await reportDay(tx, venue.id, day));
      await appendAudit(tx, {
        actorAccountId: actor.accountId,
        action: 'stats.report',
        venueId: venue.id,
        targetType: 'venue',
        targetId: venue.id,
        details: {
          kind: 'daily-report',
          from: range.from,
          to: range.to,
          day: range.from === range.to ? range.from : null,
          rows: pages.length,
        },
        at: now,
      });
      return {
        venue: { id: venue.id, name: venue.name, closedAt: venue.closedAt },
        today: chinaDateOf(now),
        generatedAt: now.toISOString(),
        from: range.from,
        to: range.to,
        days: pages,
      };
    },
    { isolationLevel: 'repeatable read' },
  );
}

export type DailyReport = NonNullable<Awaited<ReturnType<typeof dailyReportOfMyVenue>>>;
