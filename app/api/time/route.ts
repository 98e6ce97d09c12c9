import { route } from '@/lib/http/route';

// The scanner measures its clock offset against this (SPEC: effective time = scanner time + offset).
export const dynamic = 'force-dynamic';

/** Public: the server clock, no data. */
export const GET = route({ auth: 'none' }, async () => Response.json({ now: Date.now() }, { headers: { 'cache-control': 'no-store' } }));
