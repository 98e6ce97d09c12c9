import { getDb } from '@/db';
import { clientIp } from '@/lib/auth/client-ip';
import { publishRecorded } from '@/lib/checkin/publish';
import { recordCheckin } from '@/lib/checkin/record';
import type { CheckinPayload, CheckinResult } from '@/lib/checkin/record-checkin';
import { refuse, route, unauthenticated } from '@/lib/http/route';
import { isUuid } from '@/lib/utils/uuid';

/**
 * One check-in from a scanner (its offline queue included). Exactly once by client id.
 *
 * A scan — the door's hot path — checks the session row inside the grouped write's look-up (one round
 * trip for session, binding, person and colour): the route reads only the cookie's claims. Everything
 * else checks the row first through user(). Either way a session that is not active gets 401 and
 * changes nothing.
 */
export const POST = route({ auth: 'claims', body: { maxBytes: 4 * 1024 } }, async ({ req, claims, user, body }) => {
  const payload = (body ?? {}) as CheckinPayload & { checkerAccountId?: unknown };
  const ip = clientIp(req.headers);
  const db = await getDb();
  let accountId: string;
  let result: CheckinResult;
  const sameAccount = payload.checkerAccountId === undefined || payload.checkerAccountId === claims.accountId;
  if (payload.method === 'scan' && claims.accountId && isUuid(claims.sessionId) && sameAccount) {
    accountId = claims.accountId;
    result = await recordCheckin(db, { accountId, sessionId: claims.sessionId, ip }, payload);
    if (!result.ok && result.reason === 'unauthenticated') return unauthenticated();
  } else {
    const signedIn = await user();
    if (!signedIn) return unauthenticated();
    // The device names the checker who took the record; another signed-in account must not send it.
    const another = payload.checkerAccountId !== undefined && payload.checkerAccountId !== signedIn.accountId;
    if (another) return refuse('wrong_account');
    accountId = signedIn.accountId;
    result = await recordCheckin(db, { accountId, ip }, payload);
  }
  publishRecorded(result, accountId);
  if (!result.ok) return refuse(result.reason);
  return Response.json({ duplicate: result.duplicate, record: result.record }, { status: result.duplicate ? 200 : 201 });
});
