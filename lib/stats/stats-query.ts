import { z } from 'zod';
import { addChinaDays, chinaDateOf } from '@/lib/time';
import { isUuid } from '@/lib/utils/uuid';
import { FEVER_KINDS } from './definitions';

/**
 * The query string of 数据统计 and its CSV export (V5), checked before anything is computed: CST calendar
 * days that exist, from 2020 (before the app, nothing to show) to tomorrow (a phone a little ahead), a
 * range of at most a year, a fever page that is a small whole number. Anything else is refused: the page
 * shows its default view with a notice, the export answers 400.
 */

export const STATS_FIRST_DAY = '2020-01-01';
export const STATS_MAX_RANGE_DAYS = 366;
export const STATS_RANGES = [7, 30, 90] as const;
const MAX_FEVER_PAGE = 10_000;

/** A real 'YYYY-MM-DD' day (2026-02-31 is not), as lib/time counts them. */
export function isCalendarDay(value: string): boolean {
  try {
    return /^\d{4}-\d{2}-\d{2}$/.test(value) && addChinaDays(value, 0) === value;
  } catch {
    return false;
  }
}

// A cleared date field sends `from=`: the same as not sending it.
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/** A CST day the statistics can show: 2020-01-01 up to tomorrow, judged when the request is parsed. */
const statsDay = z
  .string()
  .max(10)
  .refine(isCalendarDay, 'not a day')
  .refine((d) => d >= STATS_FIRST_DAY && d <= addChinaDays(chinaDateOf(new Date()), 1), 'out of range');

const dayRange = {
  day: optional(statsDay),
  from: optional(statsDay),
  to: optional(statsDay),
  /** One of the admin's venues by id (a closed one, SPEC L3); absent: their open venue. */
  venue: optional(z.string().max(36).refine(isUuid, 'not a venue id')),
};

/** `from` after `to` is read the other way round; more than a year is refused. */
function orderedRange<T extends { from?: string; to?: string }>(q: T, ctx: z.RefinementCtx): T {
  if (q.from && q.to) {
    const [from, to] = q.from <= q.to ? [q.from, q.to] : [q.to, q.from];
    if (addChinaDays(from, STATS_MAX_RANGE_DAYS) < to) {
      ctx.addIssue({ code: 'custom', path: ['from'], message: 'range too long' });
      return z.NEVER;
    }
    return { ...q, from, to };
  }
  return q;
}

/** The page's query: `day`, `range` (7/30/90), `from`/`to`, the fever list's page `fp`, scope `fs` and kind `fk`. */
export const statsPageQuery = z
  .object({
    ...dayRange,
    range: optional(z.enum(STATS_RANGES.map(String) as ['7', '30', '90']).transform(Number)),
    fp: optional(
      z
        .string()
        .regex(/^\d{1,5}$/)
        .transform(Number)
        .refine((n) => n <= MAX_FEVER_PAGE),
    ),
    fs: optional(z.enum(['today', 'all'])),
    fk: optional(z.enum(FEVER_KINDS)),
  })
  .transform(orderedRange);

export type StatsPageQuery = z.output<typeof statsPageQuery>;

export const STATS_EXPORT_KINDS = ['daily', 'hourly', 'fevers', 'entrances', 'checkers', 'demographics'] as const;

/** The CSV export's query: what to export and the same days as the page. */
export const statsExportQuery = z
  .object({
    kind: z.enum(STATS_EXPORT_KINDS),
    ...dayRange,
  })
  .transform(orderedRange);

/** The printable daily report covers at most a week: one A4 page a day. */
export const REPORT_MAX_DAYS = 7;

/**
 * The printable daily report's days: `day` (one day), or `from`/`to` (either alone is that one day; the
 * other way round is read in order), at most REPORT_MAX_DAYS days; nothing given is today (CST).
 * `reason` names what is wrong, for the page's message.
 */
export const statsReportQuery = z.object(dayRange).transform((q, ctx) => {
  let from = q.from ?? q.to ?? q.day;
  let to = q.to ?? q.from ?? q.day;
  if (!from || !to) return { from: undefined, to: undefined, venue: q.venue };
  if (from > to) [from, to] = [to, from];
  if (addChinaDays(from, REPORT_MAX_DAYS - 1) < to) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'too_long' });
    return z.NEVER;
  }
  return { from, to, venue: q.venue };
});
