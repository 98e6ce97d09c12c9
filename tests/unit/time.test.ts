// The process runs in UTC here (as on most servers); time-other-zone.test.ts repeats the checks in Los Angeles.
process.env.TZ = 'UTC';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CHINA_TIME_ZONE,
  addChinaDays,
  chinaDateOf,
  chinaDayRange,
  chinaHourOf,
  endOfChinaDay,
  formatChinaDateTime,
  sameChinaWeek,
  startOfChinaDay,
  startOfChinaWeek,
  startOfNextChinaWeek,
  weekdayOf,
} from '@/lib/time';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CST = 8 * HOUR;
const at = (iso: string) => new Date(iso);

// Independent oracle: CST has been a fixed UTC+8 since late 1991, so shifting by 8 h and reading UTC fields is exact.
function oracleWeekStart(t: number): number {
  const dayNumber = Math.floor((t + CST) / DAY); // days since 1970-01-01 (a Thursday) in CST
  const mondayBased = (dayNumber + 3) % 7; // 0 = Monday
  return (dayNumber - mondayBased) * DAY - CST;
}
// Asia/Shanghai observed summer time 1986–1991 (last ended 1991-09-15); from 1993, even ±400-day steps stay in fixed UTC+8.
const instant = fc.date({ min: new Date('1993-01-01T00:00:00Z'), max: new Date('2100-12-31T23:59:59Z'), noInvalidDate: true });

