import 'server-only';
import type { DbOrTx } from '@/db';
import { mainEntranceOfVenue, openEntranceOfVenue, type QuickEntrance } from '@/db/queries/quick-links';
import { isUuid } from '@/lib/utils/uuid';

/**
 * The entrance the sunflower screen is for: the one the scanner linked (`?entrance=`) when it is an open
 * entrance of this venue, else the main one (a removed entrance, another venue's, or a mangled link still
 * gives the checker a working code, named for the entrance it is really for). Null: the venue has none.
 */
export async function quickEntranceOf(
  db: DbOrTx,
  venueId: string,
  requested: unknown,
): Promise<(QuickEntrance & { fellBack: boolean }) | null> {
  const named = isUuid(requested) ? await openEntranceOfVenue(db, venueId, requested) : null;
  if (named) return { ...named, fellBack: false };
  const main = await mainEntranceOfVenue(db, venueId);
  return main ? { ...main, fellBack: requested !== undefined && requested !== '' } : null;
}
