import 'server-only';
import type { Db, DbOrTx } from '@/db';
import { appendAudit } from '@/db/queries/audit';
import { insertStatusChanges, lockDocumentStatus } from '@/db/queries/health-status';
import { insertNotice } from '@/db/queries/notices';
import { findPersonByIdHash, guardiansOfPerson, personForConsent } from '@/db/queries/persons';
import {
  casesHandedTo,
  casesInRegion,
  clearCaseContact,
  closeCaseRow,
  insertCase,
  insertCaseContact,
  insertCaseEvent,
  insertHandoff,
  latestStatusRows,
  lockCase,
  officialsCovering,
  personsForCase,
  unclearedContacts,
  updateCaseWindow,
} from '@/db/queries/trace-cases';
import { checkDocumentNumber, type DocumentRef } from '@/lib/health-code/document-ref';
import { isRedReason } from '@/lib/health-code/colours';
import { hashIdDocument, type FieldKeys } from '@/lib/identity/field-crypto';
import { isCalendarDate } from '@/lib/identity/id-documents';
import { authorizeOfficial, officialMay } from '@/lib/officials/capabilities';
import { isProvinceOfficial, type Official } from '@/lib/officials/scope';
import { formatRegion } from '@/lib/regions/divisions';
import { addChinaDays, chinaDateOf, endOfChinaDay, startOfChinaDay } from '@/lib/time';
import { caseForOfficial, type CaseAccess } from './access';
import { loadCaseView, type CaseView } from './case-view';

/**
 * 流调 cases (SPEC T2–T4), each change a `trace_case_events` row and an audit row (reason = the case) in
 * one transaction; every read of a case page an audit row `case.read` in the read's transaction (T5).
 *
 * Bounds (stated here and on the form):
 * - index date: a calendar day, not after today (CST), at most INDEX_MAX_AGE_DAYS days ago;
 * - look-back: from the start of a day at most LOOKBACK_MAX_DAYS before the index date and not after it
 *   (default: 14 days before it), up to the end of a day after that start and not in the future, or up
 *   to now (the default: the case keeps collecting while open);
 * - co-presence window: WINDOW_MIN–WINDOW_MAX minutes either side of each visit (default 30).
 */
export const LOOKBACK_DEFAULT_DAYS = 14;
export const LOOKBACK_MAX_DAYS = 28;
export const INDEX_MAX_AGE_DAYS = 60;
export const WINDOW_DEFAULT = 30;
export const WINDOW_MIN = 5;
export const WINDOW_MAX = 120;

type Actor = { accountId: string };
const forbidden = { ok: false as const, reason: 'forbidden' as const };
const notFound = { ok: false as const, reason: 'not_found' as const };

// ---- Who may act: the capability table's read_case and manage_case (lib/officials/capabilities.ts). ----

/** May this account open cases? Any official, in their own region. */
export async function caseOfficial(db: DbOrTx, actor: Actor): Promise<Official | null> {
  const allowed = await authorizeOfficial(db, actor.accountId, 'read_case', { none: true });
  return allowed.ok ? allowed.official : null;
}

/** The case as this account may see it (region or hand-off scope), or null: answered not_found. */
export function caseAccess(db: DbOrTx, actor: Actor, caseId: unknown): Promise<CaseAccess | null> {
  return caseForOfficial(db, actor.accountId, caseId);
}

/** Changing a case's windows, handing off, clearing, closing: only officials of the case's region (not a hand-off). */
const mayManage = (a: CaseAccess) => officialMay(a.official, 'manage_case', { caseRegion: a.case.regionCode });

// ---- Windows ----

export type WindowInput = { lookbackFrom?: string | null; lookbackTo?: string | null; windowMinutes?: string | number | null };
type WindowError = 'invalid_lookback' | 'invalid_window';

