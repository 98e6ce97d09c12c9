import { getDb } from '@/db';
import { clientIp } from '@/lib/auth/client-ip';
import { batchAnswers, MAX_BATCH_BYTES, readBatch } from '@/lib/checkin/batch';
import { publishRecorded } from '@/lib/checkin/publish';
import { recordCheckins } from '@/lib/checkin/record';
import { refuse, route } from '@/lib/http/route';
import { httpStatusOfRequest } from '@/lib/server/reasons';

/**
 * The offline queue's backlog: up to 200 records, each answered on its own (status per record). Records
 * the device says another account took are refused whole: they stay attributed to who took them.
 */
export const POST = route({ auth: 'session', body: { maxBytes: MAX_BATCH_BYTES } }, async ({ req, user, body }) => {
  const read = readBatch(body, user);
  if (!read.ok) return refuse(read.error, { status: httpStatusOfRequest(read.error) });
  const actor = { accountId: user.accountId, ip: clientIp(req.headers) };
  const now = new Date();
  const committed = await recordCheckins(
    await getDb(),
    read.records.map((payload) => ({ actor, payload, now })),
  );
  for (const result of committed) publishRecorded(result, user.accountId);
  return Response.json({ results: batchAnswers(read.records, committed) });
});
