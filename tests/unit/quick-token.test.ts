import { sign } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codeKeysFromSeed, signCodeToken } from '@/lib/health-code/token';
import {
  QUICK_TOKEN_TTL_MS,
  VISIT_TICKET_TTL_MS,
  signQuickToken,
  signVisitTicket,
  verifyQuickToken,
  verifyVisitTicket,
  type QuickClaims,
} from '@/lib/checkin/quick-token';

const keys = codeKeysFromSeed(Buffer.alloc(32, 5).toString('base64'));
const otherKeys = codeKeysFromSeed(Buffer.alloc(32, 6).toString('base64'));

const MIN = 60_000;
/** 2026-12-01 10:00:00 CST, a whole second (the token carries seconds). */
const T = Date.parse('2026-12-01T02:00:00Z');
const claims: QuickClaims = {
  venueId: '3f1c2a1e-5b7d-4c3e-9a11-2b3c4d5e6f70',
  checkerAccountId: 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d',
  issuedAt: T,
  entranceId: null,
};
const ENTRANCE = '9d8c7b6a-5f4e-4d3c-8b2a-190817263544';
/** Signed by the release before entrances (version 1), byte for byte: codes on screens at deploy time. */
const V1_TOKEN =
  'Q1.AQE_HCoeW31MPpoRKzxNXm9woLHC0-T1SmuMfZ4PGis8TWsOKiA.M59LoTcgG2tPMco8uap_surtAjg9YSZJhE1kJ-dpnKDxG6P1eG_Qt7lLLE3bE29xaeqmKvHkFDAlimH0um_oBw';
const V1_TICKET =
  'Q1.AgE_HCoeW31MPpoRKzxNXm9woLHC0-T1SmuMfZ4PGis8TWsOKiA.Ng5KxxNJ2x_l-6adn8NkPqvFolEdP3AjUYkiobYqTVaYxqdiuLh2ANCBWuZkrivrnNTLxploh9HMkhy7JHT8Cg';

const claimsArb: fc.Arbitrary<QuickClaims> = fc.record({
  venueId: fc.uuid(),
  checkerAccountId: fc.uuid(),
  // Whole seconds between 2001 and 2106 (the payload holds unsigned 32-bit seconds).
  issuedAt: fc.integer({ min: 1_000_000_000, max: 0xffff_ffff }).map((s) => s * 1000),
  entranceId: fc.option(fc.uuid(), { nil: null }),
});

const replacementChar = fc.constantFrom(
  ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split(''),
  '.',
  '+',
  '/',
  '=',
  ' ',
  '\n',
  '~',
  '中',
  '\u0000',
);

type Verify = typeof verifyQuickToken;
function safely(verify: Verify, text: unknown, now = T) {
  let result: ReturnType<Verify> | undefined;
  expect(() => {
    result = verify(keys, text as string, now);
  }).not.toThrow();
  return result!;
}