function parseWindow(indexDate: string, input: WindowInput, now: Date) {
  const fromDay = input.lookbackFrom || addChinaDays(indexDate, -LOOKBACK_DEFAULT_DAYS);
  if (!isCalendarDate(fromDay) || fromDay < addChinaDays(indexDate, -LOOKBACK_MAX_DAYS) || fromDay > indexDate)
    return { ok: false as const, reason: 'invalid_lookback' as WindowError };
  const lookbackFrom = startOfChinaDay(fromDay);
  let lookbackTo: Date | null = null;
  if (input.lookbackTo) {
    if (!isCalendarDate(input.lookbackTo) || input.lookbackTo < fromDay || input.lookbackTo > chinaDateOf(now))
      return { ok: false as const, reason: 'invalid_lookback' as WindowError };
    lookbackTo = new Date(Math.min(endOfChinaDay(input.lookbackTo).getTime() - 1, now.getTime()));
  }
  const raw =
    input.windowMinutes === undefined || input.windowMinutes === null || input.windowMinutes === '' ? WINDOW_DEFAULT : input.windowMinutes;
  const windowMinutes = typeof raw === 'number' ? raw : /^\d{1,4}$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!Number.isInteger(windowMinutes) || windowMinutes < WINDOW_MIN || windowMinutes > WINDOW_MAX)
    return { ok: false as const, reason: 'invalid_window' as WindowError };
  return { ok: true as const, lookbackFrom, lookbackTo, windowMinutes };
}

// ---- Open, change, close ----

export type OpenCaseInput = DocumentRef & { kind: string; indexDate: string } & WindowInput;

/** Opens a case for a registered person (by document) in the opening official's region. */
export async function openCase(db: Db, keys: FieldKeys, actor: Actor, input: OpenCaseInput, now: Date) {
  const official = await caseOfficial(db, actor);
  if (!official) return forbidden;
  const checked = checkDocumentNumber(input);
  if (!checked.ok) return checked;
  if (!isRedReason(input.kind)) return { ok: false as const, reason: 'invalid_kind' as const };
  const today = chinaDateOf(now);
  if (!isCalendarDate(input.indexDate) || input.indexDate > today || input.indexDate < addChinaDays(today, -INDEX_MAX_AGE_DAYS))
    return { ok: false as const, reason: 'invalid_index_date' as const };
  const w = parseWindow(input.indexDate, input, now);
  if (!w.ok) return w;
  const idHash = hashIdDocument(keys, checked.doc);
  return db.transaction(async (tx) => {
    const person = await findPersonByIdHash(tx, idHash);
    // SPEC T1: a case is opened for a person inside the official's region (docs/officials.md), as a look-up
    // is: otherwise opening a case would show anyone's identity and trajectory to any official. Outside
    // the province level, an unregistered document answers like an outside person (registration is not told).
    const inside = person ? await authorizeOfficial(tx, actor.accountId, 'read_case', { person: person.id }) : null;
    if (!person || !inside?.ok) {
      const reason = !person && isProvinceOfficial(official) ? ('not_registered' as const) : ('not_in_region' as const);
      await appendAudit(tx, {
        actorAccountId: actor.accountId,
        action: 'case.open_refused',
        targetType: 'document',
        reason,
        at: now,
      });
      return { ok: false as const, reason };
    }
    const row = await insertCase(tx, {
      personId: person.id,
      // The person's key (their first document), whichever of their documents was typed.
      idHash: person.idHash,
      kind: input.kind,
      indexDate: input.indexDate,
      lookbackFrom: w.lookbackFrom,
      lookbackTo: w.lookbackTo,
      windowMinutes: w.windowMinutes,
      regionCode: official.regionCode,
      openedByAccountId: actor.accountId,
      openedAt: now,
    });
    const details = {
      kind: input.kind,
      indexDate: input.indexDate,
      lookbackFrom: w.lookbackFrom.toISOString(),
      lookbackTo: w.lookbackTo?.toISOString() ?? null,
      windowMinutes: w.windowMinutes,
    };
    await insertCaseEvent(tx, { caseId: row.id, kind: 'opened', actorAccountId: actor.accountId, details, at: now });
    await appendAudit(tx, {
      actorAccountId: actor.accountId,
      action: 'case.open',
      targetType: 'case',
      targetId: row.id,
      reason: row.id,
      details,
      at: now,
    });
    return { ok: true as const, caseId: row.id };
  });
}

