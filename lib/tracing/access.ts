import 'server-only';
import type { DbOrTx } from '@/db';
import { findCase, handoffsOfCase, type Handoff, type TraceCase } from '@/db/queries/tracing';
import { authorizeOfficial, officialMay } from '@/lib/officials/capabilities';
import { regionContains, type Official } from '@/lib/officials/scope';

export type { Handoff, TraceCase };

/**
 * Who may see a case (SPEC T1, T4):
 * - `region`: an official whose region contains the region the case was opened in (its own officials and
 *   those above them). They see the whole trajectory; contacts only of visits inside their own region.
 * - `handoff`: an official of a region a visit was handed to. They see the case's identity and the handed
 *   visits inside their region, with those visits' contacts; nothing else of the trajectory.
 * Anyone else (another district, a revoked official, a venue role): null, answered as not found.
 * Both are the capability table's `read_case` (lib/officials/capabilities.ts): the case's region or a
 * township it was handed to.
 */
export type CaseAccess = {
  official: Official;
  case: TraceCase;
  scope: 'region' | 'handoff';
  /** The case's hand-offs the official may act on (their region contains the visit's township). */
  handoffs: Handoff[];
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function caseForOfficial(db: DbOrTx, accountId: string, caseId: unknown): Promise<CaseAccess | null> {
  if (typeof caseId !== 'string' || !UUID.test(caseId)) return null;
  const allowed = await authorizeOfficial(db, accountId, 'read_case', { none: true });
  if (!allowed.ok) return null;
  const { official } = allowed;
  const row = await findCase(db, caseId);
  if (!row) return null;
  const all = await handoffsOfCase(db, caseId);
  const handoffs = all.filter((h) => officialMay(official, 'read_case', { caseRegion: h.townshipCode }));
  if (officialMay(official, 'read_case', { caseRegion: row.regionCode })) return { official, case: row, scope: 'region', handoffs };
  if (handoffs.length > 0) return { official, case: row, scope: 'handoff', handoffs };
  return null;
}

/**
 * May this official see the persons near this visit? Inside their region, and — for an official who
 * reached the case by a hand-off — only the visits handed to them.
 */
export function maySeeContactsOf(access: CaseAccess, visit: { venueId: string; checkinId: string; townshipCode: string }): boolean {
  if (!regionContains(access.official.regionCode, visit.townshipCode)) return false;
  if (access.scope === 'region') return true;
  return access.handoffs.some((h) => h.venueId === visit.venueId && h.checkinId === visit.checkinId);
}
