import 'server-only';
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db';
import { rowsOf } from '@/db';

/**
 * The longest window any limit uses (invite-code look-ups: an hour). Expired windows are pruned by the
 * `prune-rate-limits` job (lib/jobs/jobs.ts) once they ended longer ago than this, so a longer window is
 * refused here rather than pruned while still counting.
 */
export const LONGEST_RATE_WINDOW_SECONDS = 3600;

function windowOf(now: Date, windowSeconds: number) {
  if (windowSeconds > LONGEST_RATE_WINDOW_SECONDS) {
    throw new Error(`rate window ${windowSeconds}s is longer than the pruning allows`);
  }
  return new Date(Math.floor(now.getTime() / (windowSeconds * 1000)) * windowSeconds * 1000);
}

/** Reads the current window's count without counting (to refuse before doing work). */
export async function peekRateLimit(db: DbOrTx, key: string, limit: number, windowSeconds: number, now = new Date()) {
  const windowStart = windowOf(now, windowSeconds);
  const [row] = rowsOf<{ hits: number }>(
    await db.execute(sql`select hits from rate_limits where key = ${key} and window_start = ${windowStart.toISOString()}`),
  );
  const hits = Number(row?.hits ?? 0);
  return {
    allowed: hits < limit,
    hits,
    retryAfterSeconds: Math.ceil((windowStart.getTime() + windowSeconds * 1000 - now.getTime()) / 1000),
  };
}

/**
 * Counts one hit against a fixed window and says whether it is within the limit. A single upsert, so
 * it is exact across app servers.
 */
export async function hitRateLimit(db: DbOrTx, key: string, limit: number, windowSeconds: number, now = new Date()) {
  const windowStart = windowOf(now, windowSeconds);
  const [row] = rowsOf<{ hits: number }>(
    await db.execute(sql`
      insert into rate_limits (key, window_start, hits) values (${key}, ${windowStart.toISOString()}, 1)
      on conflict (key, window_start) do update set hits = rate_limits.hits + 1
      returning hits`),
  );
  const hits = Number(row.hits);
  return {
    allowed: hits <= limit,
    hits,
    retryAfterSeconds: Math.ceil((windowStart.getTime() + windowSeconds * 1000 - now.getTime()) / 1000),
  };
}

/**
 * Deletes up to `limit` windows that ended more than LONGEST_RATE_WINDOW_SECONDS before `at`. Rows do not
 * store their window's length, so a window is taken to end at the latest possible moment (its start plus
 * the longest window). A sequential scan: the table holds about two hours of windows between prunes.
 */
export async function pruneRateLimits(db: DbOrTx, at: Date, limit: number): Promise<number> {
  const cutoff = new Date(at.getTime() - 2 * LONGEST_RATE_WINDOW_SECONDS * 1000);
  const [row] = rowsOf<{ n: number }>(
    await db.execute(sql`
      with pruned as (
        delete from rate_limits r
         using (select key, window_start from rate_limits
                 where window_start < ${cutoff.toISOString()} limit ${limit}) old
         where r.key = old.key and r.window_start = old.window_start
        returning 1
      )
      select count(*)::int as n from pruned`),
  );
  return Number(row?.n ?? 0);
}
