import { getDb } from '@/db';
import { clientIp } from '@/lib/auth/client-ip';
import { getCurrentUser } from '@/lib/auth/require-user';
import { previewAtDoor, statusForFailure } from '@/lib/checkin/door';
import { readJsonBody } from '@/lib/http/read-json';

/** The scan result before the temperature: masked person and colour now; records nothing. */
export async function POST(req: Request) {
  const user = await getCurrentUser();
  if (!user) return Response.json({ error: 'unauthenticated' }, { status: 401 });
  const body = await readJsonBody(req, 4 * 1024);
  if (!body.ok) return Response.json({ error: body.error }, { status: body.status });
  const input = (body.value ?? {}) as Record<string, unknown>;
  const preview = await previewAtDoor(await getDb(), { ...user, ip: clientIp(req.headers) }, { venueId: input.venueId, code: input.code, method: input.method });
  if (!preview.ok) return Response.json({ error: preview.reason, retryAfterSeconds: preview.retryAfterSeconds }, { status: statusForFailure(preview.reason) });
  return Response.json(preview, { headers: { 'cache-control': 'no-store' } });
}