/** Changes the look-back and co-presence windows of an open case. */
export async function changeCaseWindow(db: Db, actor: Actor, caseId: unknown, input: WindowInput, now: Date) {
  return db.transaction(async (tx) => {
    const access = await caseAccess(tx, actor, caseId);
    if (!access) return notFound;
    if (!mayManage(access)) return forbidden;
    await lockCase(tx, access.case.id);
    if (access.case.status !== 'open') return { ok: false as const, reason: 'case_closed' as const };
    const w = parseWindow(access.case.indexDate, input, now);
    if (!w.ok) return w;
    await updateCaseWindow(tx, access.case.id, { lookbackFrom: w.lookbackFrom, lookbackTo: w.lookbackTo, windowMinutes: w.windowMinutes });
    const details = {
      from: {
        lookbackFrom: access.case.lookbackFrom.toISOString(),
        lookbackTo: access.case.lookbackTo?.toISOString() ?? null,
        windowMinutes: access.case.windowMinutes,
      },
      to: { lookbackFrom: w.lookbackFrom.toISOString(), lookbackTo: w.lookbackTo?.toISOString() ?? null, windowMinutes: w.windowMinutes },
    };
    await insertCaseEvent(tx, { caseId: access.case.id, kind: 'window_changed', actorAccountId: actor.accountId, details, at: now });
    await appendAudit(tx, {
      actorAccountId: actor.accountId,
      action: 'case.window',
      targetType: 'case',
      targetId: access.case.id,
      reason: access.case.id,
      details,
      at: now,
    });
    return { ok: true as const };
  });
}

/** Closes a case: its records are no longer held from retention. */
export async function closeCase(db: Db, actor: Actor, caseId: unknown, now: Date) {
  return db.transaction(async (tx) => {
    const access = await caseAccess(tx, actor, caseId);
    if (!access) return notFound;
    if (!mayManage(access)) return forbidden;
    await lockCase(tx, access.case.id);
    if (!(await closeCaseRow(tx, access.case.id, actor.accountId, now))) return { ok: false as const, reason: 'case_closed' as const };
    await insertCaseEvent(tx, { caseId: access.case.id, kind: 'closed', actorAccountId: actor.accountId, at: now });
    await appendAudit(tx, {
      actorAccountId: actor.accountId,
      action: 'case.close',
      targetType: 'case',
      targetId: access.case.id,
      reason: access.case.id,
      at: now,
    });
    return { ok: true as const };
  });
}

// ---- Reads ----

/** The case page: the view and its audit row (case.read, reason = the case) in one transaction. */
export async function readCase(db: Db, keys: FieldKeys, actor: Actor, caseId: unknown, now: Date) {
  return db.transaction(async (tx) => {
    const access = await caseAccess(tx, actor, caseId);
    if (!access) return notFound;
    const view = await loadCaseView(tx, keys, access, now);
    await appendAudit(tx, {
      actorAccountId: actor.accountId,
      action: 'case.read',
      targetType: 'case',
      targetId: access.case.id,
      reason: access.case.id,
      details: { scope: access.scope, visits: view.visits.length, contacts: view.contacts.length },
      at: now,
    });
    return { ok: true as const, view, official: access.official };
  });
}

/** The case list: cases of my region (open first) and cases handed to my region. No personal data. */
export async function listCases(db: Db, actor: Actor) {
  const official = await caseOfficial(db, actor);
  if (!official) return forbidden;
  const row = (c: Awaited<ReturnType<typeof casesInRegion>>[number]) => ({
    id: c.id,
    kind: c.kind,
    indexDate: c.indexDate,
    status: c.status,
    regionName: formatRegion(c.regionCode),
    openedAt: c.openedAt,
  });
  return {
    ok: true as const,
    official,
    mine: (await casesInRegion(db, official.regionCode)).map(row),
    handed: (await casesHandedTo(db, official.regionCode)).map(row),
  };
}

// ---- Marking (SPEC T3) ----

/**
 * The status note of a case's mark: it names the case, and clearing recognises its own mark by it.
 *
 * Precedence against the status import (app/api/status-import): a document's colour at any time is the
 * report with the latest valid-from up to it, whoever wrote it. A mark is valid from the moment it is
 * made; an import whose as-of is later wins over it, an import dated earlier is history. Clearing a case
 * writes green only for contacts whose latest status is still this case's mark: a newer colour from
 * the import, an official or another case stays.
 */
