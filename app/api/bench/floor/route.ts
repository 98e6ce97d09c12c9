import { z } from 'zod';
import { env } from '@/lib/env';
import { readJsonBody } from '@/lib/http/read-json';

// The benchmark's "framework floor": the same body as a check-in, read and validated the same way, and
// no database. Off (404) unless BENCH_ROUTES=1, so a production server never exposes it by accident.
const payload = z.object({
  clientId: z.uuid(),
  venueId: z.uuid(),
  method: z.enum(['scan', 'typed', 'quick']),
  code: z.string().max(300),
  temperature: z.union([z.string().max(8), z.number()]).nullable().optional(),
  scannedAt: z.number().int().positive(),
  clockOffsetMs: z.number().int(),
});

export async function POST(req: Request) {
  if (!env().BENCH_ROUTES) return new Response(null, { status: 404 });
  const body = await readJsonBody(req, 4 * 1024);
  if (!body.ok) return Response.json({ error: body.error }, { status: body.status });
  const parsed = payload.safeParse(body.value);
  if (!parsed.success) return Response.json({ error: 'invalid' }, { status: 422 });
  return Response.json({ duplicate: false, record: { clientId: parsed.data.clientId, venueId: parsed.data.venueId } }, { status: 201 });
}
