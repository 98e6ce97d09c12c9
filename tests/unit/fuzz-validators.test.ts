// The pure validators behind the public inputs (issue #9's fuzzing, pure tier of issue #15): 10,000
// hostile cases each, no database. Every one answers (never throws) and accepts exactly what its rule
// allows; the database-backed properties in tests/integration/fuzz-*.test.ts drive the same inputs
// through the real handlers, with fewer cases.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizePhone } from '@/lib/auth/phone';
import { signQuickToken, signVisitTicket, verifyQuickToken, verifyVisitTicket } from '@/lib/checkin/quick-token';
import { FEVER_FROM_DECI, parseTemperature } from '@/lib/checkin/temperature';
import { checkDocumentNumber } from '@/lib/health-code/document-ref';
import { checkShortCode, computeShortCodeCheckChar, SHORT_CODE_ALPHABET } from '@/lib/health-code/short-code';
import { codeKeysFromSeed, signCodeToken, verifyCodeToken } from '@/lib/health-code/token';
import { normalizeContactPhone, validateVenueInfo } from '@/lib/venues/venue-info';
import { PURE_RUNS } from '../helpers/fuzz-runs';

const keys = codeKeysFromSeed(Buffer.alloc(32, 3).toString('base64'));
const otherKeys = codeKeysFromSeed(Buffer.alloc(32, 9).toString('base64'));
const junk = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
);
const text = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
);
const opts = { numRuns: PURE_RUNS };

