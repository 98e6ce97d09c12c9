import 'server-only';
import type { Db } from '@/db';
import { checkerDaySummary } from '@/db/queries/checkins';
import { wasActiveCheckerAt } from '@/db/queries/checker-bindings';
import { chinaDateOf, endOfChinaDay, startOfChinaDay } from '@/lib/time';
import { formatTemperature } from './temperature';

/** Today's count (China Standard Time) for this checker at this venue, and the last few records, masked. */
export async function checkerSummaryToday(db: Db, actor: { accountId: string }, venueId: string, now = new Date(), method?: 'quick') {
  // Only an active checker of the venue reads their own summary there (pending and removed are refused).
  if (!(await wasActiveCheckerAt(db, venueId, actor.accountId, now))) return null;
  const day = chinaDateOf(now);
  const { count, recent } = await checkerDaySummary(db, venueId, actor.accountId, startOfChinaDay(day), endOfChinaDay(day), 5, method);
  return {
    count,
    recent: recent.map((r) => ({
      id: r.id,
      nameMasked: r.nameMasked,
      temperature: r.temperatureDeci === null ? null : formatTemperature(r.temperatureDeci),
      fever: r.fever,
      colour: r.colour,
      method: r.method,
      at: r.effectiveAt.toISOString(),
    })),
  };
}