describe('lib/time in a UTC process', () => {
  it('really runs in UTC and keeps the zone constant', () => {
    expect(new Date('2026-06-15T12:00:00Z').getTimezoneOffset()).toBe(0);
    expect(CHINA_TIME_ZONE).toBe('Asia/Shanghai');
  });

  it('puts CST midnight, not UTC midnight, at the day boundary', () => {
    expect(chinaDateOf(at('2026-11-29T15:59:59.999Z'))).toBe('2026-11-29');
    expect(chinaDateOf(at('2026-11-29T16:00:00Z'))).toBe('2026-11-30');
    // 23:00 UTC on the 29th is already 07:00 on the 30th in China.
    expect(chinaDateOf(at('2026-11-29T23:00:00Z'))).toBe('2026-11-30');
    expect(chinaDateOf(at('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
    expect(chinaHourOf(at('2026-11-29T15:59:59Z'))).toBe(23);
    expect(chinaHourOf(at('2026-11-29T16:00:00Z'))).toBe(0);
    expect(chinaHourOf(at('2026-06-15T00:30:00Z'))).toBe(8);
    expect(formatChinaDateTime(at('2026-11-29T15:59:59Z'))).toBe('2026-11-29 23:59');
    expect(formatChinaDateTime(at('2026-11-29T16:00:00Z'))).toBe('2026-11-30 00:00');
  });

  it('finds the start and exclusive end of a CST day', () => {
    expect(startOfChinaDay('2026-11-30').toISOString()).toBe('2026-11-29T16:00:00.000Z');
    expect(endOfChinaDay('2026-11-30').toISOString()).toBe('2026-11-30T16:00:00.000Z');
    expect(startOfChinaDay(at('2026-11-30T15:59:59.999Z')).toISOString()).toBe('2026-11-29T16:00:00.000Z');
    expect(startOfChinaDay(at('2026-11-29T16:00:00Z')).toISOString()).toBe('2026-11-29T16:00:00.000Z');
    expect(endOfChinaDay(at('2026-11-29T15:59:59Z')).toISOString()).toBe('2026-11-29T16:00:00.000Z');
    expect(startOfChinaDay('2028-02-29').toISOString()).toBe('2028-02-28T16:00:00.000Z');
    expect(startOfChinaDay('2026-01-01').toISOString()).toBe('2025-12-31T16:00:00.000Z');
  });

  it('rejects malformed and impossible dates', () => {
    for (const bad of ['2026-02-29', '2026-02-30', '2026-13-01', '2026-1-5', '2026-01-05T00:00', '', 'today', ' 2026-01-05']) {
      expect(() => startOfChinaDay(bad)).toThrow(RangeError);
      expect(() => addChinaDays(bad, 1)).toThrow(RangeError);
      expect(() => weekdayOf(bad)).toThrow(RangeError);
    }
    expect(() => chinaDateOf(new Date(NaN))).toThrow(RangeError);
    expect(() => startOfChinaWeek(new Date(NaN))).toThrow(RangeError);
    expect(() => addChinaDays('2026-01-05', 1.5)).toThrow(RangeError);
  });

  it('does calendar arithmetic on CST days', () => {
    expect(addChinaDays('2026-11-30', 1)).toBe('2026-12-01');
    expect(addChinaDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addChinaDays('2027-01-01', -1)).toBe('2026-12-31');
    expect(addChinaDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addChinaDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addChinaDays('2026-11-30', 0)).toBe('2026-11-30');
    expect(addChinaDays('2026-11-30', 365)).toBe('2027-11-30');
    expect(weekdayOf('2026-11-29')).toBe(7);
    expect(weekdayOf('2026-11-30')).toBe(1);
    expect(weekdayOf('2027-01-03')).toBe(7);
    expect(chinaDayRange('2026-12-30', '2027-01-02')).toEqual(['2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02']);
    expect(chinaDayRange('2026-11-30', '2026-11-30')).toEqual(['2026-11-30']);
    expect(chinaDayRange('2026-12-01', '2026-11-30')).toEqual([]);
    expect(chinaDayRange('2028-02-27', '2028-03-01')).toHaveLength(4);
  });

  it('splits natural weeks at Monday 00:00 CST', () => {
    const sundayLast = at('2026-11-29T15:59:59Z'); // Sunday 23:59:59 CST
    const mondayFirst = at('2026-11-29T16:00:00Z'); // Monday 00:00:00 CST
    expect(sameChinaWeek(sundayLast, mondayFirst)).toBe(false);
    expect(startOfChinaWeek(sundayLast).toISOString()).toBe('2026-11-22T16:00:00.000Z');
    expect(startOfNextChinaWeek(sundayLast).toISOString()).toBe('2026-11-29T16:00:00.000Z');
    expect(startOfChinaWeek(mondayFirst).toISOString()).toBe('2026-11-29T16:00:00.000Z');
    expect(startOfNextChinaWeek(mondayFirst).toISOString()).toBe('2026-12-06T16:00:00.000Z');
    // Monday 00:00 and the following Sunday 23:59:59.999 share a week.
    expect(sameChinaWeek(mondayFirst, at('2026-12-06T15:59:59.999Z'))).toBe(true);
    // A UTC Sunday evening (16:00–24:00 UTC) is already the next CST week.
    expect(sameChinaWeek(at('2026-11-29T20:00:00Z'), mondayFirst)).toBe(true);
    // The week of 2026-12-28 runs across New Year.
    expect(sameChinaWeek(at('2026-12-27T16:00:00Z'), at('2027-01-03T15:59:59Z'))).toBe(true);
    expect(sameChinaWeek(at('2027-01-03T15:59:59Z'), at('2027-01-03T16:00:00Z'))).toBe(false);
  });

  it('property: startOfChinaWeek ≤ t < startOfNextChinaWeek, Monday 00:00 CST, exactly 7 days apart', () => {
    fc.assert(
      fc.property(instant, (t) => {
        const start = startOfChinaWeek(t);
        const next = startOfNextChinaWeek(t);
        expect(start.getTime()).toBeLessThanOrEqual(t.getTime());
        expect(t.getTime()).toBeLessThan(next.getTime());
        expect(next.getTime() - start.getTime()).toBe(7 * DAY);
        expect(start.getTime()).toBe(oracleWeekStart(t.getTime()));
        expect(formatChinaDateTime(start).endsWith(' 00:00')).toBe(true);
        expect(weekdayOf(chinaDateOf(start))).toBe(1);
        expect(sameChinaWeek(start, t)).toBe(true);
        expect(sameChinaWeek(next, t)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('property: day helpers agree with a fixed UTC+8 oracle', () => {
    fc.assert(
      fc.property(instant, (t) => {
        const shifted = new Date(t.getTime() + CST).toISOString(); // CST wall clock written as UTC
        const day = chinaDateOf(t);
        expect(day).toBe(shifted.slice(0, 10));
        expect(chinaHourOf(t)).toBe(Number(shifted.slice(11, 13)));
        expect(formatChinaDateTime(t)).toBe(`${shifted.slice(0, 10)} ${shifted.slice(11, 16)}`);
        expect(startOfChinaDay(t).getTime()).toBe(startOfChinaDay(day).getTime());
        expect(startOfChinaDay(day).getTime()).toBeLessThanOrEqual(t.getTime());
        expect(endOfChinaDay(day).getTime() - startOfChinaDay(day).getTime()).toBe(DAY);
        expect(chinaDateOf(endOfChinaDay(day))).toBe(addChinaDays(day, 1));
      }),
      { numRuns: 500 },
    );
  });

  it('stays self-consistent under historical offsets (LMT +08:05:43 before 1901, summer time 1986–1991)', () => {
    expect(startOfChinaDay('1850-06-01').toISOString()).toBe('1850-05-31T15:54:17.000Z');
    expect(startOfChinaDay(at('1850-06-01T03:00:00Z')).toISOString()).toBe('1850-05-31T15:54:17.000Z');
    expect(endOfChinaDay('1850-06-01').toISOString()).toBe('1850-06-01T15:54:17.000Z');
    expect(addChinaDays('1850-06-01', 400)).toBe('1851-07-06');
    fc.assert(
      fc.property(fc.date({ min: new Date('1850-01-01T00:00:00Z'), max: new Date('2100-12-31T23:59:59Z'), noInvalidDate: true }), (t) => {
        const start = startOfChinaWeek(t);
        const next = startOfNextChinaWeek(t);
        expect(start.getTime()).toBeLessThanOrEqual(t.getTime());
        expect(t.getTime()).toBeLessThan(next.getTime());
        expect(chinaDateOf(next)).toBe(addChinaDays(chinaDateOf(start), 7));
        expect(weekdayOf(chinaDateOf(start))).toBe(1);
        expect(formatChinaDateTime(start).endsWith(' 00:00')).toBe(true);
        expect(startOfChinaDay(t).getTime()).toBeLessThanOrEqual(t.getTime());
        expect(t.getTime()).toBeLessThan(endOfChinaDay(t).getTime());
      }),
      { numRuns: 300 },
    );
  });

  it('keeps dates to four-digit years', () => {
    expect(() => startOfChinaDay('0999-12-31')).toThrow(RangeError);
    expect(() => addChinaDays('9999-12-31', 1)).toThrow(RangeError);
    expect(() => addChinaDays('2026-01-01', 1e12)).toThrow(RangeError);
    expect(addChinaDays('9999-12-30', 1)).toBe('9999-12-31');
  });

  it('property: addChinaDays and chinaDayRange are consistent', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: -400, max: 400 }), (t, n) => {
        const day = chinaDateOf(t);
        const other = addChinaDays(day, n);
        expect(addChinaDays(other, -n)).toBe(day);
        expect(startOfChinaDay(other).getTime() - startOfChinaDay(day).getTime()).toBe(n * DAY);
        const range = n >= 0 ? chinaDayRange(day, other) : chinaDayRange(other, day);
        expect(range).toHaveLength(Math.abs(n) + 1);
        expect(weekdayOf(other)).toBe(((((weekdayOf(day) - 1 + n) % 7) + 7) % 7) + 1);
      }),
      { numRuns: 200 },
    );
  });
});

describe('fixed-offset fast path (UTC+8 since 1992)', () => {
  it('agrees with the zone database on random instants from 1985 to 2100, and at day edges', async () => {
    const { chinaDateOf, chinaHourOf, zoneDatabaseChinaDateOf, zoneDatabaseChinaHourOf } = await import('@/lib/time');
    const from = Date.UTC(1985, 0, 1);
    const to = Date.UTC(2100, 0, 1);
    const instants = Array.from({ length: 5000 }, () => new Date(from + Math.floor(Math.random() * (to - from))));
    instants.push(
      new Date('2026-12-01T15:59:59.999Z'),
      new Date('2026-12-01T16:00:00Z'),
      new Date('1991-12-31T16:00:00Z'),
      new Date('1991-12-31T15:59:59Z'),
    );
    for (const d of instants) {
      expect(chinaDateOf(d)).toBe(zoneDatabaseChinaDateOf(d));
      expect(chinaHourOf(d)).toBe(zoneDatabaseChinaHourOf(d));
    }
  });
});