export const caseMarkNote = (caseId: string) => `密切接触者 · 流调病例 ${caseId}`;
export const caseClearNote = (caseId: string) => `解除密切接触者 · 流调病例 ${caseId}`;

async function noticeTo(
  tx: DbOrTx,
  personId: string,
  kind: 'close_contact' | 'close_contact_cleared',
  source: string,
  params: Record<string, string>,
  now: Date,
) {
  const person = await personForConsent(tx, personId);
  if (!person) return;
  const to = new Set<string>();
  if (person.selfAccountId) to.add(person.selfAccountId);
  for (const g of await guardiansOfPerson(tx, personId)) to.add(g.accountId);
  for (const accountId of to)
    await insertNotice(tx, {
      kind,
      to: { accountId },
      params: { ...params, name: person.nameMasked, personId, self: accountId === person.selfAccountId },
      source: `${source}:${accountId}`,
      at: now,
    });
}

/**
 * Marks the chosen persons red (密切接触者) from now, linked to the case; each must be a contact the
 * official sees on the case page, or the own person of a checker on duty there. Idempotent per (case,
 * document): a second mark changes nothing; a cleared contact may be marked again.
 */
export async function markContacts(db: Db, keys: FieldKeys, actor: Actor, caseId: unknown, personIds: string[], now: Date) {
  return db.transaction(async (tx) => {
    const access = await caseAccess(tx, actor, caseId);
    if (!access) return notFound;
    await lockCase(tx, access.case.id);
    if (access.case.status !== 'open') return { ok: false as const, reason: 'case_closed' as const };
    const view = await loadCaseView(tx, keys, access, now);
    const allowed = new Set([
      ...view.contacts.map((c) => c.personId),
      ...view.checkers.flatMap((c) => (c.selfPersonId ? [c.selfPersonId] : [])),
    ]);
    allowed.delete(access.case.personId);
    const chosen = [...new Set(personIds)];
    if (chosen.length === 0) return { ok: false as const, reason: 'none_selected' as const };
    if (chosen.some((id) => !allowed.has(id))) return { ok: false as const, reason: 'not_a_contact' as const };
    const people = await personsForCase(tx, chosen);
    const marked: string[] = [];
    for (const p of people.sort((a, b) => a.idHash.localeCompare(b.idHash))) {
      await lockDocumentStatus(tx, p.idHash);
      if (!(await insertCaseContact(tx, { caseId: access.case.id, idHash: p.idHash, personId: p.id, by: actor.accountId, at: now })))
        continue;
      await insertStatusChanges(tx, [
        {
          idHash: p.idHash,
          colour: 'red',
          reason: 'close_contact',
          validFrom: now,
          source: 'official',
          setByAccountId: actor.accountId,
          note: caseMarkNote(access.case.id),
        },
      ]);
      await noticeTo(tx, p.id, 'close_contact', `case:${access.case.id}:contact:${p.idHash}:${now.getTime()}`, {}, now);
      marked.push(p.id);
    }
    if (marked.length > 0) {
      await insertCaseEvent(tx, {
        caseId: access.case.id,
        kind: 'contacts_marked',
        actorAccountId: actor.accountId,
        details: { count: marked.length, personIds: marked },
        at: now,
      });
    }
    await appendAudit(tx, {
      actorAccountId: actor.accountId,
      action: 'case.contacts_mark',
      targetType: 'case',
      targetId: access.case.id,
      reason: access.case.id,
      details: { asked: chosen.length, marked: marked.length },
      at: now,
    });
    return { ok: true as const, marked: marked.length, already: chosen.length - marked.length };
  });
}

/**
 * Isolation ended: the case's contacts back to green from now — only those whose latest status is still
 * this case's mark (a newer colour from another source stays). Every contact row is cleared either way.
 * Officials of the case's region only.
 */
