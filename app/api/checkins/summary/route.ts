import { getDb } from '@/db';
import { getCurrentUser } from '@/lib/auth/require-user';
import { checkerSummaryToday } from '@/lib/checkin/checker-summary';
import { isUuid } from '@/lib/utils/uuid';

/** The checker's running count today at a venue and the last few records, masked (V9). */
export async function GET(req: Request) {
  const user = await getCurrentUser();
  if (!user) return Response.json({ error: 'unauthenticated' }, { status: 401 });
  const venueId = new URL(req.url).searchParams.get('venueId');
  if (!isUuid(venueId)) return Response.json({ error: 'invalid' }, { status: 400 });
  const summary = await checkerSummaryToday(await getDb(), user, venueId);
  if (!summary) return Response.json({ error: 'not_checker' }, { status: 403 });
  return Response.json(summary, { headers: { 'cache-control': 'no-store' } });
}
