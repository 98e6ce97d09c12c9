import { sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db';
import { rowsOf } from '@/db';

/**
 * Counts one hit against a fixed window and says whether it is within the limit. A single upsert, so
 * it is exact across app servers. Old windows are left for a periodic clean-up (they are tiny).
 */
function windowOf(now: Date, windowSeconds: number) {
  return new Date(Math.floor(now.getTime() / (windowSeconds * 1000)) * windowSeconds * 1000);
}

/** Reads the current window's count without counting (to refuse before doing work). */
export async function peekRateLimit(db: DbOrTx, key: string, limit: number, windowSeconds: number, now = new Date()) {
  const windowStart = windowOf(now, windowSeconds);
  const [row] = rowsOf<{ hits: number }>(await db.execute(sql`select hits from rate_limits where key = ${key} and window_start = ${windowStart.toISOString()}`));
  const hits = Number(row?.hits ?? 0);
  return { allowed: hits < limit, hits, retryAfterSeconds: Math.ceil((windowStart.getTime() + windowSeconds * 1000 - now.getTime()) / 1000) };
}

export async function hitRateLimit(db: DbOrTx, key: string, limit: number, windowSeconds: number, now = new Date()) {
  const windowStart = windowOf(now, windowSeconds);
  const [row] = rowsOf<{ hits: number }>(
    await db.execute(sql`
      insert into rate_limits (key, window_start, hits) values (${key}, ${windowStart.toISOString()}, 1)
      on conflict (key, window_start) do update set hits = rate_limits.hits + 1
      returning hits`),
  );
  const hits = Number(row.hits);
  return { allowed: hits <= limit, hits, retryAfterSeconds: Math.ceil((windowStart.getTime() + windowSeconds * 1000 - now.getTime()) / 1000) };
}
