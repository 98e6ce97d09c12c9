import { z } from 'zod';
import { getDb } from '@/db';
import { doorContext } from '@/lib/checkin/door-context';
import { refuse, route } from '@/lib/http/route';
import { isUuid } from '@/lib/utils/uuid';

const noStore = { 'cache-control': 'no-store' };
const contextQuery = z.object({ venueId: z.string().refine(isUuid) });

/** The scanner shell's context (checker + venue), stored on the device for offline use. */
export const GET = route({ auth: 'session', query: contextQuery, headers: noStore }, async ({ user, query }) => {
  const answer = await doorContext(await getDb(), user, query.venueId);
  if (!answer.ok) return refuse(answer.error, { status: answer.status });
  return Response.json(answer.context, { headers: noStore });
});