describe('quick token (sunflower code)', () => {
  it('round-trips venue, checker and the issue second', () => {
    expect(QUICK_TOKEN_TTL_MS).toBe(10 * MIN);
    const token = signQuickToken(keys, claims);
    expect(token.startsWith('Q1.')).toBe(true);
    expect(token.length).toBeLessThanOrEqual(200);
    expect(verifyQuickToken(keys, token, T)).toEqual({ ok: true, claims });
    fc.assert(
      fc.property(claimsArb, (c) => {
        expect(verifyQuickToken(keys, signQuickToken(keys, c), c.issuedAt + 1)).toEqual({ ok: true, claims: c });
      }),
      { numRuns: 200 },
    );
  });

  it('names the issue time to the second, rounded up, so a token never expires early', () => {
    const token = signQuickToken(keys, { ...claims, issuedAt: T + 1 });
    expect(verifyQuickToken(keys, token, T + 1)).toEqual({ ok: true, claims: { ...claims, issuedAt: T + 1000 } });
    expect(verifyQuickToken(keys, token, T + 1 + 10 * MIN)).toMatchObject({ ok: true });
  });

  it('is valid up to exactly 10 minutes after issue, expired just after', () => {
    const token = signQuickToken(keys, claims);
    expect(verifyQuickToken(keys, token, T + 5 * MIN)).toMatchObject({ ok: true });
    expect(verifyQuickToken(keys, token, T + 10 * MIN)).toEqual({ ok: true, claims });
    expect(verifyQuickToken(keys, token, T + 10 * MIN + 1)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyQuickToken(keys, token, T + 24 * 60 * MIN)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses a token dated more than 60 s in the future (60 s of clock jitter is tolerated)', () => {
    const token = signQuickToken(keys, claims);
    expect(verifyQuickToken(keys, token, T - 60_000)).toEqual({ ok: true, claims });
    expect(verifyQuickToken(keys, token, T - 60_001)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyQuickToken(keys, token, T - 61_000)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyQuickToken(keys, token, T - 60 * MIN)).toEqual({ ok: false, reason: 'expired' });
  });

  it('uses the current time by default', () => {
    const now = Math.floor(Date.now() / 1000) * 1000;
    expect(verifyQuickToken(keys, signQuickToken(keys, { ...claims, issuedAt: now }))).toMatchObject({ ok: true });
    expect(verifyQuickToken(keys, signQuickToken(keys, { ...claims, issuedAt: now - 11 * MIN }))).toEqual({ ok: false, reason: 'expired' });
  });
});

describe('versions', () => {
  const payloadOf = (text: string) => Buffer.from(text.slice(3).split('.')[0], 'base64url');

  it('version 1 (no entrance) is signed exactly as before entrances, and both old texts still verify', () => {
    expect(signQuickToken(keys, claims)).toBe(V1_TOKEN);
    expect(signVisitTicket(keys, claims)).toBe(V1_TICKET);
    // A text of the old release carries no entrance: the main one.
    expect(verifyQuickToken(keys, V1_TOKEN, T)).toEqual({ ok: true, claims: { ...claims, entranceId: null } });
    expect(verifyVisitTicket(keys, V1_TICKET, T)).toEqual({ ok: true, claims: { ...claims, entranceId: null } });
    expect(payloadOf(V1_TOKEN)).toHaveLength(38);
    expect(payloadOf(V1_TOKEN)[1]).toBe(1);
  });

  it('version 2 carries the entrance: 16 bytes more, round-tripped in tokens and tickets', () => {
    const withEntrance = { ...claims, entranceId: ENTRANCE };
    const token = signQuickToken(keys, withEntrance);
    const ticket = signVisitTicket(keys, withEntrance);
    expect(payloadOf(token)).toHaveLength(54);
    expect(payloadOf(token)[1]).toBe(2);
    expect(token.length).toBeLessThanOrEqual(200);
    expect(verifyQuickToken(keys, token, T)).toEqual({ ok: true, claims: withEntrance });
    expect(verifyVisitTicket(keys, ticket, T)).toEqual({ ok: true, claims: withEntrance });
    // The kinds stay apart in version 2 as well.
    expect(verifyVisitTicket(keys, token, T)).toEqual({ ok: false, reason: 'invalid' });
    expect(verifyQuickToken(keys, ticket, T)).toEqual({ ok: false, reason: 'invalid' });
    // No entrance (undefined or null) signs version 1.
    const { entranceId: _, ...bare } = claims;
    expect(signQuickToken(keys, bare)).toBe(V1_TOKEN);
  });

  it('refuses a version it does not know, or a payload whose length does not match its version, even when signed', () => {
    const signed = (payload: Buffer) => {
      const body = `Q1.${payload.toString('base64url')}`;
      return `${body}.${sign(null, Buffer.from(body), keys.privateKey).toString('base64url')}`;
    };
    const v1 = payloadOf(V1_TOKEN);
    const v2 = payloadOf(signQuickToken(keys, { ...claims, entranceId: ENTRANCE }));
    const cases = [
      Buffer.concat([v1.subarray(0, 1), Buffer.from([2]), v1.subarray(2)]), // says 2, 38 bytes
      Buffer.concat([v2.subarray(0, 1), Buffer.from([1]), v2.subarray(2)]), // says 1, 54 bytes
      Buffer.concat([v1.subarray(0, 1), Buffer.from([3]), v2.subarray(2)]),
      Buffer.concat([v1.subarray(0, 1), Buffer.from([0]), v1.subarray(2)]),
      Buffer.concat([v2, Buffer.alloc(1)]),
    ];
    for (const payload of cases) expect(verifyQuickToken(keys, signed(payload), T)).toEqual({ ok: false, reason: 'invalid' });
  });
});

describe('visit ticket', () => {
  it('has its own 10-minute window from the opening', () => {
    expect(VISIT_TICKET_TTL_MS).toBe(10 * MIN);
    // The token was issued at T and opened at T+9 min: the ticket runs until T+19 min.
    const token = signQuickToken(keys, claims);
    const opened = T + 9 * MIN;
    expect(verifyQuickToken(keys, token, opened)).toMatchObject({ ok: true });
    const ticket = signVisitTicket(keys, { ...claims, issuedAt: opened });
    expect(verifyQuickToken(keys, token, T + 15 * MIN)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyVisitTicket(keys, ticket, T + 15 * MIN)).toEqual({ ok: true, claims: { ...claims, issuedAt: opened } });
    expect(verifyVisitTicket(keys, ticket, opened + 10 * MIN)).toMatchObject({ ok: true });
    expect(verifyVisitTicket(keys, ticket, opened + 10 * MIN + 1)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyVisitTicket(keys, ticket, opened - 60_000)).toMatchObject({ ok: true });
    expect(verifyVisitTicket(keys, ticket, opened - 60_001)).toEqual({ ok: false, reason: 'expired' });
  });

  it('a token is not a ticket and a ticket is not a token', () => {
    const token = signQuickToken(keys, claims);
    const ticket = signVisitTicket(keys, claims);
    expect(token).not.toBe(ticket);
    expect(verifyVisitTicket(keys, token, T)).toEqual({ ok: false, reason: 'invalid' });
    expect(verifyQuickToken(keys, ticket, T)).toEqual({ ok: false, reason: 'invalid' });
    // Also when expired: the kind is judged before the time.
    expect(verifyVisitTicket(keys, token, T + 60 * MIN)).toEqual({ ok: false, reason: 'invalid' });
    expect(verifyQuickToken(keys, ticket, T + 60 * MIN)).toEqual({ ok: false, reason: 'invalid' });
    fc.assert(
      fc.property(claimsArb, (c) => {
        expect(verifyVisitTicket(keys, signQuickToken(keys, c), c.issuedAt)).toEqual({ ok: false, reason: 'invalid' });
        expect(verifyQuickToken(keys, signVisitTicket(keys, c), c.issuedAt)).toEqual({ ok: false, reason: 'invalid' });
      }),
      { numRuns: 100 },
    );
  });

  it('a health code token is neither', () => {
    const code = signCodeToken(keys, { personId: claims.venueId, kind: 'personal', generation: 1 });
    expect(verifyQuickToken(keys, code, T)).toEqual({ ok: false, reason: 'invalid' });
    expect(verifyVisitTicket(keys, code, T)).toEqual({ ok: false, reason: 'invalid' });
  });
});

describe('tampering', () => {
  for (const [name, sign, verify] of [
    ['token', signQuickToken, verifyQuickToken],
    ['ticket', signVisitTicket, verifyVisitTicket],
  ] as const) {
    it(`${name}: every single changed character is invalid`, () => {
      const text = sign(keys, claims);
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      for (let i = 0; i < text.length; i++) {
        // The symbols differing in the lowest bits (a change there may only touch padding bits), the top
        // bit, and the separator.
        const k = alphabet.indexOf(text[i]);
        const candidates = k < 0 ? ['A', '.', '-'] : [1, 2, 3, 32].map((x) => alphabet[k ^ x]).concat('.');
        for (const c of candidates) {
          if (c === text[i]) continue;
          const tampered = text.slice(0, i) + c + text.slice(i + 1);
          expect(safely(verify, tampered), `${i}:${c}`).toEqual({ ok: false, reason: 'invalid' });
        }
      }
    });

    it(`${name}: random single changes are invalid (fast-check)`, () => {
      fc.assert(
        fc.property(claimsArb, fc.nat(), replacementChar, (c, at, ch) => {
          const text = sign(keys, c);
          const i = at % text.length;
          fc.pre(text[i] !== ch);
          expect(safely(verify, text.slice(0, i) + ch + text.slice(i + 1), c.issuedAt)).toEqual({ ok: false, reason: 'invalid' });
        }),
        { numRuns: 300 },
      );
    });

    it(`${name}: every truncation, extension and wrapping is invalid`, () => {
      const text = sign(keys, claims);
      for (let n = 0; n < text.length; n++) expect(safely(verify, text.slice(0, n)), String(n)).toEqual({ ok: false, reason: 'invalid' });
      for (let n = 1; n < text.length; n++) expect(safely(verify, text.slice(n)), `-${n}`).toEqual({ ok: false, reason: 'invalid' });
      for (const extended of [
        `${text}A`,
        `${text}.`,
        `${text}.AAAA`,
        `${text}=`,
        `${text}==`,
        ` ${text}`,
        `${text} `,
        `${text}\n`,
        text.toLowerCase(),
        text.toUpperCase(),
      ]) {
        expect(safely(verify, extended), extended).toEqual({ ok: false, reason: 'invalid' });
      }
    });

    it(`${name}: signed with another key is invalid, even when fresh`, () => {
      expect(safely(verify, sign(otherKeys, claims))).toEqual({ ok: false, reason: 'invalid' });
      // The other key's own token verifies with the other key only.
      expect(verify(otherKeys, sign(otherKeys, claims), T)).toMatchObject({ ok: true });
      expect(verify(otherKeys, sign(keys, claims), T)).toEqual({ ok: false, reason: 'invalid' });
    });

    it(`${name}: a payload swapped between two signed texts is invalid`, () => {
      const a = sign(keys, claims);
      const b = sign(keys, { ...claims, checkerAccountId: '11111111-2222-4333-8444-555555555555' });
      const [pa, sa] = a.slice(3).split('.');
      const [pb, sb] = b.slice(3).split('.');
      expect(safely(verify, `Q1.${pa}.${sb}`)).toEqual({ ok: false, reason: 'invalid' });
      expect(safely(verify, `Q1.${pb}.${sa}`)).toEqual({ ok: false, reason: 'invalid' });
    });
  }
});

describe('robustness', () => {
  it('never throws on random strings; they are invalid', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme', maxLength: 300 })), (s) => {
        expect(safely(verifyQuickToken, s)).toEqual({ ok: false, reason: 'invalid' });
        expect(safely(verifyVisitTicket, s)).toEqual({ ok: false, reason: 'invalid' });
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws on random Q1.-shaped strings of base64url parts', () => {
    const b64 = fc.string({
      unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split('')),
      maxLength: 120,
    });
    const shaped = fc.oneof(
      fc.tuple(b64, b64).map(([p, s]) => `Q1.${p}.${s}`),
      fc
        .tuple(fc.uint8Array({ minLength: 38, maxLength: 38 }), fc.uint8Array({ minLength: 64, maxLength: 64 }))
        .map(([p, s]) => `Q1.${Buffer.from(p).toString('base64url')}.${Buffer.from(s).toString('base64url')}`),
      fc.tuple(b64, b64, b64).map(([p, s, x]) => `Q1.${p}.${s}.${x}`),
    );
    fc.assert(
      fc.property(shaped, (s) => {
        expect(safely(verifyQuickToken, s)).toEqual({ ok: false, reason: 'invalid' });
        expect(safely(verifyVisitTicket, s)).toEqual({ ok: false, reason: 'invalid' });
      }),
      { numRuns: 1000 },
    );
  });

  it('non-strings and oversize inputs are invalid, not a crash', () => {
    for (const v of [
      undefined,
      null,
      42,
      {},
      [],
      'Q1.',
      'Q1..',
      'Q1.A.B',
      `Q1.${'A'.repeat(300)}`,
      `Q1.${'A'.repeat(51)}.${'A'.repeat(86)}`,
    ]) {
      expect(safely(verifyQuickToken, v), String(v)).toEqual({ ok: false, reason: 'invalid' });
      expect(safely(verifyVisitTicket, v), String(v)).toEqual({ ok: false, reason: 'invalid' });
    }
  });
});
