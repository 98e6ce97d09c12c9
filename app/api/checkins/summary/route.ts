import { z } from 'zod';
import { getDb } from '@/db';
import { checkerSummaryToday } from '@/lib/checkin/checker-summary';
import { refuse, route } from '@/lib/http/route';
import { isUuid } from '@/lib/utils/uuid';

/** The checker's running count today at a venue and the last few records, masked (V9). */
const summaryQuery = z.object({ venueId: z.string().refine(isUuid) });

export const GET = route({ auth: 'session', query: summaryQuery }, async ({ user, query }) => {
  const summary = await checkerSummaryToday(await getDb(), user, query.venueId);
  if (!summary) return refuse('not_checker');
  return Response.json(summary, { headers: { 'cache-control': 'no-store' } });
});
