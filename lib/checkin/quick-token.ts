import 'server-only';
import { sign, verify } from 'node:crypto';
import type { CodeKeys } from '@/lib/health-code/token';

// The sunflower code's token (V10): names venue and checker and when it was issued, signed with the
// platform's Ed25519 key. It opens /q for 10 minutes; opening it yields a visit ticket (same format,
// kind 2) that the confirmation accepts for 10 minutes more, so signing in by phone code has time.
//
// Versions (byte 1 of the payload): 1 names no entrance (the venue's main one); 2 adds the entrance id
// at the end (16 bytes more). Version 1 is still signed when no entrance is named, and still verified:
// codes on screens and tickets in visitors' browsers at deploy time keep working.
export const QUICK_TOKEN_TTL_MS = 10 * 60 * 1000;
export const VISIT_TICKET_TTL_MS = 10 * 60 * 1000;
const PREFIX = 'Q1.';
const KIND = { token: 1, ticket: 2 } as const;
const LENGTH = { 1: 38, 2: 54 } as const;

/** entranceId null: the venue's main entrance (every version-1 token and ticket means that). */
export type QuickClaims = { venueId: string; checkerAccountId: string; issuedAt: number; entranceId: string | null };
/** What is signed: no entrance named (undefined or null) signs version 1. */
export type QuickClaimsToSign = Omit<QuickClaims, 'entranceId'> & { entranceId?: string | null };

const uuidBytes = (id: string) => Buffer.from(id.replace(/-/g, ''), 'hex');
const bytesUuid = (b: Buffer) => {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

function signKind(keys: CodeKeys, kind: number, c: QuickClaimsToSign): string {
  const version = c.entranceId ? 2 : 1;
  const payload = Buffer.alloc(LENGTH[version]);
  payload.writeUInt8(kind, 0);
  payload.writeUInt8(version, 1);
  uuidBytes(c.venueId).copy(payload, 2);
  uuidBytes(c.checkerAccountId).copy(payload, 18);
  // Whole seconds, rounded up: a token may live a fraction of a second longer, never shorter.
  payload.writeUInt32BE(Math.ceil(c.issuedAt / 1000), 34);
  if (c.entranceId) uuidBytes(c.entranceId).copy(payload, 38);
  const body = `${PREFIX}${payload.toString('base64url')}`;
  return `${body}.${sign(null, Buffer.from(body), keys.privateKey).toString('base64url')}`;
}

type Verified = { ok: true; claims: QuickClaims } | { ok: false; reason: 'invalid' | 'expired' };

function verifyKind(keys: CodeKeys, kind: number, text: string, ttlMs: number, now: number): Verified {
  if (typeof text !== 'string' || !text.startsWith(PREFIX) || text.length > 200) return { ok: false, reason: 'invalid' };
  const [p, s, extra] = text.slice(PREFIX.length).split('.');
  if (!p || !s || extra !== undefined || !/^[\w-]+$/.test(p) || !/^[\w-]+$/.test(s)) return { ok: false, reason: 'invalid' };
  const payload = Buffer.from(p, 'base64url');
  const signature = Buffer.from(s, 'base64url');
  if (payload.length < 2 || signature.length !== 64 || payload.toString('base64url') !== p || signature.toString('base64url') !== s)
    return { ok: false, reason: 'invalid' };
  const version = payload.readUInt8(1);
  if ((version !== 1 && version !== 2) || payload.length !== LENGTH[version]) return { ok: false, reason: 'invalid' };
  if (!verify(null, Buffer.from(`${PREFIX}${p}`), keys.publicKey, signature)) return { ok: false, reason: 'invalid' };
  if (payload.readUInt8(0) !== kind) return { ok: false, reason: 'invalid' };
  const issuedAt = payload.readUInt32BE(34) * 1000;
  // A token from the future (beyond clock jitter) is as wrong as an old one.
  if (now - issuedAt > ttlMs || issuedAt - now > 60_000) return { ok: false, reason: 'expired' };
  return {
    ok: true,
    claims: {
      venueId: bytesUuid(payload.subarray(2, 18)),
      checkerAccountId: bytesUuid(payload.subarray(18, 34)),
      issuedAt,
      entranceId: version === 2 ? bytesUuid(payload.subarray(38, 54)) : null,
    },
  };
}

export const signQuickToken = (keys: CodeKeys, c: QuickClaimsToSign) => signKind(keys, KIND.token, c);
export const verifyQuickToken = (keys: CodeKeys, text: string, now = Date.now()) =>
  verifyKind(keys, KIND.token, text, QUICK_TOKEN_TTL_MS, now);
/** Issued when a valid token is opened; issuedAt is the opening time; the entrance is the token's. */
export const signVisitTicket = (keys: CodeKeys, c: QuickClaimsToSign) => signKind(keys, KIND.ticket, c);
export const verifyVisitTicket = (keys: CodeKeys, text: string, now = Date.now()) =>
  verifyKind(keys, KIND.ticket, text, VISIT_TICKET_TTL_MS, now);
