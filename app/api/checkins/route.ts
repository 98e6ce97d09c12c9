import { getDb } from '@/db';
import { clientIp } from '@/lib/auth/client-ip';
import { getCurrentUser } from '@/lib/auth/require-user';
import { recordAtDoorGrouped, statusForFailure } from '@/lib/checkin/door';
import { publishRecorded } from '@/lib/checkin/publish';
import type { CheckinPayload } from '@/lib/checkin/record-checkin';
import { readJsonBody } from '@/lib/http/read-json';

/** One check-in from a scanner (its offline queue included). Exactly once by client id. */
export async function POST(req: Request) {
  const user = await getCurrentUser();
  if (!user) return Response.json({ error: 'unauthenticated' }, { status: 401 });
  const body = await readJsonBody(req, 4 * 1024);
  if (!body.ok) return Response.json({ error: body.error }, { status: body.status });
  const payload = (body.value ?? {}) as CheckinPayload & { checkerAccountId?: unknown };
  // The device names the checker who took the record; another signed-in account must not send it.
  if (payload.checkerAccountId !== undefined && payload.checkerAccountId !== user.accountId) {
    return Response.json({ error: 'wrong_account' }, { status: 403 });
  }
  const result = await recordAtDoorGrouped(await getDb(), { ...user, ip: clientIp(req.headers) }, payload);
  publishRecorded(result, user.accountId);
  if (!result.ok) return Response.json({ error: result.reason }, { status: statusForFailure(result.reason) });
  return Response.json({ duplicate: result.duplicate, record: result.record }, { status: result.duplicate ? 200 : 201 });
}
