/**
 * The door under load: `npm run bench [-- options]`. One run, side by side, on this machine:
 *
 *   floor     a Next.js route of the same build that reads and validates a check-in body, no database
 *   single    POST /api/checkins, exactly as a scanner sends it (session cookie, signed code, temperature)
 *   batch     POST /api/checkins/batch, the offline queue's sync (when the route exists)
 *   db        the same insert straight into PostgreSQL from as many connections (postgres.js), no web layer
 *
 * Throughput is closed-loop at 64 connections (autocannon); latency is measured at a fixed rate of half
 * the measured maximum by an open-loop sender (a request every 1/rate s, latency from its scheduled start;
 * closed-loop latency at 64 connections is only 64 ÷ throughput). Several runs;
 * the table shows medians. Records/s of the write paths are counted in the database, not from replies.
 *
 * The app runs as in production: scripts/serve.mjs, one Next.js process per core (WEB_CONCURRENCY).
 * Database: a fresh `<prefix>_<time>` on the server at BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres),
 * dropped at the end unless --keep.
 *
 * Options: --runs N (3) --seconds S (10) --connections C (64) --workers W (2) --port P (3300)
 *          --batch-size B (200) --pool N (DB_POOL_MAX per process, 10) --prefix NAME (bench_door)
 *          --only floor,single,batch,db  --profile DIR (workers write V8 CPU profiles there)  --keep
 *          --explain MS (auto_explain: plans of statements slower than MS go to the PostgreSQL server's log)
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import postgres from 'postgres';
import { drive, openLoop, type LoadResult } from './load';
import {
  cpuBetween,
  cpuTimes,
  createDatabase,
  dropDatabase,
  rssBytes,
  scanPayload,
  seed,
  serverEnv,
  sleep,
  startApp,
  type Seeded,
} from './setup';

type Target = 'floor' | 'single' | 'batch' | 'db';

function options() {
  const argv = process.argv.slice(2);
  const val = (name: string, fallback: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : fallback;
  };
  return {
    runs: Number(val('runs', '3')),
    seconds: Number(val('seconds', '10')),
    connections: Number(val('connections', '64')),
    workers: Number(val('workers', '2')),
    port: Number(val('port', '3300')),
    batchSize: Number(val('batch-size', '200')),
    pool: Number(val('pool', '10')),
    prefix: val('prefix', 'bench_door'),
    only: val('only', 'floor,single,batch,db').split(',') as Target[],
    profile: argv.includes('--profile') ? val('profile', '') : '',
    explain: val('explain', ''),
    keep: argv.includes('--keep'),
    adminUrl: process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)];

/** CPU seconds of every postgres process on this machine (the server is shared: indicative only). */
function postgresCpu(): Map<number, number> {
  const pids: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/comm`, 'utf8').trim() === 'postgres') pids.push(Number(d));
    } catch {
      /* gone */
    }
  }
  return cpuTimes(pids);
}

type Measure = {
  rps: number;
  appCpu: number;
  pgCpu: number;
  p50?: number;
  p99?: number;
  failures: number;
  statuses?: Record<string, number>;
};

async function main() {
  const o = options();
  if (!existsSync('.next/BUILD_ID') || process.argv.includes('--build')) {
    console.log('building (npx next build) …');
    const b = spawnSync('npx', ['next', 'build'], { stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
    if (b.status !== 0) throw new Error('build failed');
  }
  const hasBatch = existsSync('app/api/checkins/batch/route.ts');
  const targets = o.only.filter((t) => t !== 'batch' || hasBatch);
  const dbName = `${o.prefix}_${Date.now()}`;
  console.log(
    `database ${dbName}; ${o.workers} app processes on :${o.port}; ${o.runs} runs × ${o.seconds} s; ${o.connections} connections`,
  );
  // The bench seeds and vacuums as the owner; the app server connects as the app's role, as in production.
  const { ownerUrl: url, appUrl } = await createDatabase(o.adminUrl, dbName);
  if (o.explain) {
    // Plans of statements slower than this (nested ones too) go to the PostgreSQL server's log.
    const admin = postgres(o.adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`alter database ${dbName} set session_preload_libraries = 'auto_explain'`);
    await admin.unsafe(`alter database ${dbName} set auto_explain.log_min_duration = '${Number(o.explain)}ms'`);
    await admin.unsafe(`alter database ${dbName} set auto_explain.log_nested_statements = on`);
    await admin.end();
  }
  const sql = postgres(url, { max: 64, onnotice: () => {} });
  let app: Awaited<ReturnType<typeof startApp>> | undefined;
  try {
    const t0 = performance.now();
    const s = await seed(url, { venues: 32, checkersPerVenue: 2, persons: 20_000 });
    console.log(
      `seeded ${s.venues.length} venues, ${s.checkers.length} checkers with sessions, ${s.tokens.length} residents with signed codes in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    if (o.profile) mkdirSync(o.profile, { recursive: true });
    app = await startApp({
      port: o.port,
      env: serverEnv({ port: o.port, databaseUrl: appUrl, poolMax: o.pool }),
      workers: o.workers,
      cpuProfDir: o.profile || undefined,
    });
    const pids = app.pids();
    console.log(`app up: pids ${pids.join(', ')}`);
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, rssBytes(app!.pids()))), 200);

    const personIds = (await sql<{ id: string }[]>`select id from persons`).map((r) => r.id);
    const count = async () => Number((await sql`select count(*)::int as n from checkins`)[0].n);
    // What autovacuum would have done with the rows a measurement left (the tables grow by ~10⁴–10⁵ rows a
    // run; the queue's deleted rows and fresh statistics decide the next one's plans). This machine's
    // server runs with autovacuum off, so the bench does it itself; with autovacuum on, it waits for it.
    const autovacuum = String((await sql`show autovacuum`)[0].autovacuum) === 'on';
    if (!autovacuum) console.log('autovacuum is off on this server: VACUUM (ANALYZE) runs between measurements, as autovacuum would');
    const vacuumSettled = async (label: string) => {
      const v0 = performance.now();
      if (!autovacuum) await sql`vacuum (analyze)`;
      else
        while (
          Number(
            (
              await sql`select count(*)::int as n from pg_stat_activity where backend_type = 'autovacuum worker' and datname = current_database()`
            )[0].n,
          ) > 0 &&
          performance.now() - v0 < 60_000
        )
          await sleep(250);
      const took = (performance.now() - v0) / 1000;
      if (took > 1) console.log(`  (${label}: ${autovacuum ? 'waited for autovacuum' : 'vacuum (analyze)'} ${took.toFixed(1)} s)`);
    };
    await vacuumSettled('seed');

    const requestFor = (t: Target) => () => {
      const c = pick(s.checkers);
      if (t === 'batch') {
        const now = Date.now();
        const records = Array.from({ length: o.batchSize }, () => scanPayload(c.venueId, pick(s.tokens), now));
        return { body: JSON.stringify({ records }), headers: { cookie: c.cookie } };
      }
      return { body: JSON.stringify(scanPayload(c.venueId, pick(s.tokens))), headers: { cookie: c.cookie } };
    };
    const pathOf = (t: Target) => (t === 'floor' ? '/api/bench/floor' : t === 'single' ? '/api/checkins' : '/api/checkins/batch');

    async function measure(t: Target, seconds: number, rate?: number): Promise<Measure> {
      const c0 = cpuTimes(app!.pids());
      const g0 = postgresCpu();
      const n0 = t === 'floor' ? 0 : await count();
      const w0 = performance.now();
      let r: LoadResult | { ok: number; seconds: number; p50: number; p99: number; non2xx: number; errors: number; statuses?: undefined };
      if (t === 'db') r = await dbLoad(sql, s, personIds, o.connections, seconds, rate);
      else {
        const perRequest = t === 'batch' ? o.batchSize : 1;
        r = rate
          ? await openLoop({ port: o.port, path: pathOf(t), rate: Math.max(1, rate / perRequest), seconds, next: requestFor(t) })
          : await drive({ port: o.port, path: pathOf(t), connections: o.connections, seconds, next: requestFor(t) });
      }
      const wall = (performance.now() - w0) / 1000;
      const n = t === 'floor' ? r.ok : (await count()) - n0;
      // Let the statistics drain catch up before the next measurement, so none pays for another's backlog.
      const s0 = performance.now();
      while (Number((await sql`select count(*)::int as n from checkin_rollup_queue`)[0].n) > 0 && performance.now() - s0 < 120_000)
        await sleep(250);
      const settle = (performance.now() - s0) / 1000;
      if (settle > 1.5) console.log(`  (${t}: the rollup drain needed ${settle.toFixed(1)} s more to catch up)`);
      await vacuumSettled(t);
      return {
        rps: n / r.seconds,
        appCpu: t === 'db' ? 0 : cpuBetween(c0, cpuTimes(app!.pids())) / wall,
        pgCpu: cpuBetween(g0, postgresCpu()) / wall,
        p50: r.p50,
        p99: r.p99,
        failures: r.non2xx + r.errors,
        statuses: r.statuses,
      };
    }

    console.log('warm-up …');
    for (const t of targets) if (t !== 'db') await measure(t, 3);

    const max: Record<string, Measure[]> = {};
    for (let run = 1; run <= o.runs; run++) {
      for (const t of targets) {
        const m = await measure(t, o.seconds);
        (max[t] ??= []).push(m);
        console.log(
          `run ${run} ${t.padEnd(6)} ${m.rps.toFixed(0).padStart(7)} records/s  app CPU ${m.appCpu.toFixed(2)}  postgres CPU ${m.pgCpu.toFixed(2)}  failures ${m.failures}${m.statuses ? ` ${JSON.stringify(m.statuses)}` : ''}`,
        );
      }
    }
    const lat: Record<string, Measure[]> = {};
    for (let run = 1; run <= o.runs; run++) {
      for (const t of targets) {
        const rate = median(max[t].map((m) => m.rps)) / 2;
        const m = await measure(t, o.seconds, rate);
        (lat[t] ??= []).push(m);
        console.log(
          `run ${run} ${t.padEnd(6)} at ${rate.toFixed(0)} records/s: p50 ${m.p50!.toFixed(1)} ms  p99 ${m.p99!.toFixed(1)} ms  failures ${m.failures}`,
        );
      }
    }
    clearInterval(sampler);

    const floor = max.floor ? median(max.floor.map((m) => m.rps)) : NaN;
    const ceiling = max.db ? median(max.db.map((m) => m.rps)) : NaN;
    const label: Record<Target, string> = {
      floor: 'framework floor (Next route, zod, no DB)',
      single: 'POST /api/checkins (one record)',
      batch: `POST /api/checkins/batch (${o.batchSize}/request)`,
      db: 'database ceiling (insert, no web layer)',
    };
    const lines = [
      `| path | records/s (64 conns, closed) | fixed rate | p50 | p99 | app CPU (cores) | postgres CPU (cores) | ÷ floor | ÷ DB ceiling |`,
      `|---|---:|---:|---:|---:|---:|---:|---:|---:|`,
    ];
    for (const t of targets) {
      const rps = median(max[t].map((m) => m.rps));
      const unit = t === 'batch' ? ' /req' : '';
      lines.push(
        `| ${label[t]} | ${rps.toFixed(0)} | ${(rps / 2).toFixed(0)}/s | ${median(lat[t].map((m) => m.p50!)).toFixed(1)} ms${unit} | ${median(lat[t].map((m) => m.p99!)).toFixed(1)} ms${unit} | ${t === 'db' ? '—' : median(max[t].map((m) => m.appCpu)).toFixed(2)} | ${median(max[t].map((m) => m.pgCpu)).toFixed(2)} | ${(rps / floor).toFixed(2)} | ${(rps / ceiling).toFixed(2)} |`,
      );
    }
    console.log(
      `\nMedians of ${o.runs} runs × ${o.seconds} s; ${o.workers} app processes (scripts/serve.mjs), DB_POOL_MAX ${o.pool} each; load generator on the same ${navigatorCores()}-core machine.`,
    );
    console.log(`Peak app memory (RSS, all processes): ${(peak / 1024 / 1024).toFixed(0)} MB\n`);
    console.log(lines.join('\n'));
  } finally {
    await app?.stop();
    await sql.end({ timeout: 5 });
    if (!o.keep) await dropDatabase(o.adminUrl, dbName);
    else console.log(`kept ${dbName}`);
  }
}

