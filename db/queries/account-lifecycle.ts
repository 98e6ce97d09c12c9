import 'server-only';
import { and, eq, isNull, lte, or, sql } from 'drizzle-orm';
import { rowsOf, type DbOrTx } from '@/db';
import {
  accountDeletions,
  accountPhoneChanges,
  accounts,
  checkerBindings,
  guardianships,
  linkRequests,
  notices,
  persons,
  venues,
} from '@/db/schema';

// SPEC L2: the rows of an account's life — phone changes (signed in, or recovery after a cooling-off
// period) and deletion (after a cooling-off period). Services: lib/accounts/*.

/** The account row, locked for the caller's transaction; null when unknown or deleted. */
export async function lockLiveAccount(tx: DbOrTx, accountId: string) {
  const rows = rowsOf<{ id: string; phone: string | null }>(
    await tx.execute(sql`select id, phone from accounts where id = ${accountId}::uuid for update`),
  );
  return rows[0]?.phone ? { id: rows[0].id, phone: rows[0].phone } : null;
}

export async function accountIdOfPhone(db: DbOrTx, phone: string): Promise<string | null> {
  const [row] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.phone, phone));
  return row?.id ?? null;
}

export async function setAccountPhone(tx: DbOrTx, accountId: string, phone: string) {
  await tx.update(accounts).set({ phone }).where(eq(accounts.id, accountId));
}

/** A deleted account keeps its row (records and audit name its id) but frees its number. */
export async function markAccountDeleted(tx: DbOrTx, accountId: string, at: Date) {
  await tx.update(accounts).set({ phone: null, deletedAt: at }).where(eq(accounts.id, accountId));
}

// ---- phone changes ----

export async function insertPhoneChange(tx: DbOrTx, values: typeof accountPhoneChanges.$inferInsert): Promise<string> {
  const [row] = await tx.insert(accountPhoneChanges).values(values).returning({ id: accountPhoneChanges.id });
  return row.id;
}

/** A pending change towards this number (a recovery waiting out its cooling-off period), if any. */
export async function pendingChangeToPhone(db: DbOrTx, phone: string) {
  const [row] = await db
    .select({ id: accountPhoneChanges.id })
    .from(accountPhoneChanges)
    .where(and(eq(accountPhoneChanges.newPhone, phone), eq(accountPhoneChanges.status, 'pending')));
  return row ?? null;
}

const changeColumns = {
  id: accountPhoneChanges.id,
  accountId: accountPhoneChanges.accountId,
  oldPhone: accountPhoneChanges.oldPhone,
  newPhone: accountPhoneChanges.newPhone,
  mode: accountPhoneChanges.mode,
  status: accountPhoneChanges.status,
  requestedAt: accountPhoneChanges.requestedAt,
  effectiveAt: accountPhoneChanges.effectiveAt,
};

export async function pendingRecoveryOfAccount(db: DbOrTx, accountId: string) {
  const [row] = await db
    .select(changeColumns)
    .from(accountPhoneChanges)
    .where(and(eq(accountPhoneChanges.accountId, accountId), eq(accountPhoneChanges.status, 'pending')));
  return row ?? null;
}

/** A phone change, locked; null when unknown. */
export async function lockPhoneChange(tx: DbOrTx, id: string) {
  const [row] = await tx.select(changeColumns).from(accountPhoneChanges).where(eq(accountPhoneChanges.id, id)).for('update');
  return row ?? null;
}

export async function resolvePhoneChange(
  tx: DbOrTx,
  id: string,
  change: { status: 'completed' | 'stopped' | 'failed'; at: Date; by?: string | null; outcome?: string | null },
) {
  await tx
    .update(accountPhoneChanges)
    .set({ status: change.status, resolvedAt: change.at, stoppedByAccountId: change.by ?? null, outcome: change.outcome ?? null })
    .where(and(eq(accountPhoneChanges.id, id), eq(accountPhoneChanges.status, 'pending')));
}

/** Pending recoveries whose cooling-off period has ended, locked (other servers skip them). */
export async function duePhoneChanges(tx: DbOrTx, now: Date, limit: number) {
  return tx
    .select(changeColumns)
    .from(accountPhoneChanges)
    .where(and(eq(accountPhoneChanges.status, 'pending'), lte(accountPhoneChanges.effectiveAt, now)))
    .orderBy(accountPhoneChanges.effectiveAt)
    .limit(limit)
    .for('update', { skipLocked: true });
}

/** The account whose own (self) person holds this document hash (any of theirs), if that account is live. */
export async function selfPersonOfDocument(db: DbOrTx, idHash: string) {
  const rows = rowsOf<{ person_id: string; account_id: string; phone: string; name_enc: string }>(
    await db.execute(sql`
      select p.id as person_id, a.id as account_id, a.phone, p.name_enc
        from person_documents d join persons p on p.id = d.person_id join accounts a on a.id = p.self_account_id
       where d.id_hash = ${idHash} and a.phone is not null`),
  );
  const r = rows[0];
  return r ? { personId: r.person_id, accountId: r.account_id, phone: r.phone, nameEnc: r.name_enc } : null;
}

export async function guardianAccountsOf(db: DbOrTx, personId: string): Promise<string[]> {
  const rows = await db.select({ accountId: guardianships.accountId }).from(guardianships).where(eq(guardianships.personId, personId));
  return rows.map((r) => r.accountId);
}

export async function selfPersonIdOf(db: DbOrTx, accountId: string): Promise<string | null> {
  const [row] = await db.select({ id: persons.id }).from(persons).where(eq(persons.selfAccountId, accountId));
  return row?.id ?? null;
}

