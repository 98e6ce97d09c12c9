import 'server-only';
import { and, asc, eq, sql } from 'drizzle-orm';
import { rowsOf, type DbOrTx } from '@/db';
import { accountRoles, accounts, identityCorrections, persons } from '@/db/schema';

// SPEC T1: who is inside an official's region, and the officials themselves (lib/officials/*). Region codes
// are GB/T 2260 digits ('44', 4, 6 or 9 digits) checked by account_roles_region_ck, so a prefix match is safe.

/**
 * Whether the person lies inside `region` (lib/officials/capabilities.ts states the rule): a check-in still
 * linked to them at a township inside it (the township on the record, else the venue's), or the subject of
 * a case opened there or handed there.
 */
export async function personInRegion(db: DbOrTx, personId: string, region: string): Promise<boolean> {
  const prefix = `${region}%`;
  const [row] = rowsOf<{ inside: boolean }>(
    await db.execute(sql`
      select (
        exists (select 1 from checkins c join venues v on v.id = c.venue_id
                 where c.person_id = ${personId}::uuid and coalesce(c.township_code, v.township_code) like ${prefix})
        or exists (select 1 from trace_cases tc where tc.person_id = ${personId}::uuid and tc.region_code like ${prefix})
        or exists (select 1 from trace_handoffs h join trace_cases tc on tc.id = h.case_id
                    where tc.person_id = ${personId}::uuid and h.township_code like ${prefix})
      ) as inside`),
  );
  return Boolean(row?.inside);
}

/** The venue's township (a venue lies inside every region containing it), or null when there is no such venue. */
export async function venueTownship(db: DbOrTx, venueId: string): Promise<string | null> {
  const [row] = rowsOf<{ township: string }>(
    await db.execute(sql`select township_code as township from venues where id = ${venueId}::uuid`),
  );
  return row?.township ?? null;
}

export type OfficialRow = {
  accountId: string;
  phone: string | null;
  regionCode: string;
  grantedAt: Date;
  grantedByAccountId: string | null;
};

/** The officials whose region lies inside `region` (itself included), the widest regions first. */
export async function officialsInRegion(db: DbOrTx, region: string): Promise<OfficialRow[]> {
  return db
    .select({
      accountId: accountRoles.accountId,
      phone: accounts.phone,
      regionCode: accountRoles.regionCode,
      grantedAt: accountRoles.grantedAt,
      grantedByAccountId: accountRoles.grantedByAccountId,
    })
    .from(accountRoles)
    .innerJoin(accounts, eq(accounts.id, accountRoles.accountId))
    .where(and(eq(accountRoles.role, 'health_official'), sql`${accountRoles.regionCode} like ${`${region}%`}`))
    .orderBy(sql`length(${accountRoles.regionCode})`, asc(accountRoles.regionCode), asc(accountRoles.grantedAt));
}

/** Whether any account holds the role at province level ('44'). */
export async function provinceOfficialExists(db: DbOrTx): Promise<boolean> {
  const [row] = await db
    .select({ a: accountRoles.accountId })
    .from(accountRoles)
    .where(and(eq(accountRoles.role, 'health_official'), eq(accountRoles.regionCode, '44')))
    .limit(1);
  return Boolean(row);
}

