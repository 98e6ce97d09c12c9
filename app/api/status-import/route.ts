import { getDb } from '@/db';
import { env } from '@/lib/env';
import { importStatusBatch } from '@/lib/health-code/status-import';
import { fieldKeysFromEnv } from '@/lib/identity/field-crypto';
import { route } from '@/lib/http/route';

// The health authority's systems POST status batches here with the API key from configuration.
const byApiKey = { auth: { bearer: () => env().STATUS_IMPORT_API_KEY }, body: { maxBytes: 5 * 1024 * 1024 } };

export const POST = route(byApiKey, async ({ body }) => {
  const result = await importStatusBatch(await getDb(), fieldKeysFromEnv(), body);
  return Response.json(result.body, { status: result.status });
});
