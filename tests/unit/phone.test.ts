import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeCallbackUrl } from '@/lib/auth/callback-url';
import { maskPhone, normalizePhone } from '@/lib/auth/phone';

describe('normalizePhone', () => {
  it('accepts mainland mobile numbers in the usual spellings', () => {
    expect(normalizePhone('13800000001')).toBe('13800000001');
    expect(normalizePhone('138 0000 0001')).toBe('13800000001');
    expect(normalizePhone('+86 138-0000-0001')).toBe('13800000001');
    expect(normalizePhone('8619912345678')).toBe('19912345678');
  });

  it('refuses everything else', () => {
    for (const bad of [
      '',
      '1380000000',
      '138000000012',
      '12800000001',
      '10800000001',
      '23800000001',
      '１３８００００００01',
      'tel:13800000001',
    ]) {
      expect(normalizePhone(bad)).toBeNull();
    }
  });

  it('never returns anything but 11 digits starting 1[3-9]', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (s) => {
        const r = normalizePhone(s);
        return r === null || /^1[3-9]\d{9}$/.test(r);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('maskPhone', () => {
  it('keeps the first three and last four digits', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('123')).toBe('***');
  });
});

describe('safeCallbackUrl', () => {
  it('keeps same-site paths and drops everything else', () => {
    expect(safeCallbackUrl('/settings')).toBe('/settings');
    expect(safeCallbackUrl('/venue?tab=members')).toBe('/venue?tab=members');
    for (const bad of ['https://evil.example/', '//evil.example', '/\\evil.example', 'javascript:alert(1)', undefined, 42, ['//x']]) {
      expect(safeCallbackUrl(bad)).toBe('/');
    }
    expect(safeCallbackUrl('/sign-in?callbackUrl=/x')).toBe('/');
  });
});
