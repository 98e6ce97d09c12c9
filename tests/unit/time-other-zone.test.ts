// Must run before anything reads the zone: the server might be in any zone, this one has DST.
const previousTz = process.env.TZ;
process.env.TZ = 'America/Los_Angeles';

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

type TimeModule = typeof import('@/lib/time');
let time: TimeModule;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CST = 8 * HOUR;
const at = (iso: string) => new Date(iso);

function oracleWeekStart(t: number): number {
  const dayNumber = Math.floor((t + CST) / DAY);
  return (dayNumber - ((dayNumber + 3) % 7)) * DAY - CST;
}
// Asia/Shanghai observed summer time 1986–1991 (last ended 1991-09-15); from 1993, even ±400-day steps stay in fixed UTC+8.
const instant = fc.date({ min: new Date('1993-01-01T00:00:00Z'), max: new Date('2100-12-31T23:59:59Z'), noInvalidDate: true });

beforeAll(async () => {
  time = await import('@/lib/time');
});

afterAll(() => {
  if (previousTz === undefined) delete process.env.TZ;
  else process.env.TZ = previousTz;
});

describe('lib/time in a Los Angeles process', () => {
  it('really runs in Los Angeles (offset changes with DST)', () => {
    expect(new Date('2026-01-15T12:00:00Z').getTimezoneOffset()).toBe(480);
    expect(new Date('2026-07-15T12:00:00Z').getTimezoneOffset()).toBe(420);
  });

  it('gives the same day and hour answers as in UTC', () => {
    const { chinaDateOf, chinaHourOf, formatChinaDateTime, startOfChinaDay, endOfChinaDay, addChinaDays, weekdayOf, chinaDayRange } = time;
    expect(chinaDateOf(at('2026-11-29T15:59:59.999Z'))).toBe('2026-11-29');
    expect(chinaDateOf(at('2026-11-29T16:00:00Z'))).toBe('2026-11-30');
    expect(chinaDateOf(at('2026-11-29T23:00:00Z'))).toBe('2026-11-30');
    expect(chinaDateOf(at('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
    expect(chinaHourOf(at('2026-11-29T15:59:59Z'))).toBe(23);
    expect(chinaHourOf(at('2026-11-29T16:00:00Z'))).toBe(0);
    expect(chinaHourOf(at('2026-06-15T00:30:00Z'))).toBe(8);
    expect(formatChinaDateTime(at('2026-11-29T15:59:59Z'))).toBe('2026-11-29 23:59');
    expect(formatChinaDateTime(at('2026-11-29T16:00:00Z'))).toBe('2026-11-30 00:00');
    expect(startOfChinaDay('2026-11-30').toISOString()).toBe('2026-11-29T16:00:00.000Z');
    expect(endOfChinaDay('2026-11-30').toISOString()).toBe('2026-11-30T16:00:00.000Z');
    expect(startOfChinaDay(at('2026-11-30T15:59:59.999Z')).toISOString()).toBe('2026-11-29T16:00:00.000Z');
    expect(startOfChinaDay('2028-02-29').toISOString()).toBe('2028-02-28T16:00:00.000Z');
    expect(addChinaDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addChinaDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(weekdayOf('2026-11-29')).toBe(7);
    expect(weekdayOf('2026-11-30')).toBe(1);
    expect(chinaDayRange('2026-12-30', '2027-01-02')).toEqual(['2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02']);
    expect(() => startOfChinaDay('2026-02-30')).toThrow(RangeError);
  });

  it('ignores the host zone switching DST on the same CST days', () => {
    const { chinaDateOf, startOfChinaDay, endOfChinaDay, addChinaDays, chinaDayRange } = time;
    // LA falls back at 2026-11-01T09:00Z and springs forward at 2026-03-08T10:00Z (both CST Sunday evenings).
    expect(chinaDateOf(at('2026-11-01T08:59:59Z'))).toBe('2026-11-01');
    expect(chinaDateOf(at('2026-11-01T09:00:00Z'))).toBe('2026-11-01');
    expect(endOfChinaDay('2026-11-01').getTime() - startOfChinaDay('2026-11-01').getTime()).toBe(DAY);
    expect(endOfChinaDay('2026-03-08').getTime() - startOfChinaDay('2026-03-08').getTime()).toBe(DAY);
    expect(addChinaDays('2026-03-07', 2)).toBe('2026-03-09');
    expect(addChinaDays('2026-11-02', -2)).toBe('2026-10-31');
    expect(chinaDayRange('2026-03-07', '2026-03-09')).toEqual(['2026-03-07', '2026-03-08', '2026-03-09']);
  });

  it('splits natural weeks at Monday 00:00 CST, also across host DST changes', () => {
    const { sameChinaWeek, startOfChinaWeek, startOfNextChinaWeek } = time;
    const sundayLast = at('2026-11-29T15:59:59Z');
    const mondayFirst = at('2026-11-29T16:00:00Z');
    expect(sameChinaWeek(sundayLast, mondayFirst)).toBe(false);
    expect(startOfChinaWeek(sundayLast).toISOString()).toBe('2026-11-22T16:00:00.000Z');
    expect(startOfNextChinaWeek(sundayLast).toISOString()).toBe('2026-11-29T16:00:00.000Z');
    expect(startOfChinaWeek(mondayFirst).toISOString()).toBe('2026-11-29T16:00:00.000Z');
    expect(sameChinaWeek(mondayFirst, at('2026-12-06T15:59:59.999Z'))).toBe(true);
    // Week Mon 2026-10-26 – Sun 2026-11-01 CST contains LA's fall-back; it is still exactly 7 days.
    const fallBackWeek = at('2026-11-01T09:30:00Z');
    expect(startOfChinaWeek(fallBackWeek).toISOString()).toBe('2026-10-25T16:00:00.000Z');
    expect(startOfNextChinaWeek(fallBackWeek).toISOString()).toBe('2026-11-01T16:00:00.000Z');
    const springWeek = at('2026-03-08T10:30:00Z');
    expect(startOfChinaWeek(springWeek).toISOString()).toBe('2026-03-01T16:00:00.000Z');
    expect(startOfNextChinaWeek(springWeek).toISOString()).toBe('2026-03-08T16:00:00.000Z');
  });

  it('property: startOfChinaWeek ≤ t < startOfNextChinaWeek, Monday 00:00 CST, exactly 7 days apart', () => {
    const { startOfChinaWeek, startOfNextChinaWeek, formatChinaDateTime, weekdayOf, chinaDateOf, chinaHourOf } = time;
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
        const shifted = new Date(t.getTime() + CST).toISOString();
        expect(chinaDateOf(t)).toBe(shifted.slice(0, 10));
        expect(chinaHourOf(t)).toBe(Number(shifted.slice(11, 13)));
      }),
      { numRuns: 500 },
    );
  });
});
