import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskIdNumber, maskName } from '@/lib/identity/mask';

// BMP ideographs plus a slice of Extension B, which needs surrogate pairs in UTF-16.
const cjkChar = fc
  .oneof(fc.integer({ min: 0x4e00, max: 0x9fff }), fc.integer({ min: 0x20000, max: 0x2a6df }))
  .map((cp) => String.fromCodePoint(cp));
const cjkName = fc.array(cjkChar, { minLength: 1, maxLength: 12 }).map((cs) => cs.join(''));

describe('maskName', () => {
  it('masks Chinese names after the first character', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('张三丰')).toBe('张**');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskName('阿依古丽·买买提')).toBe('阿*******');
    expect(maskName('𠮷野家')).toBe('𠮷**');
    expect(maskName('')).toBe('');
  });

  it('masks Latin names letter by letter but keeps spaces', () => {
    expect(maskName('SMITH JOHN')).toBe('S**** ****');
    expect(maskName("O'BRIEN MARY ANN")).toBe('O****** **** ***');
    expect(maskName('Zhang San')).toBe('Z**** ***');
  });

  it('reveals only the first character of a CJK name and keeps its length', () => {
    fc.assert(
      fc.property(cjkName, (name) => {
        const chars = Array.from(name);
        const masked = Array.from(maskName(name));
        expect(masked).toHaveLength(chars.length);
        expect(masked[0]).toBe(chars[0]);
        expect(masked.slice(1).every((c) => c === '*')).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('reveals only the first letter of a Latin name and keeps the spaces', () => {
    const latinName = fc.array(fc.stringMatching(/^[A-Z']{1,12}$/), { minLength: 1, maxLength: 4 }).map((parts) => parts.join(' '));
    fc.assert(
      fc.property(latinName, (name) => {
        fc.pre(/[A-Z]/.test(name));
        const masked = maskName(name);
        expect(masked).toHaveLength(name.length);
        expect(masked[0]).toBe(name[0]);
        for (let i = 1; i < name.length; i++) expect(masked[i]).toBe(name[i] === ' ' ? ' ' : '*');
      }),
      { numRuns: 2000 },
    );
  });
});

describe('maskIdNumber', () => {
  it('keeps four characters at each end of long numbers', () => {
    expect(maskIdNumber('44010619900101123X')).toBe('4401**********123X');
    expect(maskIdNumber('H123456789')).toBe('H123**6789');
    expect(maskIdNumber('E12345678')).toBe('E123*5678');
  });

  it('keeps one character at each end of short numbers and hides tiny ones', () => {
    expect(maskIdNumber('12345678')).toBe('1******8');
    expect(maskIdNumber('H1234')).toBe('H***4');
    expect(maskIdNumber('123')).toBe('1*3');
    expect(maskIdNumber('12')).toBe('**');
    expect(maskIdNumber('1')).toBe('*');
    expect(maskIdNumber('')).toBe('');
  });

  it('never reveals more than the allowed positions', () => {
    const idLike = fc.oneof(
      fc.stringMatching(/^[0-9A-Z]{0,24}$/),
      fc.array(cjkChar, { maxLength: 20 }).map((cs) => cs.join('')),
    );
    fc.assert(
      fc.property(idLike, (id) => {
        const chars = Array.from(id);
        const masked = Array.from(maskIdNumber(id));
        const n = chars.length;
        expect(masked).toHaveLength(n);
        const keep = n > 8 ? 4 : n > 2 ? 1 : 0;
        masked.forEach((c, i) => {
          const visible = i < keep || i >= n - keep;
          expect(c).toBe(visible ? chars[i] : '*');
        });
      }),
      { numRuns: 3000 },
    );
  });
});
