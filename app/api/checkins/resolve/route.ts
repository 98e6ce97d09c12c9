import { getDb } from '@/db';
import { clientIp } from '@/lib/auth/client-ip';
import { previewAtDoor } from '@/lib/checkin/door';
import { refuse, route } from '@/lib/http/route';

/** The scan result before the temperature: masked person and colour now; records nothing. */
export const POST = route({ auth: 'session', body: { maxBytes: 4 * 1024 } }, async ({ req, user, body }) => {
  const preview = await previewAtDoor(await getDb(), { ...user, ip: clientIp(req.headers) }, body);
  if (!preview.ok) return refuse(preview.reason, { extra: { retryAfterSeconds: preview.retryAfterSeconds } });
  return Response.json(preview, { headers: { 'cache-control': 'no-store' } });
});
