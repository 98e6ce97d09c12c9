// The query of 数据统计 and its CSV export (lib/stats/stats-query.ts, issue #16 "No 500s"): the inputs that
// gave 500s are refused, real ones pass, and nothing at all throws.
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isCalendarDay, statsExportQuery, statsPageQuery } from '@/lib/stats/stats-query';
import { PURE_RUNS } from '../helpers/fuzz-runs';

// 2026-03-10 12:00 CST: today is 2026-03-10, tomorrow 2026-03-11.
beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2026-03-10T04:00:00Z'));
});
afterEach(() => vi.useRealTimers());

describe('stats query', () => {
  it('refuses what gave 500s: no such day, a year out of range, a page that is no number', () => {
    for (const q of [
      { day: '2026-02-31' },
      { from: '0999-01-01' },
      { to: '9999-12-31' },
      { fp: 'abc' },
      { fp: '-1' },
      { fp: '1e3' },
      { fp: '99999999' },
      { day: '2019-12-31' },
      { to: '2026-03-12' },
      { range: '45' },
      { fs: 'everything' },
      { day: ['2026-03-01', '2026-03-02'] },
      { from: '2024-01-01', to: '2026-03-10' },
    ]) {
      expect(statsPageQuery.safeParse(q).success, JSON.stringify(q)).toBe(false);
      const { fp: _fp, range: _range, fs: _fs, ...days } = q as Record<string, unknown>;
      if (Object.keys(days).length > 0) expect(statsExportQuery.safeParse({ kind: 'daily', ...days }).success).toBe(false);
    }
  });

  it('passes real queries, reads a reversed range the right way round and a cleared field as none', () => {
    expect(statsPageQuery.parse({ day: '2026-02-28', range: '90', fp: '2', fs: 'all' })).toEqual({
      day: '2026-02-28',
      range: 90,
      fp: 2,
      fs: 'all',
    });
    // A year and a day at most (tomorrow back to the same date a year before), either way round.
    expect(statsPageQuery.parse({ from: '2026-03-11', to: '2025-03-10' })).toMatchObject({ from: '2025-03-10', to: '2026-03-11' });
    expect(statsPageQuery.safeParse({ from: '2026-03-11', to: '2025-03-09' }).success).toBe(false);
    expect(statsPageQuery.parse({ day: '2020-01-01' }).day).toBe('2020-01-01');
    expect(statsPageQuery.parse({ from: '2026-03-01', to: '2026-02-01' })).toMatchObject({ from: '2026-02-01', to: '2026-03-01' });
    expect(statsPageQuery.parse({ from: '', to: '', day: '' })).toEqual({});
    expect(statsExportQuery.parse({ kind: 'hourly', day: '2026-03-11' })).toEqual({ kind: 'hourly', day: '2026-03-11' });
    expect(statsExportQuery.safeParse({ kind: 'pdf' }).success).toBe(false);
  });

  it('knows the calendar', () => {
    expect(['2024-02-29', '2026-12-31'].every(isCalendarDay)).toBe(true);
    expect(['2026-02-29', '2026-13-01', '2026-1-01', '0999-01-01', '2026-02-31x', ''].some(isCalendarDay)).toBe(false);
  });

  it(`never throws, whatever the query (${PURE_RUNS} cases)`, () => {
    const value = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
      fc.array(fc.string(), { maxLength: 2 }),
    );
    const query = fc.record({ day: value, from: value, to: value, fp: value, range: value, fs: value, kind: value }, { requiredKeys: [] });
    fc.assert(
      fc.property(query, (q) => {
        statsPageQuery.safeParse(q);
        statsExportQuery.safeParse(q);
      }),
      { numRuns: PURE_RUNS },
    );
  });
});
