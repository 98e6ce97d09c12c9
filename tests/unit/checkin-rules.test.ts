import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCodeDeduper } from '@/lib/checkin/client/dedupe';
import { effectiveTime, FUTURE_TOLERANCE_MS, LATE_AFTER_MS, MAX_CLOCK_OFFSET_MS, MAX_LATENESS_MS } from '@/lib/checkin/effective-time';
import { SUPERSEDE_WINDOW_MS } from '@/lib/checkin/supersede';
import {
  FEVER_FROM_DECI,
  formatTemperature,
  isFeverDeci,
  MAX_TEMPERATURE_DECI,
  MIN_TEMPERATURE_DECI,
  parseTemperature,
  PRESET_TEMPERATURES_DECI,
} from '@/lib/checkin/temperature';

describe('parseTemperature', () => {
  it('accepts °C with at most one decimal, as text or number, with a decimal comma', () => {
    const accepted: [unknown, number, boolean][] = [
      ['36', 360, false],
      [36.6, 366, false],
      ['36.6', 366, false],
      ['36,6', 366, false],
      [' 36.6 ', 366, false],
      [37, 370, false],
      ['34.0', 340, false],
      ['34', 340, false],
      [34, 340, false],
      ['43.0', 430, true],
      [43, 430, true],
      ['37.2', 372, false],
      ['37.3', 373, true],
      [37.3, 373, true],
      ['37,3', 373, true],
      ['38.5', 385, true],
      ['40', 400, true],
    ];
    for (const [input, deci, fever] of accepted) {
      expect(parseTemperature(input), JSON.stringify(input)).toEqual({ ok: true, deci, fever });
    }
  });

  it('refuses more than one decimal as a format error (never rounded), and anything that is not a temperature', () => {
    const format: unknown[] = [
      '36.65',
      36.65,
      '36.60',
      '36,65',
      '',
      '   ',
      '36.',
      '.5',
      '036.6',
      '3e1',
      '-36.6',
      '+36.6',
      '36.6.1',
      '36,6,1',
      '36 .6',
      '３６.６',
      'abc',
      '9',
      '100',
      '100.0',
      NaN,
      Infinity,
      -Infinity,
      null,
      undefined,
      {},
      [36.6],
      true,
    ];
    for (const input of format) expect(parseTemperature(input), String(input)).toEqual({ ok: false, reason: 'format' });
  });

  it('refuses out-of-range readings with their own reason: 34.0–43.0 inclusive', () => {
    expect(parseTemperature('33.9')).toEqual({ ok: false, reason: 'too_low' });
    expect(parseTemperature(33.9)).toEqual({ ok: false, reason: 'too_low' });
    expect(parseTemperature('20')).toEqual({ ok: false, reason: 'too_low' });
    expect(parseTemperature('00.0')).toEqual({ ok: false, reason: 'too_low' });
    expect(parseTemperature('43.1')).toEqual({ ok: false, reason: 'too_high' });
    expect(parseTemperature(43.1)).toEqual({ ok: false, reason: 'too_high' });
    expect(parseTemperature('99.9')).toEqual({ ok: false, reason: 'too_high' });
    expect(parseTemperature('34.0')).toMatchObject({ ok: true, deci: 340 });
    expect(parseTemperature('43.0')).toMatchObject({ ok: true, deci: 430 });
  });

  it('fever is from 37.3 °C', () => {
    expect(FEVER_FROM_DECI).toBe(373);
    expect(parseTemperature('37.3')).toEqual({ ok: true, deci: 373, fever: true });
    expect(parseTemperature('37.2')).toEqual({ ok: true, deci: 372, fever: false });
    expect(isFeverDeci(373)).toBe(true);
    expect(isFeverDeci(372)).toBe(false);
    // The door's preset chips are all normal readings.
    for (const d of PRESET_TEMPERATURES_DECI) expect(parseTemperature(formatTemperature(d))).toEqual({ ok: true, deci: d, fever: false });
  });

  it('property: every accepted value is in range with one decimal, and fever iff ≥ 37.3', () => {
    const digits = (min: number, max: number) =>
      fc.string({ unit: fc.constantFrom(...'0123456789'.split('')), minLength: min, maxLength: max });
    const textual = fc
      .tuple(fc.constantFrom('', ' '), digits(0, 3), fc.constantFrom('', '.', ','), digits(0, 3), fc.constantFrom('', ' '))
      .map(([a, i, sep, f, b]) => `${a}${i}${sep}${f}${b}`);
    const anyInput = fc.oneof(textual, fc.double({ min: 0, max: 120 }), fc.integer({ min: 0, max: 120 }), fc.string(), fc.anything());
    fc.assert(
      fc.property(anyInput, (input) => {
        const r = parseTemperature(input);
        if (!r.ok) return;
        expect(Number.isInteger(r.deci)).toBe(true);
        expect(r.deci).toBeGreaterThanOrEqual(MIN_TEMPERATURE_DECI);
        expect(r.deci).toBeLessThanOrEqual(MAX_TEMPERATURE_DECI);
        expect(r.fever).toBe(r.deci >= 373);
        // The accepted text is exactly the value with at most one decimal: nothing was rounded away.
        const text = (typeof input === 'number' ? String(input) : String(input).trim()).replace(',', '.');
        expect(text).toMatch(/^\d{2}(\.\d)?$/);
        expect(Math.round(Number(text) * 10)).toBe(r.deci);
        expect(Number(text) * 10).toBeCloseTo(r.deci, 9);
      }),
      { numRuns: 2000 },
    );
  });

  it('property: every tenth in range round-trips as text, with a comma and as a number', () => {
    fc.assert(
      fc.property(fc.integer({ min: MIN_TEMPERATURE_DECI, max: MAX_TEMPERATURE_DECI }), (deci) => {
        const expected = { ok: true, deci, fever: deci >= 373 };
        expect(parseTemperature(formatTemperature(deci))).toEqual(expected);
        expect(parseTemperature(formatTemperature(deci).replace('.', ','))).toEqual(expected);
        expect(parseTemperature(deci / 10)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 999 }).filter((d) => d < MIN_TEMPERATURE_DECI || d > MAX_TEMPERATURE_DECI),
        (deci) => {
          const r = parseTemperature(`${String(Math.floor(deci / 10)).padStart(2, '0')}.${deci % 10}`);
          expect(r).toEqual(
            deci >= 1000 ? { ok: false, reason: 'format' } : { ok: false, reason: deci < MIN_TEMPERATURE_DECI ? 'too_low' : 'too_high' },
          );
        },
      ),
    );
  });
});

