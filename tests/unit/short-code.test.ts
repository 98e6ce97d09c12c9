import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  SHORT_CODE_ALPHABET,
  SHORT_CODE_LENGTH,
  SHORT_CODE_WEIGHTS,
  checkShortCode,
  computeShortCodeCheckChar,
  formatShortCode,
  generateShortCode,
  normalizeShortCode,
} from '@/lib/health-code/short-code';

const A = SHORT_CODE_ALPHABET;

function substitute(code: string, i: number, c: string): string {
  return code.slice(0, i) + c + code.slice(i + 1);
}

function transpose(code: string, i: number): string {
  return code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2);
}

// A valid code with the given characters at the given positions (the check position included): positions 0–8 are
// set directly, and position 0 — never pinned together with the check character here — is searched to hit a check.
function codeWith(pinned: Record<number, string>): string {
  const body = Array.from({ length: 9 }, (_, i) => pinned[i] ?? '2');
  const wanted = pinned[9];
  for (const first of wanted === undefined || pinned[0] !== undefined ? [body[0]] : A) {
    body[0] = first;
    const code = body.join('') + computeShortCodeCheckChar(body.join(''));
    if (wanted === undefined || code[9] === wanted) return code;
  }
  throw new Error(`no code with ${JSON.stringify(pinned)}`);
}

describe('alphabet and weights', () => {
  it('has 32 distinct symbols without look-alikes', () => {
    expect(new Set(A).size).toBe(32);
    expect(A).not.toMatch(/[01OI]/);
  });

  it('uses distinct non-zero field weights', () => {
    expect(SHORT_CODE_WEIGHTS).toHaveLength(SHORT_CODE_LENGTH);
    expect(new Set(SHORT_CODE_WEIGHTS).size).toBe(SHORT_CODE_LENGTH);
    expect(SHORT_CODE_WEIGHTS.every((w) => w > 0 && w < 32)).toBe(true);
  });
});

describe('generateShortCode', () => {
  it('produces 10,000 codes that all check ok', () => {
    const seen = new Set<string>();
    for (let n = 0; n < 10_000; n++) {
      const code = generateShortCode();
      expect(code).toMatch(/^[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{10}$/);
      expect(checkShortCode(code)).toEqual({ ok: true, code });
      seen.add(code);
    }
    // 45 bits of randomness: a collision in 10,000 would mean the generator is broken.
    expect(seen.size).toBe(10_000);
  });
});

describe('checksum error detection', () => {
  it('rejects every single substitution and adjacent transposition of 300 random codes', () => {
    let checked = 0;
    for (let n = 0; n < 300; n++) {
      const code = generateShortCode();
      for (let i = 0; i < SHORT_CODE_LENGTH; i++) {
        for (const c of A) {
          if (c === code[i]) continue;
          expect(checkShortCode(substitute(code, i, c))).toEqual({ ok: false, reason: 'checksum' });
          checked++;
        }
      }
      for (let i = 0; i < SHORT_CODE_LENGTH - 1; i++) {
        if (code[i] === code[i + 1]) continue;
        expect(checkShortCode(transpose(code, i))).toEqual({ ok: false, reason: 'checksum' });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(300 * 310);
  });

  // The checksum is linear, so whether an error is caught depends only on the position(s) and the two characters
  // involved. Covering every (position, a, b) therefore proves the property for all 32^9 codes.
  it('catches every substitution for every position and character pair (complete)', () => {
    for (let i = 0; i < SHORT_CODE_LENGTH; i++) {
      for (const a of A) {
        const code = codeWith({ [i]: a });
        expect(code[i]).toBe(a);
        for (const b of A) {
          if (b !== a) expect(checkShortCode(substitute(code, i, b)).ok).toBe(false);
        }
      }
    }
  });

  it('catches every adjacent transposition for every position and character pair (complete)', () => {
    for (let i = 0; i < SHORT_CODE_LENGTH - 1; i++) {
      for (const a of A) {
        for (const b of A) {
          if (a === b) continue;
          const code = codeWith({ [i]: a, [i + 1]: b });
          expect(code.slice(i, i + 2)).toBe(a + b);
          expect(checkShortCode(transpose(code, i)).ok).toBe(false);
        }
      }
    }
  });
});

describe('normalizeShortCode / checkShortCode', () => {
  it('accepts lower case, spaces and dashes', () => {
    const code = generateShortCode();
    const typed = `${code.slice(0, 5).toLowerCase()} - ${code.slice(5)}`;
    expect(normalizeShortCode(typed)).toBe(code);
    expect(checkShortCode(typed)).toEqual({ ok: true, code });
  });

  it('refuses wrong lengths and look-alike characters as format errors', () => {
    const code = generateShortCode();
    for (const bad of [
      '',
      code.slice(0, 9),
      `${code}2`,
      substitute(code, 3, '0'),
      substitute(code, 3, 'O'),
      substitute(code, 3, '1'),
      substitute(code, 3, 'I'),
      substitute(code, 3, '_'),
    ]) {
      expect(normalizeShortCode(bad)).toBeNull();
      expect(checkShortCode(bad)).toEqual({ ok: false, reason: 'format' });
    }
  });

  it('never returns anything but 10 alphabet characters', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 16 }), (s) => {
        const r = normalizeShortCode(s);
        return r === null || (r.length === 10 && Array.from(r).every((c) => A.includes(c)));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('formatShortCode', () => {
  it('groups a code in two fives', () => {
    expect(formatShortCode('ABCDEFGHJK')).toBe('ABCDE-FGHJK');
    const code = generateShortCode();
    expect(checkShortCode(formatShortCode(code))).toEqual({ ok: true, code });
  });
});

describe('computeShortCodeCheckChar', () => {
  it('refuses bodies that are not 9 alphabet characters', () => {
    expect(() => computeShortCodeCheckChar('ABCDEFGH')).toThrow(RangeError);
    expect(() => computeShortCodeCheckChar('ABCDEFGH0')).toThrow(RangeError);
  });
});
