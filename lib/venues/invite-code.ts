import 'server-only';
import { randomInt } from 'node:crypto';
import { SHORT_CODE_ALPHABET } from '@/lib/health-code/short-code';

// 8 characters from an alphabet without look-alikes (no 0/O, 1/I): easy to read out at a door and to
// type; 32^8 ≈ 10^12 codes, and guessing is rate-limited per account and per IP.
export const INVITE_CODE_LENGTH = 8;

export function generateInviteCode(): string {
  return Array.from({ length: INVITE_CODE_LENGTH }, () => SHORT_CODE_ALPHABET[randomInt(SHORT_CODE_ALPHABET.length)]).join('');
}

/** Upper-cases and strips spaces and dashes; null unless it has the shape of an invite code. */
export function normalizeInviteCode(input: string): string | null {
  const code = input.toUpperCase().replace(/[\s-]/g, '');
  return code.length === INVITE_CODE_LENGTH && [...code].every((c) => SHORT_CODE_ALPHABET.includes(c)) ? code : null;
}

export const formatInviteCode = (code: string) => `${code.slice(0, 4)}-${code.slice(4)}`;
