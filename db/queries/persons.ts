import 'server-only';
import { and, desc, eq, getTableColumns, gte, inArray, or, sql } from 'drizzle-orm';
import { rowsOf, type DbOrTx } from '@/db';
import { accounts, codeDisplays, guardianships, personCodeHistory, personDocuments, persons } from '@/db/schema';

export type NewPerson = typeof persons.$inferInsert;

export async function lockIdDocument(tx: DbOrTx, idHash: string) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${'person:' + idHash}, 0))`);
}

/**
 * The person a document names: by any document they were ever registered with (a renewed passport's old
 * number still finds them). The row's `idHash` is the person's key (their first document), which may
 * differ from the hash asked for.
 */
export async function findPersonByIdHash(db: DbOrTx, idHash: string) {
  const [row] = await db
    .select(getTableColumns(persons))
    .from(personDocuments)
    .innerJoin(persons, eq(persons.id, personDocuments.personId))
    .where(eq(personDocuments.idHash, idHash));
  return row ?? null;
}

/**
 * The key colours are filed under for each document hash: the person's key when a person holds the
 * document, else the hash itself (a document nobody registered keeps its colour until someone does).
 */
export async function statusKeysOf(db: DbOrTx, idHashes: string[]): Promise<Map<string, string>> {
  const keys = new Map(idHashes.map((h) => [h, h]));
  if (idHashes.length === 0) return keys;
  const rows = await db
    .select({ idHash: personDocuments.idHash, key: persons.idHash })
    .from(personDocuments)
    .innerJoin(persons, eq(persons.id, personDocuments.personId))
    .where(inArray(personDocuments.idHash, [...new Set(idHashes)]));
  for (const r of rows) keys.set(r.idHash, r.key);
  return keys;
}

/** A person's documents, newest first (the first is the one shown). */
export async function documentsOfPerson(db: DbOrTx, personId: string) {
  return db
    .select({
      idHash: personDocuments.idHash,
      idType: personDocuments.idType,
      idNumberMasked: personDocuments.idNumberMasked,
      nationality: personDocuments.nationality,
      addedAt: personDocuments.addedAt,
    })
    .from(personDocuments)
    .where(eq(personDocuments.personId, personId))
    .orderBy(desc(personDocuments.addedAt), desc(personDocuments.idHash));
}

/** Adds a renewed document to a person and makes it the one shown (the person's key stays). */
export async function addPersonDocument(
  tx: DbOrTx,
  v: {
    personId: string;
    idHash: string;
    idType: string;
    idNumberEnc: string;
    idNumberMasked: string;
    nationality: string | null;
    by: string;
    at: Date;
  },
) {
  await tx.insert(personDocuments).values({
    idHash: v.idHash,
    personId: v.personId,
    idType: v.idType,
    idNumberMasked: v.idNumberMasked,
    nationality: v.nationality,
    addedAt: v.at,
    addedByAccountId: v.by,
  });
  await tx
    .update(persons)
    .set({ idNumberEnc: v.idNumberEnc, idNumberMasked: v.idNumberMasked, nationality: v.nationality })
    .where(eq(persons.id, v.personId));
}

export async function findSelfPerson(db: DbOrTx, accountId: string) {
  const [row] = await db.select({ id: persons.id }).from(persons).where(eq(persons.selfAccountId, accountId));
  return row ?? null;
}

export async function insertPerson(tx: DbOrTx, values: NewPerson) {
  const [row] = await tx.insert(persons).values(values).returning({ id: persons.id });
  return row.id;
}

export async function setSelfAccount(tx: DbOrTx, personId: string, accountId: string) {
  await tx.update(persons).set({ selfAccountId: accountId }).where(eq(persons.id, personId));
}

export async function addGuardianship(tx: DbOrTx, accountId: string, personId: string): Promise<boolean> {
  const rows = await tx
    .insert(guardianships)
    .values({ accountId, personId })
    .onConflictDoNothing()
    .returning({ personId: guardianships.personId });
  return rows.length > 0;
}

export async function removeGuardianship(tx: DbOrTx, accountId: string, personId: string): Promise<boolean> {
  const rows = await tx
    .delete(guardianships)
    .where(and(eq(guardianships.accountId, accountId), eq(guardianships.personId, personId)))
    .returning({ personId: guardianships.personId });
  return rows.length > 0;
}

const personColumns = {
  id: persons.id,
  idType: persons.idType,
  idHash: persons.idHash,
  idNumberEnc: persons.idNumberEnc,
  idNumberMasked: persons.idNumberMasked,
  nameEnc: persons.nameEnc,
  nameMasked: persons.nameMasked,
  gender: persons.gender,
  birthDate: persons.birthDate,
  codeGeneration: persons.codeGeneration,
  shortCode: persons.shortCode,
  selfAccountId: persons.selfAccountId,
};

/** The people an account may see in full: its self person first, then those it guards. */
export async function personsOfAccount(db: DbOrTx, accountId: string) {
  const rows = await db
    .selectDistinct({ ...personColumns, createdAt: persons.createdAt })
    .from(persons)
    .leftJoin(guardianships, and(eq(guardianships.personId, persons.id), eq(guardianships.accountId, accountId)))
    .where(or(eq(persons.selfAccountId, accountId), eq(guardianships.accountId, accountId)))
    .orderBy(persons.createdAt);
  return rows
    .map((r) => ({ ...r, relation: r.selfAccountId === accountId ? ('self' as const) : ('family' as const) }))
    .sort((a, b) => (a.relation === b.relation ? 0 : a.relation === 'self' ? -1 : 1));
}

/** One person, only if the account is that person's self account or a guardian of them. */
export async function personOfAccount(db: DbOrTx, accountId: string, personId: string) {
  const [row] = await db
    .select(personColumns)
    .from(persons)
    .leftJoin(guardianships, and(eq(guardianships.personId, persons.id), eq(guardianships.accountId, accountId)))
    .where(and(eq(persons.id, personId), or(eq(persons.selfAccountId, accountId), eq(guardianships.accountId, accountId))))
    .limit(1);
  return row ? { ...row, relation: row.selfAccountId === accountId ? ('self' as const) : ('family' as const) } : null;
}

/** What a scan needs: never the name or ID number in clear. */
export async function personForScan(db: DbOrTx, personId: string) {
  const [row] = await db
    .select({
      id: persons.id,
      idHash: persons.idHash,
      nameMasked: persons.nameMasked,
      gender: persons.gender,
      birthDate: persons.birthDate,
      codeGeneration: persons.codeGeneration,
    })
    .from(persons)
    .where(eq(persons.id, personId));
  return row ?? null;
}

export async function personIdByShortCode(db: DbOrTx, shortCode: string) {
  const [row] = await db.select({ id: persons.id }).from(persons).where(eq(persons.shortCode, shortCode));
  return row?.id ?? null;
}

/** An ended short code (person_code_history): the person and the generation it belonged to. */
export async function endedShortCode(db: DbOrTx, shortCode: string) {
  const [row] = await db
    .select({ personId: personCodeHistory.personId, generation: personCodeHistory.generation })
    .from(personCodeHistory)
    .where(eq(personCodeHistory.shortCode, shortCode));
  return row ?? null;
}

/** A short code held now or ever by anyone: a new one must name nobody, not even by an ended code. */
export async function shortCodeTaken(db: DbOrTx, shortCode: string): Promise<boolean> {
  const rows = rowsOf<{ hit: number }>(
    await db.execute(sql`
      select 1 as hit from persons where short_code = ${shortCode}
      union all
      select 1 from person_code_history where short_code = ${shortCode}
      limit 1`),
  );
  return rows.length > 0;
}

/**
 * Ends the person's current code and short code and issues the next generation, in the caller's
 * transaction. The person's code lock is taken exclusively first (the door's checkin_insert takes it
 * shared, migration 0015), so a door write in flight finishes before, and one after waits and sees the
 * ended generation. The end is stamped after every stored record of the person (one probe of
 * checkins_person_global_idx): a record already stored with the old code is never "after its end".
 */
export async function reissuePersonCodes(tx: DbOrTx, personId: string, shortCode: string, now: Date) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended('code:' || ${personId}::uuid, 0))`);
  // A statement of its own after the lock: its snapshot includes every door write that held the lock.
  await tx.execute(sql`
    insert into person_code_history (person_id, generation, short_code, ended_at)
    select p.id, p.code_generation, p.short_code,
           greatest(${now.toISOString()}::timestamptz, clock_timestamp(),
                    (select max(c.effective_at) + interval '1 microsecond' from checkins c where c.person_id = p.id))
      from persons p where p.id = ${personId}::uuid`);
  const [row] = await tx
    .update(persons)
    .set({ codeGeneration: sql`${persons.codeGeneration} + 1`, shortCode })
    .where(eq(persons.id, personId))
    .returning({ generation: persons.codeGeneration });
  return row.generation;
}

