#!/usr/bin/env node
// Production launcher: one Next.js server per core on one port (`npm run serve`).
//
// Node's cluster primary accepts connections and hands them to the workers round-robin; each worker is a
// complete Next.js server — the `next start` router through `next()`, see startWorker — with its own
// database pool, drain runner and live-channel listener (the app keeps no state in process memory that
// another process would need, see docs/scaling.md). A worker that dies is replaced. Beyond one machine,
// run this on every app server behind the load balancer.
//
// PORT (3000), HOSTNAME (0.0.0.0), WEB_CONCURRENCY (cores; 1 without DATABASE_URL, as PGlite allows one process). CPU_PROF_DIR set: workers run with
// --cpu-prof and write a profile there when they exit (SIGTERM to the primary).
import cluster from 'node:cluster';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import { stampEveryRequest } from './socket-address.mjs';
import { answerPlain, rawPath, requestGuard } from './request-guard.mjs';

const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOSTNAME ?? '0.0.0.0';

if (cluster.isPrimary) {
  // The embedded database (PGlite, no DATABASE_URL) may be opened by one process only.
  const workers = process.env.DATABASE_URL ? Number(process.env.WEB_CONCURRENCY ?? os.availableParallelism()) : 1;
  if (process.env.CPU_PROF_DIR) {
    cluster.setupPrimary({ execArgv: [...process.execArgv, '--cpu-prof', `--cpu-prof-dir=${process.env.CPU_PROF_DIR}`] });
  }
  let stopping = false;
  let exitCode = 0;
  const fork = () => cluster.fork();
  for (let i = 0; i < workers; i++) fork();
  // A worker that dies before it ever listened (a configuration production refuses) would die again:
  // the launcher stops with its exit code instead of restarting it forever.
  const listened = new WeakSet();
  cluster.on('listening', (worker) => listened.add(worker));
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(exitCode);
      return;
    }
    if (!listened.has(worker)) {
      console.error(`worker ${worker.process.pid} exited before it was ready (${signal ?? code}); stopping`);
      stop(code || 1);
      return;
    }
    console.error(`worker ${worker.process.pid} exited (${signal ?? code}); starting a new one`);
    setTimeout(fork, 200);
  });
  const stop = (code = 0) => {
    stopping = true;
    exitCode = typeof code === 'number' ? code : 0;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(exitCode);
    setTimeout(() => process.exit(exitCode), 10_000).unref();
  };
  process.on('SIGTERM', () => stop());
  process.on('SIGINT', () => stop());
} else {
  stampEveryRequest();
  await startWorker();
}

/**
 * The worker: `next()`'s custom-server API (the same router as `next start`) on node:http, behind the
 * launcher's own answers (scripts/request-guard.mjs: malformed paths 400, cross-origin actions 403).
 */
async function startWorker() {
  process.env.NODE_ENV ??= 'production';
  const require = createRequire(import.meta.url);
  const next = require('next');
  const dir = process.cwd();
  const app = next({ dev: false, dir, hostname, port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const guard = requestGuard(dir);
  const failed = (req, res, error) => {
    // The path only: a query string may carry what the logs must not.
    console.error(`request failed: ${req.method} ${rawPath(req.url).slice(0, 200)}`, error);
    if (!res.headersSent) answerPlain(res, 500, 'Internal Server Error', guard.headersFor(req));
    else res.destroy();
  };
  const server = http.createServer((req, res) => {
    guard.withSecurityHeaders(req, res);
    Promise.resolve(guard(req, res))
      .then((forNext) => (forNext ? handle(forNext, res) : undefined))
      .catch((error) => failed(req, res, error));
  });
  server.on('error', (error) => {
    console.error('the server could not start', error);
    process.exit(1);
  });
  server.listen(port, hostname, () => console.log(`worker ${process.pid} ready on http://${hostname}:${port}`));
  // As `next start` does: stop accepting, let Next close (flushes), then exit — so --cpu-prof writes its profile.
  let closing = false;
  const close = (code) => {
    if (closing) return;
    closing = true;
    setTimeout(() => process.exit(code), 5_000).unref(); // open live streams do not hold the exit up
    server.close(() => {
      Promise.resolve(app.close?.())
        .catch((error) => console.error(error))
        .finally(() => process.exit(code));
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => close(143));
  process.on('SIGINT', () => close(130));
}