describe('effectiveTime', () => {
  const now = new Date('2026-12-01T02:00:00Z');
  const N = now.getTime();
  const MIN = 60_000;

  it('is the scanner time plus the measured offset', () => {
    expect(effectiveTime(N - MIN, 2000, now)).toEqual({ ok: true, at: new Date(N - MIN + 2000), late: false });
    expect(effectiveTime(N - MIN, -2000, now)).toEqual({ ok: true, at: new Date(N - MIN - 2000), late: false });
    // A scanner whose clock runs 10 minutes fast: the offset brings its time back to the server's.
    expect(effectiveTime(N + 10 * MIN, -10 * MIN, now)).toEqual({ ok: true, at: now, late: false });
    // A scanner 3 hours slow, reading taken a minute ago.
    expect(effectiveTime(N - 3 * 60 * MIN - MIN, 3 * 60 * MIN, now)).toEqual({ ok: true, at: new Date(N - MIN), late: false });
    expect(effectiveTime(N, 0, now)).toEqual({ ok: true, at: now, late: false });
  });

  it('flags a record late when it is more than 5 minutes old', () => {
    expect(LATE_AFTER_MS).toBe(5 * MIN);
    expect(effectiveTime(N - 5 * MIN, 0, now)).toMatchObject({ ok: true, late: false });
    expect(effectiveTime(N - 5 * MIN - 1, 0, now)).toMatchObject({ ok: true, late: true });
    expect(effectiveTime(N - 4 * MIN, -MIN - 1, now)).toMatchObject({ ok: true, late: true });
    expect(effectiveTime(N - 6 * MIN, MIN, now)).toMatchObject({ ok: true, late: false });
  });

  it('accepts up to 14 days late, not a millisecond more', () => {
    expect(MAX_LATENESS_MS).toBe(14 * 24 * 60 * MIN);
    expect(effectiveTime(N - MAX_LATENESS_MS, 0, now)).toEqual({ ok: true, at: new Date(N - MAX_LATENESS_MS), late: true });
    expect(effectiveTime(N - MAX_LATENESS_MS - 1, 0, now)).toEqual({ ok: false, reason: 'too_old' });
    // The offset counts: the scanner's own time is within 14 days but the corrected one is not.
    expect(effectiveTime(N - MAX_LATENESS_MS + MIN, -2 * MIN, now)).toEqual({ ok: false, reason: 'too_old' });
  });

  it('is never in the future: beyond 30 s refused, within it clamped to now', () => {
    expect(FUTURE_TOLERANCE_MS).toBe(30_000);
    expect(effectiveTime(N + 30_001, 0, now)).toEqual({ ok: false, reason: 'future' });
    expect(effectiveTime(N + 60 * MIN, 0, now)).toEqual({ ok: false, reason: 'future' });
    expect(effectiveTime(N, 30_001, now)).toEqual({ ok: false, reason: 'future' });
    expect(effectiveTime(N + 30_000, 0, now)).toEqual({ ok: true, at: now, late: false });
    expect(effectiveTime(N + 1, 0, now)).toEqual({ ok: true, at: now, late: false });
    expect(effectiveTime(N + 20_000, 5_000, now)).toEqual({ ok: true, at: now, late: false });
  });

  it('refuses times and offsets that are not whole milliseconds, or not plausible', () => {
    const bad: [unknown, unknown][] = [
      [N + 0.5, 0],
      [NaN, 0],
      [Infinity, 0],
      [-Infinity, 0],
      [String(N), 0],
      [null, 0],
      [undefined, 0],
      [0, 0],
      [-5, 0],
      [Number.MAX_SAFE_INTEGER + 2, 0],
      [N, 0.5],
      [N, NaN],
      [N, Infinity],
      [N, '0'],
      [N, null],
      [N, undefined],
      [N, MAX_CLOCK_OFFSET_MS + 1],
      [N, -MAX_CLOCK_OFFSET_MS - 1],
      [new Date(N), 0],
    ];
    for (const [scannedAt, offset] of bad) {
      expect(effectiveTime(scannedAt, offset, now), `${String(scannedAt)} / ${String(offset)}`).toEqual({
        ok: false,
        reason: 'invalid_time',
      });
    }
    // A day of offset is the limit, not beyond.
    expect(effectiveTime(N - MAX_CLOCK_OFFSET_MS, MAX_CLOCK_OFFSET_MS, now)).toEqual({ ok: true, at: now, late: false });
    expect(effectiveTime(N + MAX_CLOCK_OFFSET_MS, -MAX_CLOCK_OFFSET_MS, now)).toEqual({ ok: true, at: now, late: false });
  });

  it('property: an accepted time is within [now − 14 d, now], corrected by the offset, and late iff more than 5 min old', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -20 * 24 * 60 * MIN, max: 60 * MIN }),
        fc.integer({ min: -MAX_CLOCK_OFFSET_MS - 5, max: MAX_CLOCK_OFFSET_MS + 5 }),
        (ageOffset, offset) => {
          const scannedAt = N + ageOffset;
          const r = effectiveTime(scannedAt, offset, now);
          const raw = scannedAt + offset;
          if (Math.abs(offset) > MAX_CLOCK_OFFSET_MS) {
            expect(r).toEqual({ ok: false, reason: 'invalid_time' });
          } else if (raw > N + FUTURE_TOLERANCE_MS) {
            expect(r).toEqual({ ok: false, reason: 'future' });
          } else if (raw < N - MAX_LATENESS_MS) {
            expect(r).toEqual({ ok: false, reason: 'too_old' });
          } else {
            expect(r.ok).toBe(true);
            if (!r.ok) return;
            expect(r.at.getTime()).toBe(Math.min(raw, N));
            expect(r.at.getTime()).toBeLessThanOrEqual(N);
            expect(r.late).toBe(N - raw > LATE_AFTER_MS);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('the supersede window is 30 minutes', () => {
    expect(SUPERSEDE_WINDOW_MS).toBe(30 * MIN);
  });
});

describe('scanner dedupe', () => {
  it('ignores the same code within 5 s of its last sighting, accepts it from 5 s', () => {
    const d = createCodeDeduper();
    expect(d.accept('YKM1.a', 1_000_000)).toBe(true);
    expect(d.accept('YKM1.a', 1_004_900)).toBe(false);
    // 5 s after the last sighting (at +4.9 s), not after the first.
    expect(d.accept('YKM1.a', 1_009_899)).toBe(false);
    expect(d.accept('YKM1.a', 1_014_899)).toBe(true);
  });

  it('accepts the same code exactly 5 s after its last sighting', () => {
    const d = createCodeDeduper();
    expect(d.accept('X', 0 + 1)).toBe(true);
    expect(d.accept('X', 5_001)).toBe(true);
    expect(d.accept('X', 10_000)).toBe(false);
  });

  it('keeps ignoring a code held in view, however long', () => {
    const d = createCodeDeduper();
    const start = 2_000_000;
    expect(d.accept('held', start)).toBe(true);
    // Sighted 10 times a second for a minute: never accepted again.
    for (let t = 100; t <= 60_000; t += 100) expect(d.accept('held', start + t)).toBe(false);
    // Taken away for 5 s, shown again: a new scan.
    expect(d.accept('held', start + 65_000)).toBe(true);
  });

  it('accepts a different code at once', () => {
    const d = createCodeDeduper();
    expect(d.accept('A', 10_000)).toBe(true);
    expect(d.accept('B', 10_001)).toBe(true);
    expect(d.accept('B', 10_002)).toBe(false);
    expect(d.accept('C', 10_003)).toBe(true);
  });

  it('honours a custom window', () => {
    const d = createCodeDeduper(1000);
    expect(d.accept('A', 0 + 10)).toBe(true);
    expect(d.accept('A', 1009)).toBe(false);
    expect(d.accept('A', 2009)).toBe(true);
  });
});

describe('dedupe with two people alternating', () => {
  it('remembers every recent code, not only the last one', () => {
    const d = createCodeDeduper(5000);
    expect(d.accept('A', 0)).toBe(true);
    expect(d.accept('B', 1000)).toBe(true);
    expect(d.accept('A', 2000)).toBe(false);
    expect(d.accept('B', 6999)).toBe(true);
    expect(d.accept('A', 7001)).toBe(true);
  });
});
