import 'server-only';
import type { Db } from '@/db';
import { checkerDaySummary } from '@/db/queries/checkins';
import { wasActiveCheckerAt } from '@/db/queries/checker-bindings';
import { chinaDateOf, endOfChinaDay, startOfChinaDay } from '@/lib/time';
import { formatTemperature } from './temperature';

/**
 * Today's 检测人次 (China Standard Time) for this checker at this venue — the same definition as the
 * dashboard's per-checker table — and the last few records, masked, the corrected ones marked.
 */
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
      // Not counted any more: a later record took its place (已复测, with that reading; null = a quick
      // check-in), or — a quick check-in after a measurement — the measurement counts the visit.
      standing: !r.superseded,
      corrected:
        r.superseded && r.correctedLater ? { temperature: r.successorDeci === null ? null : formatTemperature(r.successorDeci) } : null,
    })),
  };
}
