import 'server-only';
import { getDatabase } from '@/db';
import { log } from '@/lib/log';
import { JOBS } from './jobs';
import { createJobRunner } from './runner';

/** The runner's tick: the drain's rhythm, and the finest period a job can have. */
const TICK_MS = 1000;

/** Starts this process's job runner: one interval timer (idempotent: Next may load this module twice). */
export function startJobRunner() {
  const g = globalThis as { __jobRunner?: ReturnType<typeof setInterval> };
  if (g.__jobRunner) return;
  const runner = createJobRunner(JOBS);
  let running = false;
  g.__jobRunner = setInterval(
    () =>
      void (async () => {
        if (running) return;
        running = true;
        try {
          await runner.tick(await getDatabase());
        } catch (error) {
          log().warn({ err: error }, 'job runner tick failed; it will retry');
        } finally {
          running = false;
        }
      })(),
    TICK_MS,
  );
  g.__jobRunner.unref?.();
}
