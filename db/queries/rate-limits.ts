import { sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db';
import { rowsOf } from '@/db';

/**
 * Counts one hit against a fixed window and says whether it is within the limit. A single upsert, so
 * it is exact across app servers. Old windows are left for a periodic clean-up (they are tiny).
 */
export async function hitRateLimit(db: DbOrTx, key: string, limit: number, windowSeconds: number, now = new Date()) {
  const windowStart = new Date(Math.floor(now.getTime() / (windowSeconds * 1000)) * windowSeconds * 1000);
  const [row] = rowsOf<{ hits: number }>(
    await db.execute(sql`
      insert into rate_limits (key, window_start, hits) values (${key}, ${windowStart.toISOString()}, 1)
      on conflict (key, window_start) do update set hits = rate_limits.hits + 1
      returning hits`),
  );
  const hits = Number(row.hits);
  return { allowed: hits <= limit, hits, retryAfterSeconds: Math.ceil((windowStart.getTime() + windowSeconds * 1000 - now.getTime()) / 1000) };
}
