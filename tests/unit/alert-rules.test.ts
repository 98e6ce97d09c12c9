import { describe, expect, it } from 'vitest';
import { chinaMinuteOf, decideDigest, hhmmOf, inQuietHours, minutesOf, windowStartOf } from '@/lib/alerts/rules';

const base = { smsEnabled: true, quietStartMin: 22 * 60, quietEndMin: 7 * 60, dailyCap: 20 };
const none = { lastAt: null, today: 0 };

describe('alert digest rules', () => {
  it('reads the China minute of the day whatever the server zone', () => {
    expect(chinaMinuteOf(new Date('2026-12-01T14:30:00Z'))).toBe(22 * 60 + 30);
    expect(chinaMinuteOf(new Date('2026-12-01T16:00:00Z'))).toBe(0);
  });

  it('quiet hours wrap past midnight, end excluded; none is never quiet', () => {
    expect([21 * 60 + 59, 22 * 60, 0, 6 * 60 + 59, 7 * 60].map((m) => inQuietHours(m, 22 * 60, 7 * 60))).toEqual([
      false,
      true,
      true,
      true,
      false,
    ]);
    expect([12 * 60, 13 * 60 + 59, 14 * 60].map((m) => inQuietHours(m, 12 * 60, 14 * 60))).toEqual([true, true, false]);
    expect(inQuietHours(23 * 60, null, null)).toBe(false);
  });

  it('decides off, quiet, too soon, capped, send — in that order', () => {
    const day = new Date('2026-12-01T02:00:00Z'); // 10:00 China time
    const night = new Date('2026-12-01T15:00:00Z'); // 23:00
    expect(decideDigest({ ...base, smsEnabled: false }, none, day)).toBe('off');
    expect(decideDigest(base, none, night)).toBe('quiet');
    expect(decideDigest({ ...base, quietStartMin: null, quietEndMin: null }, none, night)).toBe('send');
    expect(decideDigest(base, { lastAt: new Date(day.getTime() - 9 * 60_000), today: 1 }, day)).toBe('too_soon');
    expect(decideDigest(base, { lastAt: new Date(day.getTime() - 10 * 60_000), today: 1 }, day)).toBe('send');
    expect(decideDigest({ ...base, dailyCap: 1 }, { lastAt: new Date(day.getTime() - 60 * 60_000), today: 1 }, day)).toBe('capped');
  });

  it('windows are 10 minutes; times are HH:MM', () => {
    expect(windowStartOf(new Date('2026-12-01T02:19:59Z')).toISOString()).toBe('2026-12-01T02:10:00.000Z');
    expect(minutesOf('07:05')).toBe(425);
    expect(['24:00', '7:00', '07:60', '', '07:00 '].map(minutesOf)).toEqual([null, null, null, null, null]);
    expect(hhmmOf(1320)).toBe('22:00');
  });
});