/** Serialises the province's first grant (bootstrap on several app servers at once). */
export async function lockOfficialBootstrap(tx: DbOrTx): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('officials:bootstrap'))`);
}

/** Moves an official's role to another region; false when the account holds no role. */
export async function setRoleRegion(tx: DbOrTx, accountId: string, regionCode: string, byAccountId: string): Promise<boolean> {
  const rows = await tx
    .update(accountRoles)
    .set({ regionCode, grantedByAccountId: byAccountId })
    .where(and(eq(accountRoles.accountId, accountId), eq(accountRoles.role, 'health_official')))
    .returning({ a: accountRoles.accountId });
  return rows.length > 0;
}

/** Takes the role away; returns the region it had, or null when the account held none. */
export async function deleteRole(tx: DbOrTx, accountId: string): Promise<string | null> {
  const rows = await tx
    .delete(accountRoles)
    .where(and(eq(accountRoles.accountId, accountId), eq(accountRoles.role, 'health_official')))
    .returning({ region: accountRoles.regionCode });
  return rows[0]?.region ?? null;
}

/** Locks the account's role row (a change and a revoke of the same official, one after the other). */
export async function lockRole(tx: DbOrTx, accountId: string): Promise<string | null> {
  const [row] = rowsOf<{ region: string }>(
    await tx.execute(
      sql`select region_code as region from account_roles where account_id = ${accountId}::uuid and role = 'health_official' for update`,
    ),
  );
  return row?.region ?? null;
}

// ---- identity corrections (SPEC L2) ----

export type IdentityCorrection = typeof identityCorrections.$inferSelect;

export async function pendingCorrectionOf(db: DbOrTx, personId: string): Promise<IdentityCorrection | null> {
  const [row] = await db
    .select()
    .from(identityCorrections)
    .where(and(eq(identityCorrections.personId, personId), eq(identityCorrections.status, 'pending')));
  return row ?? null;
}

export async function latestCorrectionOf(db: DbOrTx, personId: string): Promise<IdentityCorrection | null> {
  const [row] = await db
    .select()
    .from(identityCorrections)
    .where(eq(identityCorrections.personId, personId))
    .orderBy(sql`${identityCorrections.requestedAt} desc`)
    .limit(1);
  return row ?? null;
}

export async function insertCorrection(tx: DbOrTx, values: { personId: string; accountId: string; note: string; at: Date }) {
  const [row] = await tx
    .insert(identityCorrections)
    .values({ personId: values.personId, requestedByAccountId: values.accountId, note: values.note, requestedAt: values.at })
    .returning({ id: identityCorrections.id });
  return row.id;
}

export async function findCorrectionForUpdate(tx: DbOrTx, id: string): Promise<IdentityCorrection | null> {
  const [row] = await tx.select().from(identityCorrections).where(eq(identityCorrections.id, id)).for('update');
  return row ?? null;
}

export async function resolveCorrection(
  tx: DbOrTx,
  id: string,
  values: { status: 'applied' | 'refused'; byAccountId: string; at: Date; reason: string; changedFields: string[] | null },
) {
  await tx
    .update(identityCorrections)
    .set({
      status: values.status,
      resolvedByAccountId: values.byAccountId,
      resolvedAt: values.at,
      reason: values.reason,
      changedFields: values.changedFields,
    })
    .where(eq(identityCorrections.id, id));
}

/** Every pending request with what an official's list shows of the person: masked forms only. */
export async function pendingCorrections(db: DbOrTx, limit = 200) {
  return db
    .select({
      id: identityCorrections.id,
      personId: identityCorrections.personId,
      note: identityCorrections.note,
      requestedAt: identityCorrections.requestedAt,
      idType: persons.idType,
      nameMasked: persons.nameMasked,
      idNumberMasked: persons.idNumberMasked,
      gender: persons.gender,
      birthDate: persons.birthDate,
    })
    .from(identityCorrections)
    .innerJoin(persons, eq(persons.id, identityCorrections.personId))
    .where(eq(identityCorrections.status, 'pending'))
    .orderBy(asc(identityCorrections.requestedAt))
    .limit(limit);
}

/** The person's identity facts an official corrects (the name encrypted, its masked form beside it). */
export async function personIdentity(db: DbOrTx, personId: string) {
  const [row] = await db
    .select({
      id: persons.id,
      idType: persons.idType,
      nameEnc: persons.nameEnc,
      nameMasked: persons.nameMasked,
      gender: persons.gender,
      birthDate: persons.birthDate,
      selfAccountId: persons.selfAccountId,
    })
    .from(persons)
    .where(eq(persons.id, personId));
  return row ?? null;
}

export async function updatePersonIdentity(
  tx: DbOrTx,
  personId: string,
  values: { nameEnc: string; nameMasked: string; gender: string; birthDate: string },
) {
  await tx.update(persons).set(values).where(eq(persons.id, personId));
}
