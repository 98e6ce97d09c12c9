import 'server-only';
import type { Db } from '@/db';
import { venueAuditRows } from '@/db/queries/audit-reads';
import { VENUE_AUDIT_ACTIONS } from '@/lib/audit/actions';
import { maskPhone } from '@/lib/auth/phone';
import { asVenueAdmin } from './admin-venue';

export const VENUE_AUDIT_PAGE = 50;

export type VenueAuditEntry = { id: number; actor: string; action: string; details: Record<string, string | number>; at: Date };

/**
 * 审计记录 of a venue admin: their own venue's audit through the whitelist of actions (lib/audit/actions.ts),
 * each row's details cut to that action's whitelisted fields, the actor as a masked phone. No row whose
 * target is a person; nothing of a visitor. A checker, or another venue's admin, gets 'not_admin'.
 */
export async function venueAuditOf(db: Db, actor: { accountId: string }, pageParam: number) {
  const page = Math.min(10_000, Math.max(1, Math.floor(pageParam) || 1));
  return asVenueAdmin(db, actor, async (tx, venue) => {
    const rows = await venueAuditRows(tx, venue.id, Object.keys(VENUE_AUDIT_ACTIONS), {
      limit: VENUE_AUDIT_PAGE,
      offset: (page - 1) * VENUE_AUDIT_PAGE,
    });
    const entries: VenueAuditEntry[] = rows.slice(0, VENUE_AUDIT_PAGE).map((r) => {
      const details: Record<string, string | number> = {};
      for (const key of VENUE_AUDIT_ACTIONS[r.action] ?? []) {
        const v = r.details[key];
        if (typeof v === 'string' || typeof v === 'number') details[key] = v;
      }
      return { id: r.id, actor: maskPhone(r.actorPhone), action: r.action, details, at: r.at };
    });
    return { ok: true as const, venue: { id: venue.id, name: venue.name }, entries, page, hasMore: rows.length > VENUE_AUDIT_PAGE };
  });
}