function navigatorCores() {
  return availableParallelism();
}

/**
 * The database ceiling: the check-in's insert (same columns, one statement, autocommit) from `connections`
 * connections. Closed-loop without a rate; with a rate, an open-loop sender (a new insert every 1/rate s,
 * whether or not earlier ones have finished), so latency is not limited by the connection count.
 */
async function dbLoad(sql: postgres.Sql, s: Seeded, personIds: string[], connections: number, seconds: number, rate?: number) {
  const checkers = s.checkers;
  const lat: number[] = [];
  let ok = 0;
  let errors = 0;
  const insertOne = async () => {
    const c = pick(checkers);
    const now = new Date();
    const t = performance.now();
    try {
      await sql`insert into checkins (venue_id, client_id, checker_account_id, person_id, method, temperature_deci, fever, colour, red_reason,
                  scanned_at, clock_offset_ms, effective_at, received_at, late, payload_hash)
                values (${c.venueId}, ${randomUUID()}, ${c.accountId}, ${pick(personIds)}, 'scan', 365, false, 'green', null,
                  ${now}, 0, ${now}, ${now}, false, 'bench')`;
      ok++;
      lat.push(performance.now() - t);
    } catch {
      errors++;
    }
  };
  const start = performance.now();
  const end = start + seconds * 1000;
  if (!rate) {
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (performance.now() < end) await insertOne();
      }),
    );
  } else {
    const pending: Promise<void>[] = [];
    let sent = 0;
    while (performance.now() < end) {
      const due = Math.floor(((performance.now() - start) / 1000) * rate);
      while (sent < due) {
        pending.push(insertOne());
        sent++;
      }
      await sleep(1);
    }
    await Promise.all(pending);
  }
  lat.sort((a, b) => a - b);
  const q = (p: number) => (lat.length ? lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] : NaN);
  return { ok, seconds: (performance.now() - start) / 1000, p50: q(0.5), p99: q(0.99), non2xx: 0, errors };
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
