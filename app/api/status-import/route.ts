import { getDb } from '@/db';
import { env } from '@/lib/env';
import { safeEqual } from '@/lib/auth/keyed-hash';
import { importStatusBatch } from '@/lib/health-code/status-import';
import { fieldKeysFromEnv } from '@/lib/identity/field-crypto';
import { readJsonBody } from '@/lib/http/read-json';

// The health authority's systems POST status batches here with the API key from configuration.
export async function POST(req: Request) {
  const auth = req.headers.get('authorization') ?? '';
  const given = auth.startsWith('Bearer ') ? auth.slice(7) : '';
  if (!given || !safeEqual(given, env().STATUS_IMPORT_API_KEY)) {
    return Response.json({ error: 'unauthorized' }, { status: 401, headers: { 'www-authenticate': 'Bearer' } });
  }
  const body = await readJsonBody(req, 5 * 1024 * 1024);
  if (!body.ok) return Response.json({ error: body.error }, { status: body.status });
  const result = await importStatusBatch(await getDb(), fieldKeysFromEnv(), body.value);
  return Response.json(result.body, { status: result.status });
}
