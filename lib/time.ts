import { TZDate, tz } from '@date-fns/tz';
import { addDays, addWeeks, format, getISODay, startOfDay, startOfWeek } from 'date-fns';

/** All "today", hour-slot and natural-week arithmetic is done in China Standard Time, never the server's zone. */
export const CHINA_TIME_ZONE = 'Asia/Shanghai';

// Every date-fns call below runs in this context, so the process zone (process.env.TZ) never matters.
const inChina = tz(CHINA_TIME_ZONE);

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

function checkInstant(instant: Date): void {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) throw new RangeError('invalid instant');
}

/** 00:00 CST of a 'YYYY-MM-DD' calendar day, as a TZDate; throws RangeError for anything but a real date. */
function parseChinaDay(date: string): TZDate {
  const m = typeof date === 'string' ? DAY_PATTERN.exec(date) : null;
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${String(date)}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = new TZDate(y, mo - 1, d, CHINA_TIME_ZONE);
  // Rejects 2026-02-30 and the like, which the constructor would silently roll over.
  if (day.getFullYear() !== y || day.getMonth() !== mo - 1 || day.getDate() !== d) throw new RangeError(`no such date: ${date}`);
  return day;
}

/** A plain Date for the same instant (TZDate formats in its own zone, which callers shouldn't depend on). */
function plain(d: Date): Date {
  return new Date(d.getTime());
}

/** 'YYYY-MM-DD' of the instant's CST calendar day. */
export function chinaDateOf(instant: Date): string {
  checkInstant(instant);
  return format(instant, 'yyyy-MM-dd', { in: inChina });
}

/** Hour of the day (0–23) of the instant in CST. */
export function chinaHourOf(instant: Date): number {
  checkInstant(instant);
  return new TZDate(instant.getTime(), CHINA_TIME_ZONE).getHours();
}

/** 'YYYY-MM-DD HH:mm' in CST, for CSV exports and logs. */
export function formatChinaDateTime(instant: Date): string {
  checkInstant(instant);
  return format(instant, 'yyyy-MM-dd HH:mm', { in: inChina });
}

/** The instant of 00:00 CST that starts the given CST day (a 'YYYY-MM-DD' string, or the CST day containing an instant). */
export function startOfChinaDay(date: string | Date): Date {
  if (typeof date === 'string') return plain(parseChinaDay(date));
  checkInstant(date);
  return plain(startOfDay(date, { in: inChina }));
}

/** Exclusive end of the given CST day: the next day's 00:00 CST. */
export function endOfChinaDay(date: string | Date): Date {
  return plain(addDays(startOfChinaDay(date), 1, { in: inChina }));
}

/** The calendar day n days after (n < 0: before) a 'YYYY-MM-DD' day. */
export function addChinaDays(date: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`not a whole number of days: ${n}`);
  return format(addDays(parseChinaDay(date), n, { in: inChina }), 'yyyy-MM-dd', { in: inChina });
}

/** ISO weekday of a 'YYYY-MM-DD' day: 1 = Monday … 7 = Sunday. */
export function weekdayOf(date: string): number {
  return getISODay(parseChinaDay(date), { in: inChina });
}

/** Every day from `from` to `to`, both included; [] when `to` is before `from`. */
export function chinaDayRange(from: string, to: string): string[] {
  parseChinaDay(from);
  parseChinaDay(to);
  const days: string[] = [];
  // Validated 'YYYY-MM-DD' strings compare in calendar order.
  for (let day = from; day <= to; day = addChinaDays(day, 1)) days.push(day);
  return days;
}

/** Monday 00:00 CST of the natural week (Monday 00:00 – Sunday 24:00 CST) containing the instant. */
export function startOfChinaWeek(instant: Date): Date {
  checkInstant(instant);
  return plain(startOfWeek(instant, { weekStartsOn: 1, in: inChina }));
}

/** Monday 00:00 CST of the following natural week: the exclusive end of the instant's week. */
export function startOfNextChinaWeek(instant: Date): Date {
  checkInstant(instant);
  return plain(addWeeks(startOfWeek(instant, { weekStartsOn: 1, in: inChina }), 1, { in: inChina }));
}

/** Whether two instants fall in the same CST natural week. */
export function sameChinaWeek(a: Date, b: Date): boolean {
  return startOfChinaWeek(a).getTime() === startOfChinaWeek(b).getTime();
}
