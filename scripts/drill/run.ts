/**
 * The fault drill: `npm run drill [-- --records N --rate R --port P --pg-port Q]`.
 *
 * Its own PostgreSQL cluster (default port 5433, created in a temp folder and removed at the end), the
 * production build behind scripts/serve.mjs (two processes), and simulated scanners running the real
 * offline queue module under Node. They send N check-ins (20,000) at R per second while, in the middle,
 * PostgreSQL is stopped immediately (a crash to every client) and started again, and later one app
 * process is killed (SIGKILL) and replaced. Records are taken at the venues' entrances (main, 东门, 北门,
 * or none named); 北门 is removed half-way and the scanners, not told, keep taking records there (accepted:
 * judged as of their time). Afterwards: exactly N records, no duplicates, every client id sent is stored
 * at the entrance it was sent with, and every statistic — per entrance too — equals a direct count.
 * Prints what the clients saw. Exit 1 on any difference.
 */
import { performance } from 'node:perf_hooks';
import postgres from 'postgres';
import { openDatabase } from '@/db';
import { drainAll } from '@/db/queries/stats-rollups';
import { entranceCarriedMismatches, entranceStatisticsMismatches } from '../../tests/helpers/direct-entrance-stats';
import { statisticsMismatches } from '../../tests/helpers/direct-stats';
import { newClientView, recoveryMs, startScanners } from '../../tests/helpers/drill-scanners';
import { childPids, createDatabase, seed, serverEnv, sleep, startApp } from '../bench/setup';
import { createCluster } from './cluster';
import { addDrillEntrances, removeDrillEntrance } from './entrances';

function option(name: string, fallback: number) {
  const argv = process.argv.slice(2);
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
}

