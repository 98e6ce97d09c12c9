import { getDb } from '@/db';
import { clientIp } from '@/lib/auth/client-ip';
import { getCurrentUser } from '@/lib/auth/require-user';
import { MAX_BATCH_BYTES, recordBatchAtDoor } from '@/lib/checkin/batch';
import { publishRecorded } from '@/lib/checkin/publish';
import { readJsonBody } from '@/lib/http/read-json';

/** The offline queue's backlog: up to 200 records, each answered on its own (status per record). */
export async function POST(req: Request) {
  const user = await getCurrentUser();
  if (!user) return Response.json({ error: 'unauthenticated' }, { status: 401 });
  const body = await readJsonBody(req, MAX_BATCH_BYTES);
  if (!body.ok) return Response.json({ error: body.error }, { status: body.status });
  const answer = await recordBatchAtDoor(await getDb(), { ...user, ip: clientIp(req.headers) }, body.value);
  if (!answer.ok) return Response.json({ error: answer.error }, { status: answer.status });
  for (const result of answer.committed) publishRecorded(result, user.accountId);
  return Response.json({ results: answer.results });
}
