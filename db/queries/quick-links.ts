import 'server-only';
import { and, eq, gte, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db';
import { rowsOf } from '@/db';
import { quickLinks, venueEntrances } from '@/db/schema';

// The sunflower code's reads and writes: the entrance its screen is for, and its short links (/q/<id>).

const entranceColumns = { id: venueEntrances.id, name: venueEntrances.name, isMain: venueEntrances.isMain };
export type QuickEntrance = { id: string; name: string | null; isMain: boolean };

/** An entrance of this venue that is not removed; null for another venue's, a removed or an unknown one. */
export async function openEntranceOfVenue(db: DbOrTx, venueId: string, entranceId: string): Promise<QuickEntrance | null> {
  const [row] = await db
    .select(entranceColumns)
    .from(venueEntrances)
    .where(and(eq(venueEntrances.venueId, venueId), eq(venueEntrances.id, entranceId), isNull(venueEntrances.removedAt)));
  return row ?? null;
}

/** The venue's main entrance (主入口): every venue has exactly one. */
export async function mainEntranceOfVenue(db: DbOrTx, venueId: string): Promise<QuickEntrance | null> {
  const [row] = await db
    .select(entranceColumns)
    .from(venueEntrances)
    .where(and(eq(venueEntrances.venueId, venueId), eq(venueEntrances.isMain, true)));
  return row ?? null;
}

/** Stores a short link; false when the id is taken already (the caller draws another). */
export async function insertQuickLink(db: DbOrTx, link: { id: string; venueId: string; token: string; expiresAt: Date; now: Date }) {
  const rows = await db
    .insert(quickLinks)
    .values({ id: link.id, venueId: link.venueId, token: link.token, expiresAt: link.expiresAt, createdAt: link.now })
    .onConflictDoNothing()
    .returning({ id: quickLinks.id });
  return rows.length === 1;
}

/** The token behind a short link still valid at `now` (up to its expiry, as the token), or null (unknown and expired alike). */
export async function quickLinkToken(db: DbOrTx, id: string, now: Date): Promise<string | null> {
  const [row] = await db
    .select({ token: quickLinks.token })
    .from(quickLinks)
    .where(and(eq(quickLinks.id, id), gte(quickLinks.expiresAt, now)));
  return row?.token ?? null;
}

/** Deletes up to `limit` links that expired before `at` (through quick_links_expires_idx). */
export async function pruneQuickLinks(db: DbOrTx, at: Date, limit: number): Promise<number> {
  const [row] = rowsOf<{ n: number }>(
    await db.execute(sql`
      with pruned as (
        delete from quick_links q
         using (select id from quick_links where expires_at < ${at.toISOString()} limit ${limit}) old
         where q.id = old.id
        returning 1
      )
      select count(*)::int as n from pruned`),
  );
  return Number(row?.n ?? 0);
}