async function main() {
  const total = option('records', 20_000);
  const rate = option('rate', 400);
  const port = option('port', 3310);
  const pgPort = option('pg-port', 5433);
  const t0 = performance.now();
  const log = (m: string) => console.log(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${m}`);

  const cluster = await createCluster(pgPort);
  let app: Awaited<ReturnType<typeof startApp>> | undefined;
  let scanners: ReturnType<typeof startScanners> | undefined;
  let ok: boolean;
  try {
    // Both roles on the drill's own cluster, the database migrated by its owner; the app connects as venues_app.
    const { ownerUrl: url, appUrl } = await createDatabase(cluster.url(), 'drill');
    const s = await seed(url, { venues: 8, checkersPerVenue: 2, persons: 5_000 });
    log(`cluster on :${pgPort}; seeded ${s.venues.length} venues, ${s.checkers.length} scanners, ${s.tokens.length} residents`);
    const entrances = await addDrillEntrances(url, s.venues);
    log(`entrances: main, 东门 and 北门 at each venue`);
    app = await startApp({ port, env: serverEnv({ port, databaseUrl: appUrl }), workers: 2 });
    log(`app up on :${port} (pids ${app.pids().join(', ')})`);

    const view = newClientView();
    scanners = startScanners({
      baseUrl: `http://127.0.0.1:${port}`,
      scanners: s.checkers.map((c) => {
        const e = entrances.get(c.venueId)!;
        return { accountId: c.accountId, venueId: c.venueId, headers: { cookie: c.cookie }, entranceIds: [null, e.main, e.east, e.north] };
      }),
      tokens: s.tokens,
      view,
      timeoutMs: 10_000,
    });
    const faults: { name: string; start: number; end: number; waitingBefore: number }[] = [];
    const waitingNow = () => scanners!.sent.length - view.stored - view.rejected.length;
    const samples: { t: number; waiting: number }[] = [];
    const sampler = setInterval(() => samples.push({ t: Date.now(), waiting: waitingNow() }), 100);

    let pgDone = false;
    let appDone = false;
    let entranceDone = false;
    const faultsDone: Promise<void>[] = [];
    await scanners.send(total, rate, (n) => {
      if (!pgDone && n >= total * 0.3) {
        pgDone = true;
        faultsDone.push(
          (async () => {
            const f = { name: 'PostgreSQL stopped (immediate) and started', start: Date.now(), end: 0, waitingBefore: waitingNow() };
            log(`fault: PostgreSQL immediate stop at record ${n}`);
            cluster.stop('immediate');
            await sleep(3_000);
            cluster.start();
            f.end = Date.now();
            log(`PostgreSQL started again after ${((f.end - f.start) / 1000).toFixed(1)} s`);
            faults.push(f);
          })(),
        );
      }
      if (!entranceDone && n >= total * 0.5) {
        entranceDone = true;
        log(`北门 removed at every venue at record ${n} (the scanners keep taking records there)`);
        faultsDone.push(removeDrillEntrance(url, 'north'));
      }
      if (!appDone && n >= total * 0.65) {
        appDone = true;
        faultsDone.push(
          (async () => {
            const worker = childPids(app!.proc.pid!)[0];
            const f = {
              name: `app process ${worker} killed (SIGKILL), a new one started by the launcher`,
              start: Date.now(),
              end: 0,
              waitingBefore: waitingNow(),
            };
            log(`fault: kill -9 app worker ${worker} at record ${n}`);
            process.kill(worker, 'SIGKILL');
            // Back when the launcher's replacement answers (both workers up again).
            for (let i = 0; i < 200 && childPids(app!.proc.pid!).filter((p) => p !== worker).length < 2; i++) await sleep(100);
            f.end = Date.now();
            log(`replacement process started after ${((f.end - f.start) / 1000).toFixed(1)} s`);
            faults.push(f);
          })(),
        );
      }
    });
    log(`all ${total} records added on the scanners; waiting for the queues to empty`);
    await Promise.all(faultsDone);
    const waiting = await scanners.drain(120_000);
    clearInterval(sampler);
    log(`queues empty (${waiting} waiting)`);

    // ---- checks -----------------------------------------------------------------------------------
    const sql = postgres(url, { max: 2, onnotice: () => {} });
    const [{ n, distinct }] = await sql<
      { n: number; distinct: number }[]
    >`select count(*)::int as n, count(distinct (venue_id, client_id))::int as distinct from checkins`;
    const stored = new Set((await sql<{ c: string }[]>`select client_id::text as c from checkins`).map((r) => r.c));
    const missing = scanners.sent.filter((c) => !stored.has(c)).length;
    const h = await openDatabase({ kind: 'postgres', url: appUrl, poolMax: 4 });
    const queuedMismatches = await statisticsMismatches(h.db, s.venues);
    const entranceCarried = await entranceCarriedMismatches(h.db, s.venues, scanners.sentEntrances);
    await drainAll(h.db);
    const drainedMismatches = await statisticsMismatches(h.db, s.venues);
    const byEntrance = await entranceStatisticsMismatches(h.db, s.venues);
    await h.close();
    await sql.end();

    console.log('\nWhat the scanners saw');
    console.log(`  HTTP answers by status: ${JSON.stringify(view.responses)}; requests without an answer: ${view.noAnswer}`);
    console.log(`  flushes stopped and retried: ${JSON.stringify(view.stopped)}; records needing more than one attempt: ${view.retried}`);
    console.log(
      `  stored ${view.stored} (of which answered as duplicates of an earlier unanswered send: ${view.duplicates}); refused: ${view.rejected.length}`,
    );
    for (const f of faults) {
      const back = samples.find((x) => x.t >= f.end && x.waiting <= Math.max(f.waitingBefore, rate / 4));
      const during = samples.filter((x) => x.t >= f.start && x.t <= (back?.t ?? Infinity));
      console.log(
        `  ${f.name}: down ${((f.end - f.start) / 1000).toFixed(1)} s; first record stored after it ${(((recoveryMs(view, f.start, f.end) ?? NaN) - (f.end - f.start)) / 1000).toFixed(1)} s later; backlog back to normal ${back ? ((back.t - f.start) / 1000).toFixed(1) : '—'} s after the fault began (peak ${Math.max(...during.map((x) => x.waiting))} waiting, ${f.waitingBefore} before)`,
      );
    }
    console.log('\nChecks');
    // [name, passed, detail, not run (printed SKIP; it neither passes nor fails the drill)]
    const checks: [string, boolean, string][] = [
      [`exactly ${total} records`, n === total, String(n)],
      ['no duplicates (venue, client id)', distinct === n, `${distinct} distinct`],
      ['every record sent is stored', missing === 0, `${missing} missing`],
      ['no record refused', view.rejected.length === 0, JSON.stringify(view.rejected.slice(0, 3))],
      ['statistics = direct counts (queued records included)', queuedMismatches.length === 0, queuedMismatches.slice(0, 3).join('; ')],
      ['statistics = direct counts (after draining)', drainedMismatches.length === 0, drainedMismatches.slice(0, 3).join('; ')],
      ['every record stored at the entrance it was sent with', entranceCarried.length === 0, entranceCarried.slice(0, 3).join('; ')],
      [
        'per-entrance day totals = standing records of each entrance counted directly (after draining)',
        byEntrance.checked && byEntrance.mismatches.length === 0,
        byEntrance.checked ? byEntrance.mismatches.slice(0, 3).join('; ') : 'the rollup is empty: the drain did not fill it',
      ],
    ];
    for (const [name, pass, detail] of checks) console.log(`  ${pass ? 'ok  ' : 'FAIL'} ${name} (${detail})`);
    ok = checks.every((c) => c[1]);
    log(ok ? 'drill passed' : 'drill FAILED');
  } finally {
    await scanners?.close();
    await app?.stop();
    cluster.remove();
  }
  process.exit(ok ? 0 : 1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
