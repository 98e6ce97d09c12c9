import { sql } from 'drizzle-orm';
import { getDatabase, rowsOf } from '@/db';
import { log } from '@/lib/log';
import { drainAll, drainRollupQueue } from '@/db/queries/stats-rollups';

const DRAIN_LOCK_KEY = 7_214_003_118;
const INTERVAL_MS = 1000;
const DRAIN_SLICE = 2000;

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
        // One transaction per slice: a backlog drained in one long transaction held back vacuum of the
        // queue (and of every table) until its end. Another process may take the next slice: either way
        // the queue rows are taken once (SKIP LOCKED).
        for (;;) {
          const drained = await db.transaction(async (tx) => {
            const [row] = rowsOf<{ ok: boolean }>(await tx.execute(sql`select pg_try_advisory_xact_lock(${DRAIN_LOCK_KEY}) as ok`));
            if (!row?.ok) return 0;
            // A slice is at most DRAIN_SLICE records, each found by its key: with estimates from a young
            // table the planner hashed whole scans of checkins instead, once per slice (auto_explain).
            await tx.execute(sql`set local enable_seqscan = off`);
            return drainRollupQueue(tx, DRAIN_SLICE);
          });
          if (drained < DRAIN_SLICE) break;
        }
      }
    } catch (error) {
      log().warn({ err: error }, 'rollup drain failed; it will retry');
    } finally {
      running = false;
    }
  }, INTERVAL_MS);
  g.__drainRunner.unref?.();
}