describe(`pure validators (${PURE_RUNS} cases each)`, () => {
  it('temperature: anything at all is answered; only NN or NN.N within 34.0–43.0 is accepted, fever from 37.3', () => {
    const near = fc.oneof(
      junk,
      fc.integer({ min: 300, max: 470 }).map((d) => `${Math.floor(d / 10)}.${d % 10}`),
      fc.constantFrom('36.55', '3e1', 'NaN', 'Infinity', '３６.６', '36..6', '-36.6', '+36.6', '36.6°C', '0x24', ' 36.6 ', '36,6'),
    );
    fc.assert(
      fc.property(near, (input) => {
        const r = parseTemperature(input);
        if (!r.ok) {
          expect(['format', 'too_low', 'too_high']).toContain(r.reason);
          return;
        }
        const t = typeof input === 'number' ? String(input) : String(input).trim().replace(',', '.');
        expect(t).toMatch(/^\d{2}(\.\d)?$/);
        expect(r.deci).toBeGreaterThanOrEqual(340);
        expect(r.deci).toBeLessThanOrEqual(430);
        expect(r.fever).toBe(r.deci >= FEVER_FROM_DECI);
      }),
      opts,
    );
  });

  it('mobile numbers: only 1[3-9] and nine more digits (spaces, dashes, +86 tolerated)', () => {
    fc.assert(
      fc.property(fc.oneof(text, fc.stringMatching(/^(\+?86)?[ -]?1[0-9][0-9 -]{9,11}$/)), (input) => {
        const r = normalizePhone(input);
        if (r !== null) expect(r).toMatch(/^1[3-9]\d{9}$/);
        else expect(input.replace(/[\s-]/g, '').replace(/^\+?86/, '')).not.toMatch(/^1[3-9]\d{9}$/);
      }),
      opts,
    );
  });

  it('venue contact phone: a mobile or a landline with area code, nothing else', () => {
    fc.assert(
      fc.property(fc.oneof(text, fc.stringMatching(/^0\d{2,3}-?\d{6,9}(-\d{1,7})?$/)), (input) => {
        const r = normalizeContactPhone(input);
        if (r !== null) expect(r).toMatch(/^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$/);
      }),
      opts,
    );
  });

  it('venue form fields: any values give field errors with known codes, never a throw', () => {
    const field = fc.oneof(junk, fc.string({ maxLength: 120 }));
    fc.assert(
      fc.property(
        fc.record({ name: field, type: field, townshipCode: field, address: field, contactPhone: field }, { requiredKeys: [] }),
        (input) => {
          const r = validateVenueInfo(input as Record<string, unknown>);
          if (r.ok) return;
          for (const [k, v] of Object.entries(r.errors)) {
            expect(['name', 'type', 'townshipCode', 'address', 'contactPhone']).toContain(k);
            expect(['required', 'too_long', 'too_short', 'unknown_type', 'region', 'phone', 'text_control', 'text_invisible']).toContain(v);
          }
        },
      ),
      opts,
    );
  });

  it('short codes: every string is format, checksum or a valid code; one changed character is always caught', () => {
    const body = fc.array(fc.constantFrom(...SHORT_CODE_ALPHABET), { minLength: 9, maxLength: 9 }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(text, (input) => {
        const r = checkShortCode(input);
        if (r.ok) expect(r.code).toMatch(/^[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{10}$/);
        else expect(['format', 'checksum']).toContain(r.reason);
      }),
      opts,
    );
    fc.assert(
      fc.property(body, fc.nat(9), fc.constantFrom(...SHORT_CODE_ALPHABET), (b, at, c) => {
        const code = b + computeShortCodeCheckChar(b);
        expect(checkShortCode(code)).toEqual({ ok: true, code });
        if (code[at] === c) return;
        const typo = code.slice(0, at) + c + code.slice(at + 1);
        expect(checkShortCode(typo)).toEqual({ ok: false, reason: 'checksum' });
      }),
      opts,
    );
  });

  it('health-code tokens: anything but a token signed with our key is not_ours or bad_signature', () => {
    const signed = fc.record({
      personId: fc.uuid(),
      kind: fc.constantFrom('personal' as const, 'offline' as const),
      generation: fc.nat(1000),
    });
    const tampered = fc.tuple(signed, fc.nat(), fc.constantFrom(...'ABCabc019-_.')).map(([c, at, ch]) => {
      const t = signCodeToken(keys, c);
      const i = at % t.length;
      return t.slice(0, i) + ch + t.slice(i + 1);
    });
    fc.assert(
      fc.property(
        fc.oneof(
          text,
          tampered,
          signed.map((c) => signCodeToken(otherKeys, c)),
          text.map((s) => `YKM1.${s}`),
        ),
        (input) => {
          const r = verifyCodeToken(keys, input);
          if (r.ok) {
            // Only an unchanged token of ours verifies (a tampered character that decodes the same is harmless).
            expect(verifyCodeToken(keys, signCodeToken(keys, r.claims)).ok).toBe(true);
          } else expect(['not_ours', 'bad_signature']).toContain(r.reason);
        },
      ),
      opts,
    );
  });

  it('quick tokens and visit tickets: junk, the other kind, another key or an expired one never open', () => {
    const now = Date.UTC(2026, 11, 1, 2);
    const claims = fc.record({
      venueId: fc.uuid(),
      checkerAccountId: fc.uuid(),
      issuedAt: fc.integer({ min: now - 30 * 60_000, max: now - 11 * 60_000 }),
    });
    const input = fc.oneof(
      text,
      claims.map((c) => signQuickToken(otherKeys, { ...c, issuedAt: now })),
      claims.map((c) => signQuickToken(keys, c)), // expired
      claims.map((c) => signVisitTicket(keys, { ...c, issuedAt: now })), // a ticket is not a token
    );
    fc.assert(
      fc.property(input, (t) => {
        expect(verifyQuickToken(keys, t, now).ok).toBe(false);
      }),
      opts,
    );
    fc.assert(
      fc.property(text, (t) => {
        expect(verifyVisitTicket(keys, t, now).ok).toBe(false);
      }),
      opts,
    );
  });

  it('document numbers named by officials and the status feed: a bad one is invalid_document with field errors', () => {
    const ref = fc.record({
      idType: fc.oneof(text, fc.constantFrom('cn_resident', 'hk_macau_permit', 'taiwan_permit', 'passport', 'foreign_permanent')),
      idNumber: fc.oneof(text, fc.stringMatching(/^\d{17}[\dXx]$/)),
      nationality: fc.oneof(text, fc.constant(null), fc.constantFrom('USA', 'GBR', 'CHN')),
    });
    fc.assert(
      fc.property(ref, (r) => {
        const out = checkDocumentNumber(r as never);
        if (!out.ok) {
          expect(out.reason).toBe('invalid_document');
          expect(Object.keys(out.errors).length).toBeGreaterThan(0);
        }
      }),
      opts,
    );
  });
});
