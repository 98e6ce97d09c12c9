import 'server-only';
import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { rowsOf, type DbOrTx } from '@/db';
import { checkerBindings, persons, traceCaseContacts, traceCaseEvents, traceCases, traceHandoffs } from '@/db/schema';
import type { TraceEventKind } from '@/db/schema';

/**
 * Cases (SPEC T2–T4): reads and writes of `trace_cases` and its timeline, contacts and hand-offs. Plain
 * statements: lib/tracing/cases.ts checks the official's scope and writes the audit row in the same
 * transaction.
 */

/** What an official's case view needs of a person, encrypted as stored (lib decrypts). */
export async function personsForCase(db: DbOrTx, personIds: string[]) {
  if (personIds.length === 0) return [];
  return db
    .select({
      id: persons.id,
      idType: persons.idType,
      idHash: persons.idHash,
      nameEnc: persons.nameEnc,
      idNumberEnc: persons.idNumberEnc,
      gender: persons.gender,
      birthDate: persons.birthDate,
      selfAccountId: persons.selfAccountId,
    })
    .from(persons)
    .where(inArray(persons.id, personIds));
}

export const caseEvents = (db: DbOrTx, caseId: string) =>
  db
    .select({
      kind: traceCaseEvents.kind,
      at: traceCaseEvents.at,
      actorAccountId: traceCaseEvents.actorAccountId,
      details: traceCaseEvents.details,
    })
    .from(traceCaseEvents)
    .where(eq(traceCaseEvents.caseId, caseId))
    .orderBy(asc(traceCaseEvents.at), asc(traceCaseEvents.id));

export const caseContacts = (db: DbOrTx, caseId: string) => db.select().from(traceCaseContacts).where(eq(traceCaseContacts.caseId, caseId));

