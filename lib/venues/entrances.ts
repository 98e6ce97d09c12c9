import 'server-only';
import type { Db } from '@/db';
import { appendAudit } from '@/db/queries/audit';
import {
  entrancesOfVenue,
  insertEntrance,
  lockOpenEntranceOfVenue,
  markEntranceRemoved,
  renameEntrance as renameEntranceRow,
  type Entrance,
} from '@/db/queries/entrances';
import { venueOfAdmin } from '@/db/queries/venues';
import { normaliseText, textLength, type TextProblem } from '@/lib/text/normalise';
import { asVenueAdmin } from './admin-venue';

// 多入口: the admin names the venue's doors (东门, 北门, 地下车库 …) apart from the weekly venue-info edit.
// Every change runs with the venue row locked (asVenueAdmin), so the name check below sees every other
// change of the same venue's entrances; the partial unique index is the database's word on it.

type Actor = { accountId: string };

/** The main entrance's label while it has no name of its own: a door may not be called that too. */
export const MAIN_ENTRANCE_LABELS = ['主入口', 'Main entrance'];
/** Enough for a station's gates; a bound, so a page and the scanner's picker stay usable. */
export const MAX_OPEN_ENTRANCES = 30;

export type EntranceNameProblem = 'entrance_name' | TextProblem;
export type EntranceRefusal =
  | { ok: false; reason: EntranceNameProblem | 'name_taken' | 'too_many' | 'main_kept' | 'not_found' | 'unchanged' }
  | { ok: false; reason: 'not_admin' };

/** An entrance's name: through the one text normaliser, 1–20 characters. */
export function validateEntranceName(input: unknown): { ok: true; name: string } | { ok: false; reason: EntranceNameProblem } {
  const normalised = normaliseText(input);
  if (!normalised.ok) return { ok: false, reason: normalised.error };
  const length = textLength(normalised.text);
  return length >= 1 && length <= 20 ? { ok: true, name: normalised.text } : { ok: false, reason: 'entrance_name' };
}

/** Whether `name` is taken by another open entrance (an unnamed main entrance is called 主入口). */
function nameTaken(open: Entrance[], name: string, exceptId?: string) {
  const folded = name.toLowerCase();
  return open.some((e) => {
    if (e.id === exceptId) return false;
    const names = e.name === null ? MAIN_ENTRANCE_LABELS : [e.name];
    return names.some((n) => n.toLowerCase() === folded);
  });
}

export async function addEntrance(db: Db, actor: Actor, input: { name: unknown }, now = new Date()) {
  const valid = validateEntranceName(input.name);
  if (!valid.ok) return valid;
  return asVenueAdmin(db, actor, async (tx, venue): Promise<{ ok: true; entranceId: string } | EntranceRefusal> => {
    const open = await entrancesOfVenue(tx, venue.id);
    if (nameTaken(open, valid.name)) return { ok: false, reason: 'name_taken' };
    if (open.length >= MAX_OPEN_ENTRANCES) return { ok: false, reason: 'too_many' };
    const entranceId = await insertEntrance(tx, { venueId: venue.id, name: valid.name, createdAt: now });
    await appendAudit(tx, {
      actorAccountId: actor.accountId,
      action: 'entrance.add',
      targetType: 'venue_entrance',
      targetId: entranceId,
      venueId: venue.id,
      details: { name: valid.name },
      at: now,
    });
    return { ok: true, entranceId };
  });
}

/** Renames an open entrance; the main one too (its records keep pointing at it, now with the new name). */
export async function renameEntrance(db: Db, actor: Actor, input: { entranceId: string; name: unknown }, now = new Date()) {
  const valid = validateEntranceName(input.name);
  if (!valid.ok) return valid;
  return asVenueAdmin(db, actor, async (tx, venue): Promise<{ ok: true } | EntranceRefusal> => {
    const entrance = await lockOpenEntranceOfVenue(tx, venue.id, input.entranceId);
    if (!entrance) return { ok: false, reason: 'not_found' };
    if (entrance.name === valid.name) return { ok: false, reason: 'unchanged' };
    if (nameTaken(await entrancesOfVenue(tx, venue.id), valid.name, entrance.id)) return { ok: false, reason: 'name_taken' };
    await renameEntranceRow(tx, venue.id, entrance.id, valid.name);
    await appendAudit(tx, {
      actorAccountId: actor.accountId,
      action: 'entrance.rename',
      targetType: 'venue_entrance',
      targetId: entrance.id,
      venueId: venue.id,
      details: { from: entrance.name, to: valid.name },
      at: now,
    });
    return { ok: true };
  });
}

/**
 * Soft removal: the entrance is no longer offered for new records; records taken there keep naming it,
 * and a record queued at it before the removal is still accepted (records are judged as of their time).
 */
export async function removeEntrance(db: Db, actor: Actor, input: { entranceId: string }, now = new Date()) {
  return asVenueAdmin(db, actor, async (tx, venue): Promise<{ ok: true } | EntranceRefusal> => {
    const entrance = await lockOpenEntranceOfVenue(tx, venue.id, input.entranceId);
    if (!entrance) return { ok: false, reason: 'not_found' };
    if (entrance.isMain) return { ok: false, reason: 'main_kept' };
    await markEntranceRemoved(tx, venue.id, entrance.id, now);
    await appendAudit(tx, {
      actorAccountId: actor.accountId,
      action: 'entrance.remove',
      targetType: 'venue_entrance',
      targetId: entrance.id,
      venueId: venue.id,
      details: { name: entrance.name },
      at: now,
    });
    return { ok: true };
  });
}

/** The entrances page of the admin's venue: open ones (main first) and the removed ones apart. */
export async function entrancesOfMyVenue(db: Db, actor: Actor) {
  const venue = await venueOfAdmin(db, actor.accountId);
  if (!venue) return null;
  const all = await entrancesOfVenue(db, venue.id, { includeRemoved: true });
  return { venue, open: all.filter((e) => !e.removedAt), removed: all.filter((e) => e.removedAt) };
}
