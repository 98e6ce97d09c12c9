import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TOKEN_PREFIX, codeKeysFromSeed, signCodeToken, verifyCodeToken, type CodeClaims, type CodeKind } from '@/lib/health-code/token';

const keys = codeKeysFromSeed(Buffer.alloc(32, 5).toString('base64'));
const otherKeys = codeKeysFromSeed(Buffer.alloc(32, 6).toString('base64'));

const claimsArb: fc.Arbitrary<CodeClaims> = fc.record({
  personId: fc.uuid(),
  kind: fc.constantFrom<CodeKind>('personal', 'offline'),
  generation: fc.integer({ min: 0, max: 0xffff_ffff }),
});

// Base64url symbols, the separator and a few characters a scanner or a copy-paste could introduce.
const replacementChar = fc.constantFrom(
  ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split(''),
  '.',
  '+',
  '/',
  '=',
  ' ',
  '\n',
  '\t',
  '~',
  '中',
  '\u0000',
);

function verifySafely(text: string) {
  // A throw would reach the scanner as a 500; the contract is a result object for any input.
  let result: ReturnType<typeof verifyCodeToken> | undefined;
  expect(() => {
    result = verifyCodeToken(keys, text);
  }).not.toThrow();
  return result!;
}

describe('code tokens', () => {
  it('round-trips any person id, kind and generation', () => {
    fc.assert(
      fc.property(claimsArb, (claims) => {
        const token = signCodeToken(keys, claims);
        expect(token.startsWith(TOKEN_PREFIX)).toBe(true);
        expect(token.length).toBeLessThanOrEqual(200);
        expect(verifyCodeToken(keys, token)).toEqual({ ok: true, claims });
      }),
      { numRuns: 300 },
    );
  });

  it('carries nothing but the claims: the same claims always give the same token', () => {
    const claims: CodeClaims = { personId: '0f8c2a1e-5b7d-4c3e-9a11-2b3c4d5e6f70', kind: 'personal', generation: 3 };
    expect(signCodeToken(keys, claims)).toBe(signCodeToken(keys, claims));
    expect(signCodeToken(keys, claims)).not.toBe(signCodeToken(keys, { ...claims, generation: 4 }));
    expect(signCodeToken(keys, claims)).not.toBe(signCodeToken(keys, { ...claims, kind: 'offline' }));
  });

  it('accepts surrounding whitespace (scanners add line breaks)', () => {
    const claims: CodeClaims = { personId: '0f8c2a1e-5b7d-4c3e-9a11-2b3c4d5e6f70', kind: 'offline', generation: 1 };
    expect(verifyCodeToken(keys, `  ${signCodeToken(keys, claims)}\r\n`)).toEqual({ ok: true, claims });
  });

  it('refuses a token with any single character changed', () => {
    fc.assert(
      fc.property(claimsArb, fc.nat(), replacementChar, (claims, at, c) => {
        const token = signCodeToken(keys, claims);
        const i = at % token.length;
        fc.pre(token[i] !== c);
        const tampered = token.slice(0, i) + c + token.slice(i + 1);
        const result = verifySafely(tampered);
        expect(result.ok).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses every character position changed, exhaustively for one token', () => {
    const token = signCodeToken(keys, { personId: '0f8c2a1e-5b7d-4c3e-9a11-2b3c4d5e6f70', kind: 'personal', generation: 7 });
    for (let i = 0; i < token.length; i++) {
      for (const c of ['A', 'B', 'g', '0', '-', '_', '.']) {
        if (token[i] === c) continue;
        const result = verifySafely(token.slice(0, i) + c + token.slice(i + 1));
        expect(result.ok, `position ${i} → ${c}`).toBe(false);
        if (i < TOKEN_PREFIX.length) expect(result).toEqual({ ok: false, reason: 'not_ours' });
        else expect(result).toEqual({ ok: false, reason: 'bad_signature' });
      }
    }
  });

  it('refuses any truncation', () => {
    fc.assert(
      fc.property(claimsArb, fc.nat(), (claims, n) => {
        const token = signCodeToken(keys, claims);
        const cut = token.slice(0, n % token.length);
        const result = verifySafely(cut);
        expect(result.ok).toBe(false);
        expect(result).toEqual({ ok: false, reason: cut.startsWith(TOKEN_PREFIX) ? 'bad_signature' : 'not_ours' });
      }),
      { numRuns: 500 },
    );
  });

  it('refuses a token signed with another key', () => {
    fc.assert(
      fc.property(claimsArb, (claims) => {
        expect(verifyCodeToken(keys, signCodeToken(otherKeys, claims))).toEqual({ ok: false, reason: 'bad_signature' });
      }),
      { numRuns: 100 },
    );
  });

  it('refuses a genuine payload with another signature spliced in', () => {
    const a = signCodeToken(keys, { personId: '0f8c2a1e-5b7d-4c3e-9a11-2b3c4d5e6f70', kind: 'personal', generation: 1 });
    const b = signCodeToken(keys, { personId: '0f8c2a1e-5b7d-4c3e-9a11-2b3c4d5e6f70', kind: 'personal', generation: 2 });
    const [aBody] = [a.slice(0, a.lastIndexOf('.'))];
    const bSig = b.slice(b.lastIndexOf('.') + 1);
    expect(verifyCodeToken(keys, `${aBody}.${bSig}`)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyCodeToken(keys, `${a}.extra`)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyCodeToken(keys, `${a}=`)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('answers not_ours for text without the YKM1. prefix', () => {
    const token = signCodeToken(keys, { personId: '0f8c2a1e-5b7d-4c3e-9a11-2b3c4d5e6f70', kind: 'personal', generation: 1 });
    const rest = token.slice(TOKEN_PREFIX.length);
    for (const text of [
      rest,
      `ykm1.${rest}`,
      `YKM2.${rest}`,
      `YKM1${rest}`,
      'https://example.com/?q=1',
      '',
      '   ',
      '粤康码',
      `${token}${'A'.repeat(200)}`,
    ]) {
      expect(verifyCodeToken(keys, text), text).toEqual({ ok: false, reason: 'not_ours' });
    }
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        fc.pre(!s.trim().startsWith(TOKEN_PREFIX));
        expect(verifySafely(s)).toEqual({ ok: false, reason: 'not_ours' });
      }),
      { numRuns: 500 },
    );
  });

  it('never throws and never accepts random text, with or without the prefix', () => {
    const b64url = fc.string({
      unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split('')),
      maxLength: 120,
    });
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.string({ unit: 'binary', maxLength: 200 }),
          fc.string({ maxLength: 200 }).map((s) => TOKEN_PREFIX + s),
          fc.tuple(b64url, b64url).map(([p, s]) => `${TOKEN_PREFIX}${p}.${s}`),
          // Right lengths (22-byte payload, 64-byte signature), random bytes.
          fc
            .tuple(fc.uint8Array({ minLength: 22, maxLength: 22 }), fc.uint8Array({ minLength: 64, maxLength: 64 }))
            .map(([p, s]) => `${TOKEN_PREFIX}${Buffer.from(p).toString('base64url')}.${Buffer.from(s).toString('base64url')}`),
        ),
        (text) => {
          expect(verifySafely(text).ok).toBe(false);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
