import 'server-only';
import { randomBytes } from 'node:crypto';
import type { Db } from '@/db';
import { insertQuickLink, quickLinkToken } from '@/db/queries/quick-links';
import { hitRateLimit, peekRateLimit } from '@/db/queries/rate-limits';
import { keyedHash } from '@/lib/auth/keyed-hash';
import { env } from '@/lib/env';
import type { CodeKeys } from '@/lib/health-code/token';
import { issueQuickToken, openQuickToken, type OpenResult } from './quick-checkin';

// The sunflower code's short link: the QR encodes PUBLIC_URL/q/<short id> (about 40 characters instead of
// about 150, so its modules are large enough for a phone camera at arm's length); the id names a stored
// token, kept until the token expires and then pruned (job prune-quick-links).

/** Base32 without the look-alikes 0/O and 1/I: read aloud or typed from the screen without a mistake. */
export const SHORT_ID_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const SHORT_ID_LENGTH = 10;
const SHORT_ID = new RegExp(`^[${SHORT_ID_ALPHABET}]{${SHORT_ID_LENGTH}}$`);

/** 50 random bits: guessing a live id among the few thousand of a busy day is hopeless, and bounded per IP. */
export function newShortId(): string {
  // 32 symbols: the low five bits of each byte are uniform.
  return [...randomBytes(SHORT_ID_LENGTH)].map((b) => SHORT_ID_ALPHABET[b & 31]).join('');
}

/** The id as typed or opened (any case); null when it cannot be one. */
export function normaliseShortId(text: unknown): string | null {
  if (typeof text !== 'string' || text.length !== SHORT_ID_LENGTH) return null;
  const id = text.toUpperCase();
  return SHORT_ID.test(id) ? id : null;
}

/** A long token opened the old way (codes printed on screens before the short links). */
export const isLongQuickToken = (text: string) => text.startsWith('Q1.');

export type QuickLinkLimits = { missesPerIpPerMinute: number; secret: string };
export const quickLinkLimitsFromEnv = (): QuickLinkLimits => ({ missesPerIpPerMinute: 60, secret: env().NEXTAUTH_SECRET });

/** A fresh sunflower code for the checker (issueQuickToken's rules), stored under a new short id. */
export async function issueQuickLink(
  db: Db,
  keys: CodeKeys,
  actor: { accountId: string },
  input: { venueId: string; entranceId: string | null; origin: string },
  now = new Date(),
) {
  const issued = await issueQuickToken(db, keys, actor, input.venueId, now, input.entranceId);
  if (!issued.ok) return issued;
  const expiresAt = new Date(issued.expiresAt);
  // A collision of 50 random bits is next to impossible; drawing again costs nothing.
  for (let attempt = 0; attempt < 3; attempt++) {
    const id = newShortId();
    if (await insertQuickLink(db, { id, venueId: input.venueId, token: issued.token, expiresAt, now })) {
      return { ok: true as const, shortId: id, url: `${input.origin}/q/${id}`, expiresAt: issued.expiresAt };
    }
  }
  throw new Error('no free short id after 3 draws');
}

export type OpenLinkResult = OpenResult | { ok: false; reason: 'rate_limited'; retryAfterSeconds: number };

/**
 * Opening /q/<short id>: the stored token, then exactly what opening the long token does. Unknown and
 * expired ids read the same (the visitor is told the code expired) and count as misses against the
 * client's IP; an IP over its limit is refused before the look-up, and so is an unknown address
 * (lib/auth/client-ip.ts: neither one shared bucket nor a free pass).
 */
export async function openQuickLink(
  db: Db,
  keys: CodeKeys,
  text: string,
  ip: string | null,
  limits: QuickLinkLimits,
  now = new Date(),
): Promise<OpenLinkResult> {
  const id = normaliseShortId(text);
  if (!id) return { ok: false, reason: 'invalid' };
  if (ip === null) return { ok: false, reason: 'rate_limited', retryAfterSeconds: 60 };
  const key = `quick-link-miss:ip:${keyedHash(limits.secret, 'client-ip', ip)}`;
  const limit = await peekRateLimit(db, key, limits.missesPerIpPerMinute, 60, now);
  if (!limit.allowed) return { ok: false, reason: 'rate_limited', retryAfterSeconds: limit.retryAfterSeconds };
  const token = await quickLinkToken(db, id, now);
  if (!token) {
    await hitRateLimit(db, key, limits.missesPerIpPerMinute, 60, now);
    return { ok: false, reason: 'expired' };
  }
  return openQuickToken(db, keys, token, now);
}