/** The display name each checker gave the venue (their latest binding there); no phone. */
export async function checkerNames(db: DbOrTx, pairs: { venueId: string; accountId: string }[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (pairs.length === 0) return out;
  const venues = [...new Set(pairs.map((p) => p.venueId))];
  const accounts = [...new Set(pairs.map((p) => p.accountId))];
  const rows = await db
    .selectDistinctOn([checkerBindings.venueId, checkerBindings.accountId], {
      venueId: checkerBindings.venueId,
      accountId: checkerBindings.accountId,
      displayName: checkerBindings.displayName,
    })
    .from(checkerBindings)
    .where(and(inArray(checkerBindings.venueId, venues), inArray(checkerBindings.accountId, accounts)))
    .orderBy(checkerBindings.venueId, checkerBindings.accountId, desc(checkerBindings.requestedAt));
  for (const r of rows) out.set(`${r.venueId}:${r.accountId}`, r.displayName);
  return out;
}

/** The self person of each account, when it has one (a checker is markable only through it). */
export async function selfPersonsOf(db: DbOrTx, accountIds: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (accountIds.length === 0) return out;
  const rows = await db
    .select({ id: persons.id, a: persons.selfAccountId })
    .from(persons)
    .where(inArray(persons.selfAccountId, accountIds));
  for (const r of rows) if (r.a) out.set(r.a, r.id);
  return out;
}

/**
 * Persons linked to `personId` as family: any person sharing an account with them (the self account of
 * one guards the other, or one account guards both).
 */
export async function familyOf(db: DbOrTx, personId: string): Promise<Set<string>> {
  const rows = rowsOf<{ id: string }>(
    await db.execute(sql`
      with mine as (
        select self_account_id as a from persons where id = ${personId}::uuid and self_account_id is not null
        union select account_id from guardianships where person_id = ${personId}::uuid)
      select p.id from persons p where p.id <> ${personId}::uuid and p.self_account_id in (select a from mine)
      union
      select g.person_id from guardianships g where g.person_id <> ${personId}::uuid and g.account_id in (select a from mine)`),
  );
  return new Set(rows.map((r) => r.id));
}

export type NewCase = typeof traceCases.$inferInsert;

export async function insertCase(tx: DbOrTx, values: NewCase) {
  const [row] = await tx.insert(traceCases).values(values).returning();
  return row;
}

export async function insertCaseEvent(
  tx: DbOrTx,
  e: { caseId: string; kind: TraceEventKind; actorAccountId: string; details?: Record<string, unknown>; at: Date },
) {
  await tx
    .insert(traceCaseEvents)
    .values({ caseId: e.caseId, kind: e.kind, actorAccountId: e.actorAccountId, details: e.details ?? {}, at: e.at });
}

/** Locks a case row for a change (window, close, marking): two officials at once get a defined order. */
export async function lockCase(tx: DbOrTx, caseId: string) {
  await tx.execute(sql`select 1 from trace_cases where id = ${caseId}::uuid for update`);
}

export async function updateCaseWindow(
  tx: DbOrTx,
  caseId: string,
  w: { lookbackFrom: Date; lookbackTo: Date | null; windowMinutes: number },
) {
  await tx.update(traceCases).set(w).where(eq(traceCases.id, caseId));
}

export async function closeCaseRow(tx: DbOrTx, caseId: string, by: string, at: Date) {
  const rows = await tx
    .update(traceCases)
    .set({ status: 'closed', closedAt: at, closedByAccountId: by })
    .where(and(eq(traceCases.id, caseId), eq(traceCases.status, 'open')))
    .returning({ id: traceCases.id });
  return rows.length > 0;
}

/** Cases opened inside `region` (its own and those below), open first, newest first. */
export function casesInRegion(db: DbOrTx, region: string, limit = 200) {
  return db
    .select()
    .from(traceCases)
    .where(sql`${traceCases.regionCode} like ${region + '%'}`)
    .orderBy(sql`${traceCases.status} = 'open' desc`, desc(traceCases.openedAt))
    .limit(limit);
}

/** Cases opened elsewhere with a visit handed to `region` (移交给本辖区), open first. */
export function casesHandedTo(db: DbOrTx, region: string, limit = 200) {
  return db
    .select()
    .from(traceCases)
    .where(
      sql`${traceCases.regionCode} not like ${region + '%'} and exists (select 1 from trace_handoffs h where h.case_id = ${traceCases.id}
            and h.township_code like ${region + '%'})`,
    )
    .orderBy(sql`${traceCases.status} = 'open' desc`, desc(traceCases.openedAt))
    .limit(limit);
}

/**
 * Marks one document as a contact of the case; false when it already is (idempotent per (case, id_hash)).
 * A contact cleared before is marked again (its row starts over).
 */
export async function insertCaseContact(tx: DbOrTx, v: { caseId: string; idHash: string; personId: string; by: string; at: Date }) {
  const rows = await tx
    .insert(traceCaseContacts)
    .values({ caseId: v.caseId, idHash: v.idHash, personId: v.personId, markedByAccountId: v.by, markedAt: v.at })
    .onConflictDoUpdate({
      target: [traceCaseContacts.caseId, traceCaseContacts.idHash],
      set: { markedAt: v.at, markedByAccountId: v.by, clearedAt: null, clearedByAccountId: null, personId: v.personId },
      setWhere: sql`${traceCaseContacts.clearedAt} is not null`,
    })
    .returning({ idHash: traceCaseContacts.idHash });
  return rows.length > 0;
}

/** The case's contacts not cleared yet. */
export const unclearedContacts = (tx: DbOrTx, caseId: string) =>
  tx
    .select()
    .from(traceCaseContacts)
    .where(and(eq(traceCaseContacts.caseId, caseId), isNull(traceCaseContacts.clearedAt)));

export async function clearCaseContact(tx: DbOrTx, caseId: string, idHash: string, by: string, at: Date) {
  await tx
    .update(traceCaseContacts)
    .set({ clearedAt: at, clearedByAccountId: by })
    .where(and(eq(traceCaseContacts.caseId, caseId), eq(traceCaseContacts.idHash, idHash), isNull(traceCaseContacts.clearedAt)));
}

export async function insertHandoff(
  tx: DbOrTx,
  v: { caseId: string; venueId: string; checkinId: string; townshipCode: string; fromRegionCode: string; by: string; at: Date },
) {
  const rows = await tx
    .insert(traceHandoffs)
    .values({
      caseId: v.caseId,
      venueId: v.venueId,
      checkinId: v.checkinId,
      townshipCode: v.townshipCode,
      fromRegionCode: v.fromRegionCode,
      createdByAccountId: v.by,
      createdAt: v.at,
    })
    .onConflictDoNothing()
    .returning();
  return rows[0] ?? null;
}

/** Accounts holding the official role in a region that contains `code` (they receive a hand-off). */
export async function officialsCovering(db: DbOrTx, code: string): Promise<string[]> {
  const rows = rowsOf<{ account_id: string }>(
    await db.execute(sql`
      select distinct account_id from account_roles
       where role = 'health_official' and ${code} like region_code || '%'
       order by account_id`),
  );
  return rows.map((r) => r.account_id);
}

/** The latest status row valid at `at` of each document, with its source and note (clearing checks it is still the case's mark). */
export async function latestStatusRows(db: DbOrTx, idHashes: string[], at: Date) {
  if (idHashes.length === 0) return new Map<string, { colour: string; reason: string | null; source: string; note: string | null }>();
  const rows = rowsOf<{ id_hash: string; colour: string; reason: string | null; source: string; note: string | null }>(
    await db.execute(sql`
      select distinct on (id_hash) id_hash, colour, reason, source, note from status_changes
       where id_hash in (select jsonb_array_elements_text(${JSON.stringify(idHashes)}::jsonb)) and valid_from <= ${at.toISOString()}::timestamptz
       order by id_hash, valid_from desc, id desc`),
  );
  return new Map(rows.map((r) => [r.id_hash, { colour: r.colour, reason: r.reason, source: r.source, note: r.note }]));
}