export async function clearContacts(db: Db, actor: Actor, caseId: unknown, now: Date) {
  return db.transaction(async (tx) => {
    const access = await caseAccess(tx, actor, caseId);
    if (!access) return notFound;
    if (!mayManage(access)) return forbidden;
    await lockCase(tx, access.case.id);
    const rows = (await unclearedContacts(tx, access.case.id)).sort((a, b) => a.idHash.localeCompare(b.idHash));
    for (const r of rows) await lockDocumentStatus(tx, r.idHash);
    const latest = await latestStatusRows(
      tx,
      rows.map((r) => r.idHash),
      now,
    );
    const mark = caseMarkNote(access.case.id);
    let green = 0;
    for (const r of rows) {
      const l = latest.get(r.idHash);
      const stillOurs = l && l.colour === 'red' && l.reason === 'close_contact' && l.source === 'official' && l.note === mark;
      if (stillOurs) {
        await insertStatusChanges(tx, [
          {
            idHash: r.idHash,
            colour: 'green',
            reason: null,
            validFrom: now,
            source: 'official',
            setByAccountId: actor.accountId,
            note: caseClearNote(access.case.id),
          },
        ]);
        if (r.personId)
          await noticeTo(
            tx,
            r.personId,
            'close_contact_cleared',
            `case:${access.case.id}:contact:${r.idHash}:cleared:${now.getTime()}`,
            {},
            now,
          );
        green += 1;
      }
      await clearCaseContact(tx, access.case.id, r.idHash, actor.accountId, now);
    }
    if (rows.length > 0)
      await insertCaseEvent(tx, {
        caseId: access.case.id,
        kind: 'contacts_cleared',
        actorAccountId: actor.accountId,
        details: { count: rows.length, green, keptRed: rows.length - green },
        at: now,
      });
    await appendAudit(tx, {
      actorAccountId: actor.accountId,
      action: 'case.contacts_clear',
      targetType: 'case',
      targetId: access.case.id,
      reason: access.case.id,
      details: { cleared: rows.length, green },
      at: now,
    });
    return { ok: true as const, cleared: rows.length, green, keptRed: rows.length - green };
  });
}

// ---- Hand-off (SPEC T4) ----

/** Hands a visit outside the official's region to the officials whose region contains its township. */
export async function handOffVisit(db: Db, keys: FieldKeys, actor: Actor, caseId: unknown, checkinId: unknown, now: Date) {
  return db.transaction(async (tx) => {
    const access = await caseAccess(tx, actor, caseId);
    if (!access) return notFound;
    if (!mayManage(access)) return forbidden;
    if (access.case.status !== 'open') return { ok: false as const, reason: 'case_closed' as const };
    const view: CaseView = await loadCaseView(tx, keys, access, now);
    const visit = view.visits.find((v) => v.checkinId === checkinId);
    if (!visit) return notFound;
    if (visit.insideRegion) return { ok: false as const, reason: 'inside_region' as const };
    const h = await insertHandoff(tx, {
      caseId: access.case.id,
      venueId: visit.venueId,
      checkinId: visit.checkinId,
      townshipCode: visit.townshipCode,
      fromRegionCode: access.official.regionCode,
      by: actor.accountId,
      at: now,
    });
    if (!h) return { ok: true as const, already: true };
    await insertCaseEvent(tx, {
      caseId: access.case.id,
      kind: 'handed_off',
      actorAccountId: actor.accountId,
      details: { handoffId: h.id, venueId: visit.venueId, checkinId: visit.checkinId, townshipCode: visit.townshipCode },
      at: now,
    });
    const to = (await officialsCovering(tx, visit.townshipCode)).filter((a) => a !== actor.accountId);
    for (const accountId of to)
      await insertNotice(tx, {
        kind: 'case_handoff',
        to: { accountId },
        params: {
          caseId: access.case.id,
          venueName: visit.venueName,
          regionName: visit.regionName,
          from: formatRegion(access.official.regionCode),
        },
        source: `handoff:${h.id}:${accountId}`,
        at: now,
      });
    await appendAudit(tx, {
      actorAccountId: actor.accountId,
      action: 'case.handoff',
      targetType: 'case',
      targetId: access.case.id,
      reason: access.case.id,
      venueId: visit.venueId,
      details: { handoffId: h.id, townshipCode: visit.townshipCode, notified: to.length },
      at: now,
    });
    return { ok: true as const, already: false, notified: to.length };
  });
}
