import 'server-only';
import type { Db } from '@/db';
import { appendAudit } from '@/db/queries/audit';
import { endedShortCode, personForScan, personIdByShortCode } from '@/db/queries/persons';
import { hitRateLimit, peekRateLimit } from '@/db/queries/rate-limits';
import { keyedHash } from '@/lib/auth/keyed-hash';
import { isUuid } from '@/lib/utils/uuid';
import { checkShortCode } from './short-code';
import { verifyCodeToken, type CodeClaims, type CodeKeys, type CodeKind } from './token';

export type ResolvedPerson = {
  personId: string;
  idHash: string;
  kind: CodeKind | 'short' | 'quick';
  nameMasked: string;
  gender: 'M' | 'F';
  birthDate: string;
  /** The generation of the code that named the person (signed or short code); null for quick check-ins. */
  codeGeneration: number | null;
};

export type ResolveFailure = 'not_ours' | 'bad_signature' | 'superseded' | 'unknown_person';
export type ResolveResult = { ok: true; person: ResolvedPerson } | { ok: false; reason: ResolveFailure };

/**
 * Which generations of a person's code a caller accepts:
 * - 'current': only the code issued now (what is shown or previewed now; an ended code is `superseded`);
 * - 'as_of_scan': any generation issued so far, for the door's write, which judges it as of the record's
 *   effective time under the person's code lock (checkin_insert, migration 0015): an ended code is stored
 *   (flagged code_reissued) for a record effective before it ended, refused `superseded` after.
 */
export type GenerationRule = 'current' | 'as_of_scan';

/**
 * Turns scanned text into a verified person, or the precise reason it is not one. What comes back is
 * what a venue may see: a masked name, gender and birth date (for the age band) — never the name or
 * ID number in clear. The scanner relies on this one function.
 */
export async function resolveScannedText(db: Db, keys: CodeKeys, text: string, rule: GenerationRule = 'current'): Promise<ResolveResult> {
  const parsed = verifyCodeToken(keys, text);
  if (!parsed.ok) return parsed;
  return judgeScannedPerson(parsed.claims, await personForScan(db, parsed.claims.personId), rule);
}

type ScannedPersonRow = { id: string; idHash: string; nameMasked: string; gender: string; birthDate: string; codeGeneration: number };

/**
 * A verified code and the person it names (looked up by the caller): that person, a superseded code, or
 * nobody. A generation never issued (ahead of the person's) is always `superseded`.
 */
export function judgeScannedPerson(claims: CodeClaims, person: ScannedPersonRow | null, rule: GenerationRule = 'current'): ResolveResult {
  if (!person) return { ok: false, reason: 'unknown_person' };
  const ended = claims.generation < person.codeGeneration;
  if (claims.generation > person.codeGeneration || (ended && rule === 'current')) return { ok: false, reason: 'superseded' };
  return {
    ok: true,
    person: {
      personId: person.id,
      idHash: person.idHash,
      kind: claims.kind,
      nameMasked: person.nameMasked,
      gender: person.gender as 'M' | 'F',
      birthDate: person.birthDate,
      codeGeneration: claims.generation,
    },
  };
}

export type ShortCodeResult =
  | { ok: true; person: ResolvedPerson }
  | { ok: false; reason: 'format' | 'checksum' | 'unknown_code' | 'superseded' }
  | { ok: false; reason: 'rate_limited'; retryAfterSeconds: number };

/**
 * A short code typed by a checker when the camera fails. Guessing is bounded per checker: misses
 * (well-formed codes that belong to nobody) count against a per-minute limit kept in the database, so
 * a checker typing real codes at a busy door is never slowed and a guesser is. Every look-up is audited.
 */
export type ShortCodeLimits = {
  perMinute: number;
  /** Misses per client IP per minute (all checkers behind it together), with the secret that hashes the IP. */
  perIp?: { perMinute: number; secret: string };
};

export async function resolveShortCode(
  db: Db,
  /** ip null: a request whose client address is unknown (lib/auth/client-ip.ts); undefined: not a request. */
  actor: { accountId: string; venueId?: string; ip?: string | null },
  input: string,
  limits: ShortCodeLimits,
  now = new Date(),
  rule: GenerationRule = 'current',
): Promise<ShortCodeResult> {
  const checked = checkShortCode(input);
  if (!checked.ok) return checked;
  const counters: [string, number][] = [[`short-code-miss:${actor.accountId}`, limits.perMinute]];
  if (actor.ip === null && limits.perIp) return { ok: false, reason: 'rate_limited', retryAfterSeconds: 60 };
  if (actor.ip && limits.perIp)
    counters.push([`short-code-miss:ip:${keyedHash(limits.perIp.secret, 'client-ip', actor.ip)}`, limits.perIp.perMinute]);
  for (const [key, max] of counters) {
    const limit = await peekRateLimit(db, key, max, 60, now);
    if (!limit.allowed) return { ok: false, reason: 'rate_limited', retryAfterSeconds: limit.retryAfterSeconds };
  }
  // The current code first; else an ended one (person_code_history), which names its person and generation.
  const currentId = await personIdByShortCode(db, checked.code);
  const ended = currentId ? null : await endedShortCode(db, checked.code);
  const personId = currentId ?? ended?.personId ?? null;
  // A miss is a code that never named anyone: only those count against the guessing limits.
  if (!personId) for (const [key, max] of counters) await hitRateLimit(db, key, max, 60, now);
  await appendAudit(db, {
    actorAccountId: actor.accountId,
    action: 'short_code.lookup',
    targetType: 'person',
    targetId: personId ?? undefined,
    venueId: isUuid(actor.venueId) ? actor.venueId : null,
    details: { found: Boolean(personId), venueId: actor.venueId ?? null, ...(ended ? { endedGeneration: ended.generation } : {}) },
    at: now,
  });
  const person = personId ? await personForScan(db, personId) : null;
  if (!person) return { ok: false, reason: 'unknown_code' };
  if (ended && rule === 'current') return { ok: false, reason: 'superseded' };
  return {
    ok: true,
    person: {
      personId: person.id,
      idHash: person.idHash,
      kind: 'short',
      nameMasked: person.nameMasked,
      gender: person.gender as 'M' | 'F',
      birthDate: person.birthDate,
      codeGeneration: ended ? ended.generation : person.codeGeneration,
    },
  };
}
