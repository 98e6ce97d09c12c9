import { getDb } from '@/db';
import { getCurrentUser } from '@/lib/auth/require-user';
import { doorContext } from '@/lib/checkin/door-context';

/** The scanner shell's context (checker + venue), stored on the device for offline use. */
export async function GET(req: Request) {
  const user = await getCurrentUser();
  if (!user) return Response.json({ error: 'unauthenticated' }, { status: 401, headers: { 'cache-control': 'no-store' } });
  const answer = await doorContext(await getDb(), user, new URL(req.url).searchParams.get('venueId'));
  if (!answer.ok) return Response.json({ error: answer.error }, { status: answer.status, headers: { 'cache-control': 'no-store' } });
  return Response.json(answer.context, { headers: { 'cache-control': 'no-store' } });
}