export async function insertCodeDisplay(db: DbOrTx, values: { personId: string; accountId: string; kind: string; displayedAt: Date }) {
  await db.insert(codeDisplays).values(values);
}

export async function codeDisplaysSince(db: DbOrTx, personId: string, since: Date) {
  return db
    .select({ kind: codeDisplays.kind, displayedAt: codeDisplays.displayedAt })
    .from(codeDisplays)
    .where(and(eq(codeDisplays.personId, personId), gte(codeDisplays.displayedAt, since)))
    .orderBy(desc(codeDisplays.displayedAt))
    .limit(200);
}

/** A person's guardians (SPEC L1: the person sees them all), oldest first, with their phone for masking. */
export async function guardiansOfPerson(db: DbOrTx, personId: string) {
  return db
    .select({ accountId: guardianships.accountId, phone: accounts.phone, since: guardianships.createdAt })
    .from(guardianships)
    .innerJoin(accounts, eq(accounts.id, guardianships.accountId))
    .where(eq(guardianships.personId, personId))
    .orderBy(guardianships.createdAt);
}

/** Ends every guardianship of the person; returns the accounts that guarded them. */
export async function removeAllGuardianships(tx: DbOrTx, personId: string): Promise<string[]> {
  const rows = await tx.delete(guardianships).where(eq(guardianships.personId, personId)).returning({ a: guardianships.accountId });
  return rows.map((r) => r.a);
}

/** What notices and rules about a person need: never the clear name or document. */
export async function personForConsent(db: DbOrTx, personId: string) {
  const [row] = await db
    .select({ id: persons.id, nameMasked: persons.nameMasked, birthDate: persons.birthDate, selfAccountId: persons.selfAccountId })
    .from(persons)
    .where(eq(persons.id, personId));
  return row ?? null;
}

/** Locks the person's row for a change of who is linked to them (a link, a removal, a re-issue's rule). */
export async function lockPersonLinks(tx: DbOrTx, personId: string) {
  await tx.execute(sql`select 1 from persons where id = ${personId}::uuid for update`);
}
