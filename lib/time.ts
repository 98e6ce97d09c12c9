import { TZDate, tz } from '@date-fns/tz';
import { format } from 'date-fns';

/** All "today", hour-slot and natural-week arithmetic is done in China Standard Time, never the server's zone. */
export const CHINA_TIME_ZONE = 'Asia/Shanghai';

// One path for every answer: an instant becomes its CST calendar day through this context (the process
// zone, the TZ variable, never matters), days are stepped as plain calendar dates, and a day becomes its
// 00:00 CST instant through TZDate.
const inChina = tz(CHINA_TIME_ZONE);

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
// Four-digit years only, so 'YYYY-MM-DD' strings keep comparing in calendar order.
const MIN_YEAR = 1000;
const MAX_YEAR = 9999;
const DAY_MS = 86_400_000;

function checkInstant(instant: Date): void {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) throw new RangeError('invalid instant');
}

// Calendar-day arithmetic (a date plus n days, a date's weekday) involves no instant and no zone, so it
// runs on UTC fields. (Stepping TZDates instead goes wrong before 1901, when Shanghai's offset was the
// sub-minute LMT +08:05:43; the week/day starts built from calendar dates stay right there too.)

/** UTC midnight of a 'YYYY-MM-DD' calendar day; throws RangeError for anything but a real date. */
function calendarDay(date: string): number {
  const m = typeof date === 'string' ? DAY_PATTERN.exec(date) : null;
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${String(date)}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < MIN_YEAR) throw new RangeError(`unsupported year: ${date}`);
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  // Rejects 2026-02-30 and the like, which Date.UTC would silently roll over.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d)
    throw new RangeError(`no such date: ${date}`);
  return t;
}

function calendarString(t: number): string {
  const d = new Date(t);
  const y = d.getUTCFullYear(); // NaN past the Date range
  if (!(y >= MIN_YEAR && y <= MAX_YEAR)) throw new RangeError('date out of range');
  return d.toISOString().slice(0, 10);
}

/** 00:00 CST of a 'YYYY-MM-DD' calendar day, as a TZDate. */
function parseChinaDay(date: string): TZDate {
  const d = new Date(calendarDay(date));
  return new TZDate(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), CHINA_TIME_ZONE);
}

/** A plain Date for the same instant (TZDate formats in its own zone, which callers shouldn't depend on). */
function plain(d: Date): Date {
  return new Date(d.getTime());
}

// Since 1992 Asia/Shanghai has been UTC+8 all year (no daylight saving after 1991), so for those instants
// the CST day and hour are plain arithmetic; the zone database path is kept for everything else. The door
// computes an age band per record, and the zone path showed in its CPU profile.
const FIXED_OFFSET_FROM = Date.UTC(1992, 0, 1);
const FIXED_OFFSET_UNTIL = Date.UTC(9000, 0, 1);
const CST_OFFSET_MS = 8 * 3_600_000;
const fixedOffset = (t: number) => t >= FIXED_OFFSET_FROM && t < FIXED_OFFSET_UNTIL;

/** 'YYYY-MM-DD' of the instant's CST calendar day. */
export function chinaDateOf(instant: Date): string {
  checkInstant(instant);
  const t = instant.getTime();
  if (fixedOffset(t)) return new Date(t + CST_OFFSET_MS).toISOString().slice(0, 10);
  return format(instant, 'yyyy-MM-dd', { in: inChina });
}

/** Hour of the day (0–23) of the instant in CST. */
export function chinaHourOf(instant: Date): number {
  checkInstant(instant);
  const t = instant.getTime();
  if (fixedOffset(t)) return new Date(t + CST_OFFSET_MS).getUTCHours();
  return new TZDate(t, CHINA_TIME_ZONE).getHours();
}

/** The zone-database answers, for tests of the fixed-offset path above. */
export const zoneDatabaseChinaDateOf = (instant: Date) => format(instant, 'yyyy-MM-dd', { in: inChina });
export const zoneDatabaseChinaHourOf = (instant: Date) => new TZDate(instant.getTime(), CHINA_TIME_ZONE).getHours();

/** 'YYYY-MM-DD HH:mm' in CST, for CSV exports and logs. */
export function formatChinaDateTime(instant: Date): string {
  checkInstant(instant);
  return format(instant, 'yyyy-MM-dd HH:mm', { in: inChina });
}

/** The instant of 00:00 CST that starts the given CST day (a 'YYYY-MM-DD' string, or the CST day containing an instant). */
export function startOfChinaDay(date: string | Date): Date {
  return plain(parseChinaDay(typeof date === 'string' ? date : chinaDateOf(date)));
}

/** Exclusive end of the given CST day: the next day's 00:00 CST. */
export function endOfChinaDay(date: string | Date): Date {
  return startOfChinaDay(addChinaDays(typeof date === 'string' ? date : chinaDateOf(date), 1));
}

/** The calendar day n days after (n < 0: before) a 'YYYY-MM-DD' day. */
export function addChinaDays(date: string, n: number): string {
  if (!Number.isSafeInteger(n)) throw new RangeError(`not a whole number of days: ${n}`);
  return calendarString(calendarDay(date) + n * DAY_MS);
}

/** ISO weekday of a 'YYYY-MM-DD' day: 1 = Monday … 7 = Sunday. */
export function weekdayOf(date: string): number {
  return ((new Date(calendarDay(date)).getUTCDay() + 6) % 7) + 1;
}

/** Every day from `from` to `to`, both included; [] when `to` is before `from`. */
export function chinaDayRange(from: string, to: string): string[] {
  const end = calendarDay(to);
  const days: string[] = [];
  for (let t = calendarDay(from); t <= end; t += DAY_MS) days.push(calendarString(t));
  return days;
}

/** The Monday ('YYYY-MM-DD') of the CST natural week containing the instant. */
function chinaMondayOf(instant: Date): string {
  const day = chinaDateOf(instant);
  return addChinaDays(day, 1 - weekdayOf(day));
}

/** Monday 00:00 CST of the natural week (Monday 00:00 – Sunday 24:00 CST) containing the instant. */
export function startOfChinaWeek(instant: Date): Date {
  return startOfChinaDay(chinaMondayOf(instant));
}

/** Monday 00:00 CST of the following natural week: the exclusive end of the instant's week. */
export function startOfNextChinaWeek(instant: Date): Date {
  return startOfChinaDay(addChinaDays(chinaMondayOf(instant), 7));
}

/** Whether two instants fall in the same CST natural week. */
export function sameChinaWeek(a: Date, b: Date): boolean {
  return startOfChinaWeek(a).getTime() === startOfChinaWeek(b).getTime();
}