export async function isGuardianOf(db: DbOrTx, accountId: string, personId: string): Promise<boolean> {
  const [row] = await db
    .select({ one: sql<number>`1` })
    .from(guardianships)
    .where(and(eq(guardianships.accountId, accountId), eq(guardianships.personId, personId)));
  return Boolean(row);
}

// ---- deletion ----

export async function pendingDeletionOf(db: DbOrTx, accountId: string) {
  const [row] = await db
    .select({ id: accountDeletions.id, requestedAt: accountDeletions.requestedAt, effectiveAt: accountDeletions.effectiveAt })
    .from(accountDeletions)
    .where(and(eq(accountDeletions.accountId, accountId), eq(accountDeletions.status, 'pending')));
  return row ?? null;
}

export async function insertDeletion(tx: DbOrTx, values: { accountId: string; requestedAt: Date; effectiveAt: Date }): Promise<string> {
  const [row] = await tx
    .insert(accountDeletions)
    .values({ ...values, status: 'pending' })
    .returning({ id: accountDeletions.id });
  return row.id;
}

/** Ends the account's pending deletion (it is the owner's: the account is in the where). */
export async function resolveDeletion(tx: DbOrTx, accountId: string, status: 'completed' | 'cancelled', at: Date) {
  const rows = await tx
    .update(accountDeletions)
    .set({ status, resolvedAt: at })
    .where(and(eq(accountDeletions.accountId, accountId), eq(accountDeletions.status, 'pending')))
    .returning({ id: accountDeletions.id });
  return rows[0]?.id ?? null;
}

export async function dueDeletions(tx: DbOrTx, now: Date, limit: number) {
  return tx
    .select({ id: accountDeletions.id, accountId: accountDeletions.accountId })
    .from(accountDeletions)
    .where(and(eq(accountDeletions.status, 'pending'), lte(accountDeletions.effectiveAt, now)))
    .orderBy(accountDeletions.effectiveAt)
    .limit(limit)
    .for('update', { skipLocked: true });
}

/** The open venue this account administers (one at most), if any. */
export async function openVenueOfAdmin(db: DbOrTx, accountId: string) {
  const [row] = await db
    .select({ id: venues.id, name: venues.name })
    .from(venues)
    .where(and(eq(venues.adminAccountId, accountId), isNull(venues.closedAt)));
  return row ?? null;
}

/**
 * Persons this account guards that nobody else would keep: no other guardian and no account of their
 * own. Deleting the account would leave them unreachable, so the user decides for each (hand over or erase).
 */
export async function personsGuardedOnlyBy(db: DbOrTx, accountId: string) {
  const rows = rowsOf<{ id: string; name_masked: string; id_number_masked: string }>(
    await db.execute(sql`
      select p.id, p.name_masked, p.id_number_masked
        from guardianships g join persons p on p.id = g.person_id
       where g.account_id = ${accountId}::uuid and p.self_account_id is null
         and not exists (select 1 from guardianships o where o.person_id = p.id and o.account_id <> ${accountId}::uuid)
       order by p.created_at`),
  );
  return rows.map((r) => ({ id: r.id, nameMasked: r.name_masked, idNumberMasked: r.id_number_masked }));
}

export async function guardedPersonIdsOf(db: DbOrTx, accountId: string): Promise<string[]> {
  const rows = await db.select({ personId: guardianships.personId }).from(guardianships).where(eq(guardianships.accountId, accountId));
  return rows.map((r) => r.personId);
}

export async function endGuardianshipsOf(tx: DbOrTx, accountId: string): Promise<number> {
  const rows = await tx.delete(guardianships).where(eq(guardianships.accountId, accountId)).returning({ personId: guardianships.personId });
  return rows.length;
}

/** A person nobody is linked to any more (no guardian, no own account): the only kind person_erase takes. */
export async function isUnlinkedPerson(db: DbOrTx, personId: string): Promise<boolean> {
  const rows = rowsOf<{ unlinked: boolean }>(
    await db.execute(sql`
      select p.self_account_id is null and not exists (select 1 from guardianships g where g.person_id = p.id) as unlinked
        from persons p where p.id = ${personId}::uuid`),
  );
  return rows[0]?.unlinked === true;
}

export async function unlinkSelfPerson(tx: DbOrTx, personId: string) {
  await tx.update(persons).set({ selfAccountId: null }).where(eq(persons.id, personId));
}

/** The owner's function (migration 0018): identity, colour history, codes and display log go; records lose the link. */
export async function erasePerson(tx: DbOrTx, personId: string): Promise<number> {
  const rows = rowsOf<{ cut: number }>(await tx.execute(sql`select person_erase(${personId}::uuid) as cut`));
  return Number(rows[0]?.cut ?? 0);
}

export async function openBindingIdsOf(db: DbOrTx, accountId: string): Promise<string[]> {
  const rows = await db
    .select({ id: checkerBindings.id })
    .from(checkerBindings)
    .where(and(eq(checkerBindings.accountId, accountId), isNull(checkerBindings.unboundAt)));
  return rows.map((r) => r.id);
}

/** The account's inbox: notices to it or to its number, with their read marks (cascade). */
export async function deleteNoticesOf(tx: DbOrTx, accountId: string, phone: string): Promise<number> {
  await tx.execute(sql`delete from notice_reads where account_id = ${accountId}::uuid`);
  const rows = await tx
    .delete(notices)
    .where(or(eq(notices.accountId, accountId), eq(notices.phone, phone)))
    .returning({ id: notices.id });
  return rows.length;
}

/** Link requests the account made that are still waiting: nobody is left to receive an answer. */
export async function cancelLinkRequestsOf(tx: DbOrTx, accountId: string, at: Date) {
  await tx
    .update(linkRequests)
    .set({ status: 'cancelled', resolvedAt: at })
    .where(and(eq(linkRequests.requesterAccountId, accountId), eq(linkRequests.status, 'pending')));
}
