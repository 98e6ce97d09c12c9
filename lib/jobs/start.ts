import 'server-only';
import { getDatabase } from '@/db';
import { JOBS } from './jobs';
import { createJobRunner, startJobLanes } from './runner';

/** The runner's tick: the drain's and the fan-out's rhythm, and the finest period a job can have. */
const TICK_MS = 1000;

/**
 * Starts this process's job runner: one loop per lane, so the inbox fan-out never waits behind a slow
 * job (runner.ts, startJobLanes). Idempotent: Next may load this module twice.
 */
export function startJobRunner() {
  const g = globalThis as { __jobRunner?: ReturnType<typeof startJobLanes> };
  if (g.__jobRunner) return;
  g.__jobRunner = startJobLanes(createJobRunner(JOBS), getDatabase, TICK_MS);
}
