import { z } from 'zod';
import { env } from '@/lib/env';
import { refuse, route } from '@/lib/http/route';

// The benchmark's "framework floor": the same body as a check-in, read and validated the same way, and
// no database. Off (404) unless BENCH_ROUTES=1, so a production server never exposes it by accident.
const payload = z.object({
  clientId: z.uuid(),
  venueId: z.uuid(),
  method: z.enum(['scan', 'typed', 'quick']),
  code: z.string().max(300),
  temperature: z
    .union([z.string().max(8), z.number()])
    .nullable()
    .optional(),
  scannedAt: z.number().int().positive(),
  clockOffsetMs: z.number().int(),
});

const floor = { auth: 'none', enabled: () => Boolean(env().BENCH_ROUTES), body: { maxBytes: 4 * 1024 } } as const;

export const POST = route(floor, async ({ body }) => {
  const parsed = payload.safeParse(body);
  if (!parsed.success) return refuse('invalid');
  return Response.json({ duplicate: false, record: { clientId: parsed.data.clientId, venueId: parsed.data.venueId } }, { status: 201 });
});
