// Pure and isomorphic: the server issues and checks codes; the scanner checks a typed code before any look-up.

/** 32 symbols with no 0/O or 1/I, so a code read aloud or off a smudged screen has one spelling. */
export const SHORT_CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
export const SHORT_CODE_LENGTH = 10;
const BODY_LENGTH = SHORT_CODE_LENGTH - 1;

// The checksum works in GF(32) rather than integers mod 32: mod 32 a weight must be odd to catch substitutions, but
// then neighbouring weights differ by an even number and some transpositions slip through. In GF(32) every distinct
// non-zero weight catches every substitution, and (w_i + w_{i+1})·(a + b) ≠ 0 whenever w_i ≠ w_{i+1} and a ≠ b,
// so every adjacent transposition (including one with the check character) is caught as well.
const FIELD_POLY = 0b100101; // x^5 + x^2 + 1, irreducible, so x generates all 31 non-zero elements
const EXP: number[] = [];
const LOG: number[] = new Array(32).fill(-1);
for (let i = 0, v = 1; i < 31; i++) {
  EXP.push(v);
  LOG[v] = i;
  v <<= 1;
  if (v & 0b100000) v ^= FIELD_POLY;
}

function multiply(a: number, b: number): number {
  return a === 0 || b === 0 ? 0 : EXP[(LOG[a] + LOG[b]) % 31];
}

/** Weight of each position: x^1 … x^9 for the body, x^0 = 1 for the check character; all distinct and non-zero. */
export const SHORT_CODE_WEIGHTS: readonly number[] = [...Array.from({ length: BODY_LENGTH }, (_, i) => EXP[i + 1]), EXP[0]];

function syndrome(values: readonly number[]): number {
  return values.reduce((acc, v, i) => acc ^ multiply(SHORT_CODE_WEIGHTS[i], v), 0);
}

function toValues(code: string): number[] {
  return Array.from(code, (c) => SHORT_CODE_ALPHABET.indexOf(c));
}

/** The character that makes a 9-character body a valid code. */
export function computeShortCodeCheckChar(body: string): string {
  if (body.length !== BODY_LENGTH || !isInAlphabet(body)) throw new RangeError('body must be 9 alphabet characters');
  // Check weight is 1 and addition is XOR, so the check value is just the body's weighted sum.
  return SHORT_CODE_ALPHABET[syndrome(toValues(body))];
}

export function generateShortCode(): string {
  let body = '';
  // 32 symbols divide 256 evenly, so a random byte mod 32 is uniform (Web Crypto: Node and browsers).
  for (const byte of globalThis.crypto.getRandomValues(new Uint8Array(BODY_LENGTH)))
    body += SHORT_CODE_ALPHABET[byte % SHORT_CODE_ALPHABET.length];
  return body + computeShortCodeCheckChar(body);
}

/** Upper case without spaces or dashes, or null unless it is 10 alphabet characters (checksum not checked). */
export function normalizeShortCode(input: string): string | null {
  const code = input.replace(/[\s-]/g, '').toUpperCase();
  return code.length === SHORT_CODE_LENGTH && isInAlphabet(code) ? code : null;
}

export type ShortCodeCheck = { ok: true; code: string } | { ok: false; reason: 'format' | 'checksum' };

export function checkShortCode(input: string): ShortCodeCheck {
  const code = normalizeShortCode(input);
  if (code === null) return { ok: false, reason: 'format' };
  return syndrome(toValues(code)) === 0 ? { ok: true, code } : { ok: false, reason: 'checksum' };
}

/** ABCDE-FGHJK: two groups of five are easier to read aloud and to compare by eye. */
export function formatShortCode(code: string): string {
  const clean = code.replace(/[\s-]/g, '').toUpperCase();
  return clean.length === SHORT_CODE_LENGTH ? `${clean.slice(0, 5)}-${clean.slice(5)}` : clean;
}

function isInAlphabet(s: string): boolean {
  return Array.from(s).every((c) => SHORT_CODE_ALPHABET.includes(c));
}
