import { getDb } from '@/db';
import { doorContext } from '@/lib/checkin/door-context';
import { refuse, route } from '@/lib/http/route';

/** The scanner shell's context (checker + venue), stored on the device for offline use. */
export const GET = route({ auth: 'session', headers: { 'cache-control': 'no-store' } }, async ({ req, user }) => {
  const answer = await doorContext(await getDb(), user, new URL(req.url).searchParams.get('venueId'));
  if (!answer.ok) return refuse(answer.error, { status: answer.status });
  return Response.json(answer.context, { headers: { 'cache-control': 'no-store' } });
});
