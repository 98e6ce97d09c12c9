#!/usr/bin/env node
// Production launcher: one Next.js server per core on one port (`npm run serve`).
//
// Node's cluster primary accepts connections and hands them to the workers round-robin; each worker is a
// complete `next start` (its own database pool, drain runner and live-channel listener — the app keeps
// no state in process memory that another process would need, see docs/scaling.md). A worker that dies
// is replaced. Beyond one machine, run this on every app server behind the load balancer.
//
// PORT (3000), HOSTNAME (0.0.0.0), WEB_CONCURRENCY (cores; 1 without DATABASE_URL, as PGlite allows one process). CPU_PROF_DIR set: workers run with
// --cpu-prof and write a profile there when they exit (SIGTERM to the primary).
import cluster from 'node:cluster';
import { createRequire } from 'node:module';
import os from 'node:os';
import { stampEveryRequest } from './socket-address.mjs';

const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOSTNAME ?? '0.0.0.0';

if (cluster.isPrimary) {
  // The embedded database (PGlite, no DATABASE_URL) may be opened by one process only.
  const workers = process.env.DATABASE_URL ? Number(process.env.WEB_CONCURRENCY ?? os.availableParallelism()) : 1;
  if (process.env.CPU_PROF_DIR) {
    cluster.setupPrimary({ execArgv: [...process.execArgv, '--cpu-prof', `--cpu-prof-dir=${process.env.CPU_PROF_DIR}`] });
  }
  let stopping = false;
  const fork = () => cluster.fork();
  for (let i = 0; i < workers; i++) fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    console.error(`worker ${worker.process.pid} exited (${signal ?? code}); starting a new one`);
    setTimeout(fork, 200);
  });
  const stop = () => {
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} else {
  stampEveryRequest();
  const require = createRequire(import.meta.url);
  const { nextStart } = require('next/dist/cli/next-start');
  await nextStart({ port, hostname }, process.cwd());
}
