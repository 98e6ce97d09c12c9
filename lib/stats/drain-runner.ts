import { sql } from 'drizzle-orm';
import { getDatabase, rowsOf } from '@/db';
import { log } from '@/lib/log';
import { drainAll } from './drain';

const DRAIN_LOCK_KEY = 7_214_003_118;
const INTERVAL_MS = 1000;

/**
 * Runs the rollup drain inside the app, once a second. On PostgreSQL one process at a time holds the
 * advisory lock (others skip their turn); several drainers would also be correct (SKIP LOCKED), just
 * busier. On PGlite there is one process.
 */
export function startDrainRunner() {
  const g = globalThis as { __drainRunner?: ReturnType<typeof setInterval> };
  if (g.__drainRunner) return;
  let running = false;
  g.__drainRunner = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      const { db, kind } = await getDatabase();
      if (kind === 'pglite') {
        await drainAll(db);
      } else {
        await db.transaction(async (tx) => {
          const [row] = rowsOf<{ ok: boolean }>(await tx.execute(sql`select pg_try_advisory_xact_lock(${DRAIN_LOCK_KEY}) as ok`));
          if (row?.ok) await drainAll(tx);
        });
      }
    } catch (error) {
      log().warn({ err: error }, 'rollup drain failed; it will retry');
    } finally {
      running = false;
    }
  }, INTERVAL_MS);
  g.__drainRunner.unref?.();
}
