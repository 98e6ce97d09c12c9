import { getDb } from '@/db';
import { clientIp } from '@/lib/auth/client-ip';
import { getCurrentUser, sessionClaimsFromCookie } from '@/lib/auth/require-user';
import { recordAtDoorGrouped, statusForFailure } from '@/lib/checkin/door';
import { publishRecorded } from '@/lib/checkin/publish';
import type { CheckinPayload, CheckinResult } from '@/lib/checkin/record-checkin';
import { readJsonBody } from '@/lib/http/read-json';
import { isUuid } from '@/lib/utils/uuid';

const unauthenticated = () => Response.json({ error: 'unauthenticated' }, { status: 401 });

/**
 * One check-in from a scanner (its offline queue included). Exactly once by client id.
 *
 * A scan — the door's hot path — checks the session row inside the grouped write's look-up (one round
 * trip for session, binding, person and colour); everything else, and any answer given before the
 * write, checks it first through getCurrentUser. Either way a session that is not active gets 401 and
 * changes nothing.
 */
export async function POST(req: Request) {
  const claims = await sessionClaimsFromCookie();
  if (!claims) return unauthenticated();
  const body = await readJsonBody(req, 4 * 1024);
  if (!body.ok) return (await getCurrentUser()) ? Response.json({ error: body.error }, { status: body.status }) : unauthenticated();
  const payload = (body.value ?? {}) as CheckinPayload & { checkerAccountId?: unknown };
  const ip = clientIp(req.headers);

  let accountId: string;
  let result: CheckinResult;
  if (payload.method === 'scan' && claims.accountId && isUuid(claims.sessionId) && (payload.checkerAccountId === undefined || payload.checkerAccountId === claims.accountId)) {
    accountId = claims.accountId;
    result = await recordAtDoorGrouped(await getDb(), { accountId, sessionId: claims.sessionId, ip }, payload);
    if (!result.ok && result.reason === 'unauthenticated') return unauthenticated();
  } else {
    const user = await getCurrentUser();
    if (!user) return unauthenticated();
    // The device names the checker who took the record; another signed-in account must not send it.
    if (payload.checkerAccountId !== undefined && payload.checkerAccountId !== user.accountId) {
      return Response.json({ error: 'wrong_account' }, { status: 403 });
    }
    accountId = user.accountId;
    result = await recordAtDoorGrouped(await getDb(), { accountId, ip }, payload);
  }
  publishRecorded(result, accountId);
  if (!result.ok) return Response.json({ error: result.reason }, { status: statusForFailure(result.reason) });
  return Response.json({ duplicate: result.duplicate, record: result.record }, { status: result.duplicate ? 200 : 201 });
}
