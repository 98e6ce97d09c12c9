import 'server-only';
import { and, desc, eq, lte, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db';
import { accounts, guardianships, linkRequests, persons } from '@/db/schema';

// Requests to link a registered person to an account (SPEC L1, lib/identity/link-requests.ts). A pending
// request past its expiry is expired in effect; rows are marked `expired` when somebody next touches them.

export type LinkRelation = 'family' | 'self';

/** Marks the pending requests of (person, requester) that have expired, so a new one may be made. */
export async function expireStaleLinkRequests(tx: DbOrTx, personId: string, requesterAccountId: string, now: Date) {
  await tx
    .update(linkRequests)
    .set({ status: 'expired', resolvedAt: now })
    .where(
      and(
        eq(linkRequests.personId, personId),
        eq(linkRequests.requesterAccountId, requesterAccountId),
        eq(linkRequests.status, 'pending'),
        lte(linkRequests.expiresAt, now),
      ),
    );
}

/** The account's live (pending, not expired) request for the person, if any. */
export async function livePendingRequest(db: DbOrTx, personId: string, requesterAccountId: string, now: Date) {
  const [row] = await db
    .select({ id: linkRequests.id, relation: linkRequests.relation })
    .from(linkRequests)
    .where(
      and(
        eq(linkRequests.personId, personId),
        eq(linkRequests.requesterAccountId, requesterAccountId),
        eq(linkRequests.status, 'pending'),
        sql`${linkRequests.expiresAt} > ${now.toISOString()}`,
      ),
    );
  return row ?? null;
}

export async function insertLinkRequest(
  tx: DbOrTx,
  values: { personId: string; requesterAccountId: string; relation: LinkRelation; createdAt: Date; expiresAt: Date },
) {
  const [row] = await tx.insert(linkRequests).values(values).returning({ id: linkRequests.id });
  return row.id;
}

/** One request, locked for the answer (FOR UPDATE), with what deciding it needs. */
export async function lockLinkRequest(tx: DbOrTx, id: string) {
  const [row] = await tx
    .select({
      id: linkRequests.id,
      personId: linkRequests.personId,
      requesterAccountId: linkRequests.requesterAccountId,
      relation: linkRequests.relation,
      status: linkRequests.status,
      expiresAt: linkRequests.expiresAt,
    })
    .from(linkRequests)
    .where(eq(linkRequests.id, id))
    .for('update');
  return row ?? null;
}

export async function resolveLinkRequest(
  tx: DbOrTx,
  id: string,
  status: 'accepted' | 'refused' | 'cancelled' | 'expired',
  byAccountId: string | null,
  now: Date,
) {
  await tx
    .update(linkRequests)
    .set({ status, resolvedAt: now, resolvedByAccountId: byAccountId })
    .where(and(eq(linkRequests.id, id), eq(linkRequests.status, 'pending')));
}

/** Who decides a request about the person: their own account, or, when they have none, every guardian. */
export async function deciders(db: DbOrTx, personId: string): Promise<{ selfAccountId: string | null; guardianIds: string[] }> {
  const [p] = await db.select({ selfAccountId: persons.selfAccountId }).from(persons).where(eq(persons.id, personId));
  const g = await db.select({ id: guardianships.accountId }).from(guardianships).where(eq(guardianships.personId, personId));
  return { selfAccountId: p?.selfAccountId ?? null, guardianIds: g.map((r) => r.id) };
}

const requestColumns = {
  id: linkRequests.id,
  personId: linkRequests.personId,
  relation: linkRequests.relation,
  status: linkRequests.status,
  createdAt: linkRequests.createdAt,
  expiresAt: linkRequests.expiresAt,
  resolvedAt: linkRequests.resolvedAt,
  nameMasked: persons.nameMasked,
  idNumberMasked: persons.idNumberMasked,
};

/**
 * Requests the account may answer: about its own person, or about a person it guards who has no account
 * of their own. Newest first, the last 50.
 */
export async function incomingLinkRequests(db: DbOrTx, accountId: string) {
  return db
    .select({ ...requestColumns, requesterPhone: accounts.phone })
    .from(linkRequests)
    .innerJoin(persons, eq(persons.id, linkRequests.personId))
    .innerJoin(accounts, eq(accounts.id, linkRequests.requesterAccountId))
    .where(
      sql`(${persons.selfAccountId} = ${accountId}::uuid
           or (${persons.selfAccountId} is null and exists (
                 select 1 from guardianships g where g.person_id = ${persons.id} and g.account_id = ${accountId}::uuid)))`,
    )
    .orderBy(desc(linkRequests.createdAt))
    .limit(50);
}

/** The account's own requests (what it asked, masked as it typed them), newest first, the last 50. */
export async function outgoingLinkRequests(db: DbOrTx, accountId: string) {
  return db
    .select(requestColumns)
    .from(linkRequests)
    .innerJoin(persons, eq(persons.id, linkRequests.personId))
    .where(eq(linkRequests.requesterAccountId, accountId))
    .orderBy(desc(linkRequests.createdAt))
    .limit(50);
}
