import 'server-only';
import type { DbOrTx } from '@/db';
import { personInRegion, venueTownship } from '@/db/queries/officials';
import { regionLevelOf, type RegionLevel } from '@/lib/regions/divisions';
import { officialOf, regionContains, type Official } from './scope';

/**
 * SPEC T1: what a health official may do, by level, and over what. The same table is in docs/officials.md;
 * every official action asks `authorizeOfficial` (the one door), never `isHealthOfficial` alone.
 *
 * Scope — who and what lies inside an official's region R:
 * - a person, when a check-in still linked to them was made at a township inside R (the township stored on
 *   the record, else the venue's), or they are the subject of a case opened in R or handed to a township in R.
 *   A registration address is not used (persons carry none). A document nobody registered lies in no
 *   region: only province officials act on it; to anyone else it answers exactly as an outside person does;
 * - a venue, when its township is inside R;
 * - a door's record (a check-in), when its township — the record's, else the venue's — is inside R;
 * - a region (for the role), when its code nests inside R;
 * - an official, when their role's region nests inside R — never the actor themselves.
 */

export type Capability =
  | 'lookup'
  | 'reveal'
  | 'set_colour'
  | 'bulk_mark'
  | 'rebind_admin'
  | 'grant_role'
  | 'read_case'
  | 'manage_case'
  | 'read_audit'
  | 'correct_identity'
  | 'follow_red_codes';

export type Scope = 'person' | 'venue' | 'checkin' | 'region' | 'official' | 'case';

export type CapabilityRule = {
  /** The levels that hold it (a township official may look up and follow doors, but not grant). */
  levels: readonly RegionLevel[];
  /** What the target must be, and it must lie inside the official's region. */
  scope: Scope;
  /** Whether the act reads personal data (a reason, an audit row in the same transaction: SPEC T5). */
  reasoned: boolean;
};

const ALL: readonly RegionLevel[] = ['province', 'city', 'district', 'township'];
const ABOVE_TOWNSHIP: readonly RegionLevel[] = ['province', 'city', 'district'];

export const CAPABILITIES: Record<Capability, CapabilityRule> = {
  /** 证件查询: a document's person in full and its colour history. */
  lookup: { levels: ALL, scope: 'person', reasoned: true },
  /** Reveal a masked person (a red code at a door, a contact of a case). */
  reveal: { levels: ALL, scope: 'person', reasoned: true },
  /** Set a document's colour (red with a reason, back to green). */
  set_colour: { levels: ALL, scope: 'person', reasoned: false },
  /** Mark a case's contacts red / back to green in bulk. */
  bulk_mark: { levels: ALL, scope: 'case', reasoned: false },
  /** 更换场所管理员. */
  rebind_admin: { levels: ABOVE_TOWNSHIP, scope: 'venue', reasoned: false },
  /** Grant, change and revoke the official role (at or below the own region). */
  grant_role: { levels: ABOVE_TOWNSHIP, scope: 'region', reasoned: false },
  /** Open a case and read it (trajectory, contacts). */
  read_case: { levels: ALL, scope: 'case', reasoned: true },
  /** Change a case's windows, hand a visit off, clear its contacts, close it: the region it was opened in (not a hand-off's). */
  manage_case: { levels: ALL, scope: 'case', reasoned: false },
  /** Read the audit log of the region (province: all). */
  read_audit: { levels: ALL, scope: 'region', reasoned: false },
  /** Correct a passport/permit holder's name, birth date, gender (SPEC L2). */
  correct_identity: { levels: ABOVE_TOWNSHIP, scope: 'person', reasoned: false },
  /** 门口红码: see, reveal (with a reason) and follow up the red codes recorded at the region's doors. */
  follow_red_codes: { levels: ALL, scope: 'checkin', reasoned: false },
};

export type Target =
  | { person: string }
  /** A document looked up by hash: its person when registered (else null: only province officials act). */
  | { document: string | null }
  | { venue: string }
  /** A door's record by its township (the record's, else the venue's; null: in no region). */
  | { checkinTownship: string | null }
  | { region: string }
  | { official: string; region: string }
  /** A case's region (the region it was opened in, or a township it was handed to). */
  | { caseRegion: string }
  | { none: true };

/** Targets whose place is known without a query (officialMay). */
export type PlaceTarget = Exclude<Target, { person: string } | { document: string | null } | { venue: string }>;

export type Refused = { ok: false; reason: 'forbidden' | 'not_in_region' };
export type Authorized = { ok: true; official: Official };

const forbidden: Refused = { ok: false, reason: 'forbidden' };
const outside: Refused = { ok: false, reason: 'not_in_region' };

/**
 * The one check of every official action: the account holds the role now (read on every request, so a
 * revocation takes effect at once), at a level holding `capability`, and the target lies inside its region.
 * 'forbidden' for anyone who may not use the capability at all; 'not_in_region' when the target is outside
 * (or unknown, for documents and venues: indistinguishable from outside).
 */
export async function authorizeOfficial(
  db: DbOrTx,
  accountId: string,
  capability: Capability,
  target: Target,
): Promise<Authorized | Refused> {
  const official = await officialOf(db, accountId);
  if (!official) return forbidden;
  if (!CAPABILITIES[capability].levels.includes(official.level)) return forbidden;
  const inside = await targetInside(db, official, target);
  return inside ? { ok: true, official } : outside;
}

/**
 * The same rule for an official authorizeOfficial already returned in this transaction and a target in
 * hand: to filter rows (a case's hand-offs, door records) without reading the role again for each.
 */
export function officialMay(official: Official, capability: Capability, target: PlaceTarget): boolean {
  return CAPABILITIES[capability].levels.includes(official.level) && placeInside(official, target);
}

async function targetInside(db: DbOrTx, official: Official, target: Target): Promise<boolean> {
  const province = official.regionCode === '44';
  if ('person' in target) return province || personInRegion(db, target.person, official.regionCode);
  if ('document' in target) {
    if (province) return true;
    return target.document !== null && personInRegion(db, target.document, official.regionCode);
  }
  if ('venue' in target) {
    const township = await venueTownship(db, target.venue);
    return township !== null && regionContains(official.regionCode, township);
  }
  return placeInside(official, target);
}

function placeInside(official: Official, target: PlaceTarget): boolean {
  if ('none' in target) return true;
  if ('checkinTownship' in target) return regionContains(official.regionCode, target.checkinTownship);
  if ('official' in target) return target.official !== official.accountId && regionContains(official.regionCode, target.region);
  if ('caseRegion' in target) return regionContains(official.regionCode, target.caseRegion);
  return regionLevelOf(target.region) !== null && regionContains(official.regionCode, target.region);
}
