import 'server-only';
import { createHash } from 'node:crypto';
import type { Db } from '@/db';
import { wasActiveCheckerAt } from '@/db/queries/checker-bindings';
import { currentStatuses } from '@/db/queries/health-status';
import { personsOfAccount } from '@/db/queries/persons';
import { openEntranceOfVenue } from '@/db/queries/quick-links';
import { venueById } from '@/db/queries/venues';
import type { CodeKeys } from '@/lib/health-code/token';
import { signQuickToken, signVisitTicket, verifyQuickToken, verifyVisitTicket, QUICK_TOKEN_TTL_MS } from './quick-token';
import { recordCheckins } from './record';
import { venueClosedFor } from './venue-closed';

/**
 * The checker's sunflower code: a fresh token for this checker at this venue, if active there now, for
 * one of the venue's open entrances (null: no entrance named, the main one). Another venue's entrance, or
 * a removed one, is refused rather than swapped for the main one: the screen names the entrance it asked for.
 */
export async function issueQuickToken(
  db: Db,
  keys: CodeKeys,
  actor: { accountId: string },
  venueId: string,
  now = new Date(),
  entranceId: string | null = null,
) {
  if (!(await wasActiveCheckerAt(db, venueId, actor.accountId, now)))
    return {
      ok: false as const,
      reason: (await venueClosedFor(db, venueId, actor.accountId)) ? ('venue_closed' as const) : ('not_checker' as const),
    };
  if (entranceId !== null && !(await openEntranceOfVenue(db, venueId, entranceId)))
    return { ok: false as const, reason: 'unknown_entrance' as const };
  const token = signQuickToken(keys, { venueId, checkerAccountId: actor.accountId, issuedAt: now.getTime(), entranceId });
  return { ok: true as const, token, expiresAt: new Date(now.getTime() + QUICK_TOKEN_TTL_MS).toISOString() };
}

export type OpenResult =
  { ok: true; ticket: string; venueName: string } | { ok: false; reason: 'invalid' | 'expired' | 'inactive' | 'venue_closed' };

/** Opening /q/<token>: checked now; a visit ticket lets the visitor confirm within the next 10 minutes. */
export async function openQuickToken(db: Db, keys: CodeKeys, token: string, now = new Date()): Promise<OpenResult> {
  const verified = verifyQuickToken(keys, token, now.getTime());
  if (!verified.ok) return verified;
  const { venueId, checkerAccountId, entranceId } = verified.claims;
  const [active, venue] = await Promise.all([wasActiveCheckerAt(db, venueId, checkerAccountId, now), venueById(db, venueId)]);
  // SPEC L3: a code shown before the venue closed says so when opened after (the closure is no secret: the poster's code says it too).
  if (venue?.closedAt) return { ok: false, reason: 'venue_closed' };
  if (!active || !venue) return { ok: false, reason: 'inactive' };
  // The ticket keeps the token's version: a version-1 token (no entrance) gives a version-1 ticket.
  const ticket = signVisitTicket(keys, { venueId, checkerAccountId, issuedAt: now.getTime(), entranceId });
  return { ok: true, ticket, venueName: venue.name };
}

/** What the visit page needs: the venue, and the people this account may check in (self and family). */
export async function visitDetails(db: Db, keys: CodeKeys, actor: { accountId: string }, ticket: string, now = new Date()) {
  const verified = verifyVisitTicket(keys, ticket, now.getTime());
  if (!verified.ok) return verified;
  const { venueId, entranceId } = verified.claims;
  const [venue, entrance] = await Promise.all([venueById(db, venueId), entranceId ? openEntranceOfVenue(db, venueId, entranceId) : null]);
  if (!venue) return { ok: false as const, reason: 'invalid' as const };
  if (venue.closedAt) return { ok: false as const, reason: 'venue_closed' as const };
  // The entrance is named to the visitor only when the venue has others (the main one goes without saying).
  const entranceName = entrance && !entrance.isMain ? entrance.name : null;
  return { ok: true as const, venueName: venue.name, entranceName, persons: await personsOfAccount(db, actor.accountId) };
}

