import { and, count, desc, eq, gt, gte, inArray, isNull, lt, lte, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db';
import { checkinRollupQueue, checkins, persons, venues } from '@/db/schema';

export type NewCheckin = typeof checkins.$inferInsert;

/** Not superseded: no record names this one as its predecessor, and it was not stored superseded. */
const notSuperseded = and(
  isNull(checkins.supersededById),
  sql`not exists (select 1 from checkins successor where successor.venue_id = ${checkins.venueId} and successor.supersedes_id = ${checkins.id})`,
);

export async function checkinByClientId(db: DbOrTx, venueId: string, clientId: string) {
  const [row] = await db.select().from(checkins).where(and(eq(checkins.venueId, venueId), eq(checkins.clientId, clientId)));
  return row ?? null;
}

/** Serialises writes for one person at one venue, so supersede links are decided one at a time. */
export async function lockPersonAtVenue(tx: DbOrTx, venueId: string, personId: string) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`checkin:${venueId}:${personId}`}, 0))`);
}

/** The latest record still standing in [from, at] for this person here: the one a new record corrects. */
export async function standingRecordBefore(tx: DbOrTx, venueId: string, personId: string, from: Date, at: Date) {
  const [row] = await tx
    .select({ id: checkins.id })
    .from(checkins)
    .where(and(eq(checkins.venueId, venueId), eq(checkins.personId, personId), gte(checkins.effectiveAt, from), lte(checkins.effectiveAt, at), notSuperseded))
    .orderBy(desc(checkins.effectiveAt), desc(checkins.receivedAt))
    .limit(1);
  return row?.id ?? null;
}

/** The earliest record in (at, until]: a late record older than it is stored already superseded by it. */
export async function recordAfter(tx: DbOrTx, venueId: string, personId: string, at: Date, until: Date) {
  const [row] = await tx
    .select({ id: checkins.id })
    .from(checkins)
    .where(and(eq(checkins.venueId, venueId), eq(checkins.personId, personId), gt(checkins.effectiveAt, at), lte(checkins.effectiveAt, until)))
    .orderBy(checkins.effectiveAt)
    .limit(1);
  return row?.id ?? null;
}

/**
 * Inserts unless the client id is already stored; returns the new row or null. A new record also gets
 * its rollup-queue row in the same transaction (a fresh row, not a shared counter: the door never queues
 * behind another checker).
 */
export async function insertCheckin(tx: DbOrTx, values: NewCheckin) {
  const [row] = await tx.insert(checkins).values(values).onConflictDoNothing({ target: [checkins.venueId, checkins.clientId] }).returning();
  if (row) await tx.insert(checkinRollupQueue).values({ venueId: row.venueId, checkinId: row.id });
  return row ?? null;
}

/** A checker's running count at a venue for a day, and the last few records, masked (V9). */
export async function checkerDaySummary(db: DbOrTx, venueId: string, checkerAccountId: string, dayStart: Date, dayEnd: Date, limit = 5, method?: 'quick') {
  const where = and(
    eq(checkins.venueId, venueId),
    eq(checkins.checkerAccountId, checkerAccountId),
    gte(checkins.effectiveAt, dayStart),
    lt(checkins.effectiveAt, dayEnd),
    method ? eq(checkins.method, method) : undefined,
  );
  const [[{ n }], recent] = await Promise.all([
    db.select({ n: count() }).from(checkins).where(where),
    db
      .select({
        id: checkins.id,
        nameMasked: persons.nameMasked,
        temperatureDeci: checkins.temperatureDeci,
        fever: checkins.fever,
        colour: checkins.colour,
        method: checkins.method,
        effectiveAt: checkins.effectiveAt,
      })
      .from(checkins)
      .innerJoin(persons, eq(persons.id, checkins.personId))
      .where(where)
      .orderBy(desc(checkins.effectiveAt))
      .limit(limit),
  ]);
  return { count: n, recent };
}

/** A person's own records across venues (我的粤康码信息): venue, time, temperature or quick check-in. */
export async function recordsOfPersons(db: DbOrTx, personIds: string[], limit = 100) {
  if (personIds.length === 0) return [];
  return db
    .select({
      id: checkins.id,
      personId: checkins.personId,
      venueName: venues.name,
      temperatureDeci: checkins.temperatureDeci,
      method: checkins.method,
      fever: checkins.fever,
      effectiveAt: checkins.effectiveAt,
    })
    .from(checkins)
    .innerJoin(venues, eq(venues.id, checkins.venueId))
    .where(inArray(checkins.personId, personIds))
    .orderBy(desc(checkins.effectiveAt))
    .limit(limit);
}
