import 'server-only';
import type { DbOrTx } from '@/db';
import { appendAudit } from '@/db/queries/audit';
import { accountIdByPhone, regionAuditRows, venueIdsByNameOrCode, type AuditRow } from '@/db/queries/audit-reads';
import { findPersonByIdHash } from '@/db/queries/persons';
import { AUDIT_ACTIONS } from '@/lib/audit/actions';
import { normalizePhone } from '@/lib/auth/phone';
import { checkDocumentNumber } from '@/lib/health-code/document-ref';
import { hashIdDocument, type FieldKeys } from '@/lib/identity/field-crypto';
import { normaliseText } from '@/lib/text/normalise';
import { endOfChinaDay, startOfChinaDay } from '@/lib/time';
import { officialOf, type Official } from './scope';

/**
 * 审计日志 for officials: the audit log of their region (lib/../db/queries/audit-reads.ts says which rows
 * are in a region); province officials read all. Reading it is itself audited (`audit.read`), in the same
 * transaction as the read, with the filters as ids and flags — never a phone number or a document number.
 */

export const AUDIT_PAGE = 50;

export type AuditQuery = {
  actor?: string;
  venue?: string;
  idType?: string;
  idNumber?: string;
  nationality?: string;
  action?: string;
  from?: string;
  to?: string;
  page?: string;
};
export type AuditFilterField = 'actor' | 'venue' | 'idNumber' | 'action' | 'from' | 'to';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** A real calendar day lib/time can start and end (2026-02-30 and year 0 are not). */
function validDay(d: string): boolean {
  if (!DAY.test(d)) return false;
  try {
    startOfChinaDay(d);
    endOfChinaDay(d);
    return true;
  } catch {
    return false;
  }
}

export type AuditRead =
  | { ok: false; reason: 'forbidden' }
  | { ok: false; reason: 'invalid'; errors: Partial<Record<AuditFilterField, string>> }
  | { ok: true; official: Official; rows: AuditRow[]; page: number; hasMore: boolean };

export async function readRegionAudit(
  tx: DbOrTx,
  keys: FieldKeys,
  actor: { accountId: string },
  q: AuditQuery,
  now = new Date(),
): Promise<AuditRead> {
  const official = await officialOf(tx, actor.accountId);
  if (!official) return { ok: false, reason: 'forbidden' };
  const errors: Partial<Record<AuditFilterField, string>> = {};
  const text = (v: string | undefined, field: AuditFilterField) => {
    const t = normaliseText(v ?? '');
    if (!t.ok) errors[field] = t.error;
    return t.ok ? t.text.slice(0, 100) : '';
  };
  const actorText = text(q.actor, 'actor');
  const venueText = text(q.venue, 'venue');
  const phone = actorText ? normalizePhone(actorText) : null;
  if (actorText && !phone) errors.actor = 'phone';
  const action = q.action?.trim() || undefined;
  if (action && !(AUDIT_ACTIONS as readonly string[]).includes(action)) errors.action = 'action';
  const from = q.from?.trim() || undefined;
  const to = q.to?.trim() || undefined;
  if (from && !validDay(from)) errors.from = 'date';
  if (to && !validDay(to)) errors.to = 'date';
  if (from && to && validDay(from) && validDay(to) && from > to) errors.to = 'date_order';
  let idHash: string | null = null;
  if (q.idNumber?.trim()) {
    const checked = checkDocumentNumber({ idType: q.idType || 'cn_resident', idNumber: q.idNumber, nationality: q.nationality || null });
    if (checked.ok) idHash = hashIdDocument(keys, checked.doc);
    else errors.idNumber = 'document';
  }
  if (Object.keys(errors).length > 0) return { ok: false, reason: 'invalid', errors };

  const page = Math.min(10_000, Math.max(1, Number.parseInt(q.page ?? '1', 10) || 1));
  const actorAccountId = phone ? await accountIdByPhone(tx, phone) : undefined;
  const venueIds = venueText ? await venueIdsByNameOrCode(tx, venueText) : undefined;
  const person = idHash ? await findPersonByIdHash(tx, idHash) : null;
  // Rows name an unregistered document by its hash, a person by id (and a colour by the person's key).
  const targetIds = idHash ? [...new Set([idHash, ...(person ? [person.id, person.idHash] : [])])] : undefined;
  // A filter that matches nothing (an unknown phone, no such venue) reads nothing.
  const empty = actorAccountId === null || (venueIds !== undefined && venueIds.length === 0);
  const rows = empty
    ? []
    : await regionAuditRows(tx, {
        region: official.regionCode,
        actorAccountId: actorAccountId ?? undefined,
        venueIds,
        targetIds,
        action,
        from: from ? startOfChinaDay(from) : undefined,
        to: to ? endOfChinaDay(to) : undefined,
        limit: AUDIT_PAGE,
        offset: (page - 1) * AUDIT_PAGE,
      });
  await appendAudit(tx, {
    actorAccountId: actor.accountId,
    action: 'audit.read',
    details: {
      region: official.regionCode,
      actorAccountId: actorAccountId ?? null,
      venueIds: venueIds ?? null,
      byDocument: Boolean(idHash),
      action: action ?? null,
      from: from ?? null,
      to: to ?? null,
      page,
      rows: Math.min(rows.length, AUDIT_PAGE),
    },
    at: now,
  });
  return { ok: true, official, rows: rows.slice(0, AUDIT_PAGE), page, hasMore: rows.length > AUDIT_PAGE };
}