export type QuickOutcome = {
  personId: string;
  nameMasked: string;
  result: { ok: true; colour: 'green' | 'red'; reason: string | null; duplicate: boolean } | { ok: false; reason: string };
};

/**
 * V10: a visitor checks themselves and/or family members in with a normal temperature, attributed to the
 * checker who showed the code. Each person goes through the one write path (same exactly-once and
 * supersede rules); the client id is derived from the visit and the person, so a double tap is a resend.
 * Returns the raw results too, for the caller to publish after commit.
 */
export async function quickCheckin(
  db: Db,
  keys: CodeKeys,
  actor: { accountId: string },
  input: { ticket: string; personIds: unknown },
  now = new Date(),
) {
  const verified = verifyVisitTicket(keys, input.ticket, now.getTime());
  if (!verified.ok) return { ok: false as const, reason: verified.reason };
  const wanted = Array.isArray(input.personIds) ? [...new Set(input.personIds.filter((p): p is string => typeof p === 'string'))] : [];
  if (wanted.length === 0 || wanted.length > 50) return { ok: false as const, reason: 'no_person' as const };
  const mine = new Map((await personsOfAccount(db, actor.accountId)).map((p) => [p.id, p]));
  if (wanted.some((id) => !mine.has(id))) return { ok: false as const, reason: 'not_yours' as const };
  const { venueId, checkerAccountId, issuedAt, entranceId } = verified.claims;
  // SPEC L3: confirmed after the venue closed: refused, whatever the code's time (the visitor is live,
  // not a queue sent late; a record is never written for a closed venue from a visitor's phone).
  if ((await venueById(db, venueId))?.closedAt) return { ok: false as const, reason: 'venue_closed' as const };
  const checker = { accountId: checkerAccountId };
  const results = await recordCheckins(
    db,
    wanted.map((personId) => {
      const p = mine.get(personId)!;
      const gender = p.gender as 'M' | 'F';
      const person = {
        personId,
        idHash: p.idHash,
        kind: 'quick' as const,
        nameMasked: p.nameMasked,
        gender,
        birthDate: p.birthDate,
        codeGeneration: null,
      };
      // The client id is derived from the visit and the person: a double tap is a resend.
      const clientId = uuidFrom(`${input.ticket}:${personId}`);
      // The entrance only when the ticket names one: a version-1 ticket's record hashes as before (a resend matches).
      const payload = {
        clientId,
        venueId,
        method: 'quick' as const,
        code: personId,
        scannedAt: issuedAt,
        clockOffsetMs: 0,
        ...(entranceId ? { entranceId } : {}),
      };
      return { actor: checker, payload, now, resolve: async () => ({ ok: true as const, person }) };
    }),
  );
  // The colour shown to the visitor is the one now, even for a resend: the family's colours in one query.
  const colours = await currentStatuses(db, [...new Set(wanted.map((id) => mine.get(id)!.idHash))], now);
  const outcomes: QuickOutcome[] = wanted.map((personId, i) => {
    const result = results[i];
    const person = mine.get(personId)!;
    if (!result.ok) return { personId, nameMasked: person.nameMasked, result: { ok: false, reason: result.reason } };
    const s = colours.get(person.idHash)!;
    const shown = { ok: true as const, colour: s.colour, reason: s.reason, duplicate: result.duplicate };
    return { personId, nameMasked: person.nameMasked, result: shown };
  });
  return { ok: true as const, venueId, checkerAccountId, outcomes, results };
}

/** A stable UUID (v8 layout) from a string: the same visit and person always give the same client id. */
function uuidFrom(text: string): string {
  const h = createHash('sha256').update(text).digest();
  h[6] = (h[6] & 0x0f) | 0x80;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}
