/**
 * Dashboard statistics benchmark: `npm run bench:stats [-- options]`.
 *
 * Loads a large synthetic data set in bulk (INSERT … SELECT … FROM generate_series, never row by row)
 * into its own database `bench_stats` on the PostgreSQL server at DATABASE_URL (or an in-memory PGlite
 * when DATABASE_URL is unset, at a small size), builds the rollups with rebuildVenueStats, queues a
 * backlog of not-yet-drained records, then times every dashboard query for the big venue (each inside
 * inSnapshot, as the app calls them) and checks the answers against direct SQL over standing records.
 * The big venue has several entrances (主入口, 东门, 北门, 地下车库), the others two; records are spread over
 * them and carry the facts of the visit (gender, age band), except the oldest tenth of the days: history
 * stored before entrances and facts existed (null), counted under 此前记录（未分入口） and from `persons`.
 * Exits non-zero when any answer differs.
 *
 * Options (argv, or the env variable in brackets):
 *   --rows N            total check-ins (BENCH_ROWS; default 20,000,000 on the server, 50,000 on PGlite)
 *   --venue-share F     the big venue's share of the rows (BENCH_VENUE_SHARE; default 0.5)
 *   --days D            days of history up to today (BENCH_DAYS; default 365)
 *   --runs R            timed runs per query, after 3 warm-ups (BENCH_RUNS; default 30)
 *   --persons P         synthetic persons (BENCH_PERSONS; default 100,000, fewer on small PGlite runs)
 *   --keep              reuse the loaded bench_stats database instead of reloading (BENCH_KEEP=1)
 *   --database NAME     the server database to use (BENCH_DATABASE; default bench_stats; bench_ + a-z0-9_)
 *
 * On the server `bench_stats` is dropped and recreated (unless --keep) through the `postgres` database of
 * the same server, and left in place at the end. During the load the check-ins table's indexes are
 * dropped and rebuilt from their own definitions afterwards (a sort-built index is far faster than
 * 20 million random index insertions); the database is marked complete only after they are back.
 */
import { performance } from 'node:perf_hooks';
import { sql, type SQL } from 'drizzle-orm';
import postgres from 'postgres';
import { openDatabase, rowsOf, type DatabaseHandle, type Db, type DbOrTx } from '@/db';
import { migrateDatabase } from '@/db/migrate';
import { ensureRoles } from '@/db/roles';
import { listRegionChildren } from '@/lib/regions/divisions';
import {
  checkerStats,
  dailyStats,
  demographics,
  entranceStats,
  feverCount,
  feverList,
  feverPersonsByDay,
  hourlyStats,
  inSnapshot,
  totalFevers,
  type DayRow,
} from '@/db/queries/stats-dashboard';
import { checkerDaySummary } from '@/db/queries/checkins';
import { drainAll, rebuildVenueStats } from '@/db/queries/stats-rollups';
import { addChinaDays, chinaDateOf, endOfChinaDay, startOfChinaDay } from '@/lib/time';

// ---- options --------------------------------------------------------------------------------------

const DEFAULT_BENCH_DB = 'bench_stats';
const TARGET_MS = 20;
const WARMUPS = 3;
const SMALL_VENUES = 50;
const BIG_CHECKERS = 20;
const SMALL_CHECKERS = 3;
const BIG_ENTRANCES = 4;
const SMALL_ENTRANCES = 2;
/** The oldest share of the days is history: no entrance and no facts on the record (before migration 0015). */
const HISTORY_SHARE = 0.1;
// Per 100 base rows: 1 correction (a newer record superseding it) and 0.2 late records stored superseded.
const EXTRA_FACTOR = 1 + 1 / 100 + 1 / 500;
// Relative share of check-ins in each hour of the day (China Standard Time): morning, lunch and evening peaks.
const HOUR_WEIGHTS = [1, 1, 1, 1, 1, 2, 4, 9, 14, 12, 9, 9, 12, 10, 8, 8, 9, 11, 13, 11, 8, 6, 4, 2];

export type Options = {
  rows: number;
  venueShare: number;
  days: number;
  runs: number;
  persons: number;
  keep: boolean;
  /** The server database to load into (BENCH_DATABASE; default bench_stats). */
  database: string;
};

/** The shared options; `extra` names further `--name value` options a caller (bench-trace) reads itself. */
export function parseOptions(server: boolean, extra: string[] = [], defaultDatabase = DEFAULT_BENCH_DB): Options {
  const argv = process.argv.slice(2);
  const flag = (name: string) => argv.includes(`--${name}`);
  const value = (name: string, envName: string): string | undefined => {
    const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
    if (i >= 0) return argv[i].includes('=') ? argv[i].slice(argv[i].indexOf('=') + 1) : argv[i + 1];
    return process.env[envName];
  };
  const num = (name: string, envName: string, fallback: number, check: (n: number) => boolean) => {
    const raw = value(name, envName);
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw.replace(/[_,]/g, ''));
    if (!Number.isFinite(n) || !check(n)) throw new Error(`bad --${name}: ${raw}`);
    return n;
  };
  const known = new Set([
    '--rows',
    '--venue-share',
    '--days',
    '--runs',
    '--persons',
    '--keep',
    '--database',
    ...extra.map((e) => `--${e}`),
  ]);
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].split('=')[0];
    if (!known.has(name)) throw new Error(`unknown option ${argv[i]}`);
    if (name !== '--keep' && !argv[i].includes('=')) i++;
  }
  const rows = Math.round(num('rows', 'BENCH_ROWS', server ? 20_000_000 : 50_000, (n) => n >= 1000));
  const persons = Math.round(
    num('persons', 'BENCH_PERSONS', Math.min(100_000, Math.max(2_000, Math.round(rows / 2))), (n) => n >= 100 && n <= 99_999_999),
  );
  return {
    rows,
    venueShare: num('venue-share', 'BENCH_VENUE_SHARE', 0.5, (n) => n > 0 && n <= 1),
    days: Math.round(num('days', 'BENCH_DAYS', 365, (n) => n >= 8 && n <= 3650)),
    runs: Math.round(num('runs', 'BENCH_RUNS', 30, (n) => n >= 1)),
    persons,
    keep: flag('keep') || process.env.BENCH_KEEP === '1',
    database: checkDatabaseName(value('database', 'BENCH_DATABASE') || defaultDatabase),
  };
}

function checkDatabaseName(name: string) {
  if (!/^bench_[a-z0-9_]{1,40}$/.test(name)) throw new Error(`bad --database: ${name} (bench_ followed by a-z, 0-9, _)`);
  return name;
}

// ---- helpers --------------------------------------------------------------------------------------

export const fmt = (n: number) => n.toLocaleString('en-US');
export const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const lit = (n: number) => sql.raw(String(n));

/** A deterministic, version-4-shaped uuid from a text key, so ids can be computed instead of joined. */
export const bu = (key: string) => `(overlay(overlay(md5(${key}) placing '4' from 13) placing '8' from 17)::uuid)`;
export const venueIdSql = (vno: string) => sql.raw(bu(`'v' || ${vno}`));
/** Entrance k of venue vno (k = 0: the main one). */
export const entranceIdSql = (vno: string, k: string) => bu(`'e' || ${vno} || '-' || ${k}`);
// A synthetic person's gender and birth date follow from their number, so a record's facts are computed
// at load time without a join (the door stores them from the person at the visit).
const genderOf = (pno: string) => `(case when ${pno} % 2 = 0 then 'M' else 'F' end)`;
const birthOf = (pno: string) => `(date '1940-01-01' + ((${pno})::bigint * 7919 % 30000)::int)`;
const ageBandOf = (day: string, birth: string) => `(case
  when extract(year from age(${day}, ${birth})) < 18 then '0-17' when extract(year from age(${day}, ${birth})) < 30 then '18-29'
  when extract(year from age(${day}, ${birth})) < 40 then '30-39' when extract(year from age(${day}, ${birth})) < 50 then '40-49'
  when extract(year from age(${day}, ${birth})) < 60 then '50-59' else '60+' end)`;

export async function exec(db: DbOrTx, query: SQL) {
  return rowsOf<Record<string, unknown>>(await db.execute(query));
}

/** Runs fn over items with at most `width` running at once (one per connection). */
async function inParallel<T>(items: T[], width: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

async function step<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  process.stdout.write(`  ${label} … `);
  const result = await fn();
  console.log(secs(performance.now() - t0));
  return result;
}

export function withDatabase(url: string, database: string, params: Record<string, string> = {}) {
  const u = new URL(url);
  u.pathname = `/${database}`;
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.toString();
}

// ---- load -----------------------------------------------------------------------------------------

export type Meta = {
  complete: true;
  bigVenueId: string;
  rows: number;
  persons: number;
  days: number;
  venueShare: number;
  loadedAt: string;
};

async function loadSmallTables(db: Db, o: Options, now: string) {
  const township = listRegionChildren('440106')[0]?.code ?? '440106001';
  const vnos = `generate_series(0, ${SMALL_VENUES})`;
  await db.transaction(async (tx) => {
    await tx.execute(sql`set local synchronous_commit = off`);
    await tx.execute(sql`
      insert into persons (id, id_type, id_hash, id_number_enc, id_number_masked, name_enc, name_masked, gender, birth_date, short_code)
      select ${sql.raw(bu(`'p' || g`))}, 'cn_resident', 'bench-' || g, 'bench', '4401**********' || lpad((g % 10000)::text, 4, '0'),
             'bench', '*' || chr(19968 + (g % 2000)), ${sql.raw(genderOf('g'))}, ${sql.raw(birthOf('g'))}, 'B' || lpad(g::text, 9, '0')
        from generate_series(1, ${lit(o.persons)}) g`);
    // Admins: one account per venue; checkers: BIG_CHECKERS for venue 0, SMALL_CHECKERS for the others.
    await tx.execute(sql`
      insert into accounts (id, phone)
      select ${sql.raw(bu(`'a' || v`))}, '191' || lpad(v::text, 8, '0') from ${sql.raw(vnos)} v
      union all
      select ${sql.raw(bu(`'c' || v || '-' || k`))}, '192' || lpad((v * 100 + k)::text, 8, '0')
        from ${sql.raw(vnos)} v cross join lateral generate_series(0, case when v = 0 then ${lit(BIG_CHECKERS)} else ${lit(SMALL_CHECKERS)} end - 1) k`);
    await tx.execute(sql`
      insert into venues (id, name, type, township_code, address, contact_phone, invite_code, binding_mode, admin_account_id, created_at)
      select ${venueIdSql('v')}, case when v = 0 then '基准大场所' else '基准场所 ' || v end, 'retail', ${township}, '基准路 ' || v || ' 号',
             '020-' || lpad(v::text, 8, '0'), 'BV' || lpad(v::text, 6, '0'), 'immediate', ${sql.raw(bu(`'a' || v`))},
             ${now}::timestamptz - interval '1 day' * ${lit(o.days + 30)}
        from ${sql.raw(vnos)} v`);
    await tx.execute(sql`
      insert into venue_entrances (venue_id, id, name, is_main)
      select ${venueIdSql('v')}, ${sql.raw(entranceIdSql('v', 'k'))}, case when k = 0 then null else (array['东门', '北门', '地下车库'])[k] end, k = 0
        from ${sql.raw(vnos)} v cross join lateral generate_series(0, case when v = 0 then ${lit(BIG_ENTRANCES)} else ${lit(SMALL_ENTRANCES)} end - 1) k`);
    await tx.execute(sql`
      insert into checker_bindings (venue_id, account_id, display_name, requested_at, bound_from, approved_by_account_id)
      select ${venueIdSql('v')}, ${sql.raw(bu(`'c' || v || '-' || k`))}, '检测员' || (k + 1),
             ${now}::timestamptz - interval '1 day' * ${lit(o.days + 20)}, ${now}::timestamptz - interval '1 day' * ${lit(o.days + 20)},
             ${sql.raw(bu(`'a' || v`))}
        from ${sql.raw(vnos)} v cross join lateral generate_series(0, case when v = 0 then ${lit(BIG_CHECKERS)} else ${lit(SMALL_CHECKERS)} end - 1) k`);
  });
}

type IndexDef = { name: string; def: string; constraint: string | null; condef: string | null };

async function dropCheckinIndexes(db: Db): Promise<IndexDef[]> {
  const defs = (await exec(
    db,
    sql`select ic.relname as name, pg_get_indexdef(i.indexrelid) as def, c.conname as constraint, pg_get_constraintdef(c.oid) as condef
          from pg_index i join pg_class ic on ic.oid = i.indexrelid
          left join pg_constraint c on c.conindid = i.indexrelid and c.conrelid = i.indrelid and c.contype in ('p', 'u')
         where i.indrelid = 'checkins'::regclass
         order by (c.contype = 'p') desc nulls last, ic.relname`,
  )) as unknown as IndexDef[];
  await db.transaction(async (tx) => {
    for (const d of defs) {
      await tx.execute(
        d.constraint
          ? sql`alter table checkins drop constraint ${sql.identifier(d.constraint)}`
          : sql`drop index ${sql.identifier(d.name)}`,
      );
    }
  });
  return defs;
}

async function restoreCheckinIndexes(db: Db, defs: IndexDef[]) {
  for (const d of defs) {
    await step(`index ${d.name}`, () =>
      db.execute(d.constraint ? sql.raw(`alter table checkins add constraint "${d.constraint}" ${d.condef}`) : sql.raw(d.def)),
    );
  }
}

/** One statement: `count` base check-ins from generate_series, plus their corrections and late records. */
function checkinChunk(o: Options, now: string, baseRows: number, from: number, count: number): SQL {
  const hours = HOUR_WEIGHTS.flatMap((w, h) => Array.from({ length: w }, () => h));
  const cst = sql.raw(`'Asia/Shanghai'`);
  return sql`
    with src as (
      select g,
             case when random() < ${lit(o.venueShare)} then 0 else 1 + floor(random() * ${lit(SMALL_VENUES)})::int end as vno,
             random() as r_p, random() as r_chk, random() as r_m, random() as r_f, random() as r_t, random() as r_red,
             ${sql.raw(`('{${hours.join(',')}}'::int[])`)}[1 + floor(random() * ${lit(hours.length)})::int] as h,
             random() as r_sec, random() as r_off, random() as r_rcv, random() as r_e
        from generate_series(${lit(from)}, ${lit(from + count - 1)}) g
      offset 0
    ),
    ins as (
      insert into checkins (venue_id, client_id, checker_account_id, person_id, method, temperature_deci, fever, colour, red_reason,
                            scanned_at, clock_offset_ms, effective_at, received_at, late, payload_hash, entrance_id, gender, age_band)
      select ${venueIdSql('vno')}, gen_random_uuid(),
             ${sql.raw(bu(`'c' || vno || '-' || floor(r_chk * case when vno = 0 then ${BIG_CHECKERS} else ${SMALL_CHECKERS} end)::int`))},
             ${sql.raw(bu(`'p' || pno`))},
             m.method, t.deci, coalesce(t.deci >= 373, false), case when r_red < 0.005 then 'red' else 'green' end, case when r_red < 0.005 then 'close_contact' end,
             e.eff - floor((r_off - 0.5) * 4000) * interval '1 millisecond', floor((r_off - 0.5) * 4000)::int, e.eff,
             e.eff + r_rcv * interval '5 seconds', false, md5('bench' || g),
             case when not history then ${sql.raw(entranceIdSql('vno', `floor(r_e * case when vno = 0 then ${BIG_ENTRANCES} else ${SMALL_ENTRANCES} end)::int`))} end,
             case when not history then ${sql.raw(genderOf('pno'))} end,
             case when not history then ${sql.raw(ageBandOf(`(e.eff at time zone 'Asia/Shanghai')::date`, birthOf('pno')))} end
        from src
        cross join lateral (select 1 + floor(r_p * ${lit(o.persons)})::int as pno, g <= ${lit(Math.floor((o.rows / EXTRA_FACTOR) * HISTORY_SHARE))} as history) f
        cross join lateral (select case when r_m < 0.2 then 'quick' when r_m < 0.23 then 'typed' else 'scan' end as method) m
        cross join lateral (select case when m.method = 'quick' then null
                                        when r_f < 0.0125 then 373 + floor(r_t * 22)::int
                                        else 355 + floor(r_t * 18)::int end::smallint as deci) t
        cross join lateral (select (((${now}::timestamptz at time zone ${cst})::date - (${lit(o.days - 1)} - floor((g - 1) * ${lit(o.days)}::float8 / ${lit(baseRows)})::int))
                                    + make_interval(hours => h) + r_sec * interval '1 hour') at time zone ${cst} as t0) t0
        cross join lateral (select case when t0.t0 > ${now}::timestamptz then t0.t0 - interval '1 day' else t0.t0 end as eff) e
       -- Rows come in time order (each chunk is a slice of consecutive days, oldest first), grouped by venue
       -- within the slice as on a venue-sharded store: a venue's rows share heap pages, so rebuilds read few
       -- pages and index scans in time order (fever list, fever count) touch the heap in order as in production.
       order by vno, e.eff
      returning venue_id, id, checker_account_id, person_id, effective_at, entrance_id, gender, age_band
    ),
    picked as (
      select ins.*, case when rn % 100 = 0 then 'corr' else 'late' end as kind, random() as r1, random() as r2, random() as r3
        from (select ins.*, row_number() over () as rn from ins) ins
       where rn % 100 = 0 or rn % 500 = 1
      offset 0
    ),
    extra as (
      insert into checkins (venue_id, client_id, checker_account_id, person_id, method, temperature_deci, fever, colour, red_reason,
                            supersedes_id, superseded_by_id, scanned_at, clock_offset_ms, effective_at, received_at, late, payload_hash,
                            entrance_id, gender, age_band)
      select venue_id, gen_random_uuid(), checker_account_id, person_id, 'typed', t.deci, t.deci >= 373, 'green', null,
             case when kind = 'corr' then id end, case when kind = 'late' then id end,
             x.eff, 0, x.eff, case when kind = 'corr' then x.eff + interval '2 seconds' else effective_at + interval '1 minute' end,
             kind = 'late', md5('bench-x' || id::text), entrance_id, gender, age_band
        from picked
        cross join lateral (select case when r2 < 0.1 then 373 + floor(r3 * 10)::int else 360 + floor(r3 * 10)::int end::smallint as deci) t
        cross join lateral (select case when kind = 'corr' then least(effective_at + (1 + floor(r1 * 29)) * interval '1 minute', greatest(effective_at, ${now}::timestamptz))
                                        else effective_at - (1 + floor(r1 * 29)) * interval '1 minute' end as eff) x
      returning 1
    )
    select (select count(*) from ins)::int as base, (select count(*) from extra)::int as extra`;
}

async function load(loadDb: Db, o: Options, server: boolean): Promise<Meta> {
  const now = new Date().toISOString();
  const baseRows = Math.round(o.rows / EXTRA_FACTOR);
  const chunk = server ? 1_000_000 : 25_000;
  console.log(
    `Loading ${fmt(o.rows)} check-ins (big venue share ${o.venueShare}, ${SMALL_VENUES} other venues), ${fmt(o.persons)} persons, ${o.days} days:`,
  );
  const t0 = performance.now();
  await step('persons, accounts, venues, checker bindings', () => loadSmallTables(loadDb, o, now));

  const tc = performance.now();
  const defs = await step('drop check-in indexes (restored below)', () => dropCheckinIndexes(loadDb));
  let loaded = 0;
  const chunks: [number, number][] = [];
  for (let from = 1; from <= baseRows; from += chunk) chunks.push([from, Math.min(chunk, baseRows - from + 1)]);
  await inParallel(chunks, server ? 2 : 1, async ([from, count]) => {
    const t = performance.now();
    const [r] = await loadDb.transaction(async (tx) => {
      await tx.execute(sql`set local synchronous_commit = off`);
      return exec(tx, checkinChunk(o, now, baseRows, from, count));
    });
    const n = Number(r.base) + Number(r.extra);
    loaded += n;
    const ms = performance.now() - t;
    console.log(
      `  check-ins ${fmt(loaded)} / ~${fmt(o.rows)}  (${fmt(n)} in ${secs(ms)}, ${fmt(Math.round((n * 1000) / ms))} rows/s per connection)`,
    );
  });
  const heapMs = performance.now() - tc;
  await restoreCheckinIndexes(loadDb, defs);
  const checkinMs = performance.now() - tc;
  await step('analyze', () => loadDb.execute(sql`analyze`));

  const venues = (await exec(loadDb, sql`select id, (id = ${venueIdSql('0')}) as big from venues order by big desc, id`)) as unknown as {
    id: string;
    big: boolean;
  }[];
  const bigVenueId = venues[0].id;
  const tr = performance.now();
  // Two connections (two cores): the big venue on one while the other works through the small venues.
  await inParallel(venues, server ? 2 : 1, async (v) => {
    const t = performance.now();
    await rebuildVenueStats(loadDb, v.id);
    if (v.big) console.log(`  rebuildVenueStats (big venue) … ${secs(performance.now() - t)}`);
  });
  console.log(`  rebuildVenueStats (all ${venues.length} venues, 2 at a time) … ${secs(performance.now() - tr)}`);
  const rebuildMs = performance.now() - tr;
  await step('vacuum analyze', () => loadDb.execute(sql`vacuum analyze`));
  const totalMs = performance.now() - t0;
  console.log(
    `Loaded ${fmt(loaded)} check-ins: rows+indexes ${secs(checkinMs)} (${fmt(Math.round((loaded * 1000) / checkinMs))} rows/s; heap only ${secs(heapMs)}, ` +
      `${fmt(Math.round((loaded * 1000) / heapMs))} rows/s), rebuild ${secs(rebuildMs)}, total load ${secs(totalMs)}`,
  );
  return { complete: true, bigVenueId, rows: loaded, persons: o.persons, days: o.days, venueShare: o.venueShare, loadedAt: now };
}

// ---- backlog (records the drain has not applied yet) ------------------------------------------------

/**
 * Queues records exactly as the door leaves them (a check-in plus its rollup-queue row), written in bulk:
 * new visits in the last 30 minutes (some fevers, some new visitors of the day), corrections of recent
 * standing records (fevers corrected to normal among them), late records stored already superseded, and
 * a few records at other venues.
 */
async function queueBacklog(db: Db, bigVenueId: string, persons: number) {
  const now = new Date().toISOString();
  const cols = sql.raw(`venue_id, client_id, checker_account_id, person_id, method, temperature_deci, fever, colour, red_reason,
                        supersedes_id, superseded_by_id, scanned_at, clock_offset_ms, effective_at, received_at, late, payload_hash,
                        entrance_id, gender, age_band`);
  const standingRecent = sql`
    select c.* from checkins c
     where c.venue_id = ${bigVenueId} and c.superseded_by_id is null
       and not exists (select 1 from checkins s where s.venue_id = c.venue_id and s.supersedes_id = c.id)`;
  return db.transaction(async (tx) => {
    const counts: Record<string, number> = {};
    const run = async (label: string, q: SQL) => {
      const [r] = await exec(
        tx,
        sql`with ins as (${q} returning venue_id, id), qd as (insert into checkin_rollup_queue (venue_id, checkin_id) select venue_id, id from ins returning 1) select count(*)::int as n from qd`,
      );
      counts[label] = Number(r.n);
    };
    // Pick the records to correct and to shadow first, so one record is never chosen twice.
    await tx.execute(sql`create temp table bench_pick on commit drop as
      select c.*, row_number() over (order by c.fever desc, c.effective_at desc) as rn from (${standingRecent} order by c.effective_at desc limit 200) c`);
    await run(
      'new visits',
      sql`insert into checkins (${cols})
        select case when g <= 440 then ${bigVenueId}::uuid else ${venueIdSql(`(1 + g % ${SMALL_VENUES})`)} end,
               gen_random_uuid(),
               case when g <= 440 then ${sql.raw(bu(`'c0-' || (g % ${BIG_CHECKERS})`))} else ${sql.raw(bu(`'c' || (1 + g % ${SMALL_VENUES}) || '-0'`))} end,
               ${sql.raw(bu(`'p' || pno`))},
               case when g % 5 = 0 then 'quick' else 'scan' end,
               case when g % 5 = 0 then null when g % 40 = 1 then 380 else 362 + g % 10 end::smallint,
               g % 5 <> 0 and g % 40 = 1, case when g % 97 = 0 then 'red' else 'green' end, case when g % 97 = 0 then 'close_contact' end,
               null::uuid, null::uuid, e, 0, e, e + interval '1 second', false, md5('bench-q' || g || ${now}),
               case when g <= 440 then ${sql.raw(entranceIdSql('0', `(g % ${BIG_ENTRANCES})`))} else ${sql.raw(entranceIdSql(`(1 + g % ${SMALL_VENUES})`, '0'))} end,
               ${sql.raw(genderOf('pno'))}, ${sql.raw(ageBandOf(`(e at time zone 'Asia/Shanghai')::date`, birthOf('pno')))}
          from generate_series(1, 540) g
          cross join lateral (select ${now}::timestamptz - (g * 3) * interval '1 second' as e,
                                     1 + (g * 7919 + ${Math.floor(Math.random() * persons)}) % ${persons} as pno) t`,
    );
    await run(
      'corrections',
      sql`insert into checkins (${cols})
        select venue_id, gen_random_uuid(), checker_account_id, person_id, 'typed', case when fever then 365 else 376 end::smallint, not fever,
               'green', null, id, null, e, 0, e, e + interval '1 second', false, md5('bench-c' || id::text), entrance_id, gender, age_band
          from bench_pick cross join lateral (select least(effective_at + interval '2 minutes', greatest(effective_at, ${now}::timestamptz)) as e) t
         where rn <= 40`,
    );
    await run(
      'late, stored superseded',
      sql`insert into checkins (${cols})
        select venue_id, gen_random_uuid(), checker_account_id, person_id, 'scan', 366::smallint, false, 'green', null,
               null, id, e, 0, e, ${now}::timestamptz, true, md5('bench-l' || id::text), entrance_id, gender, age_band
          from bench_pick cross join lateral (select effective_at - interval '5 minutes' as e) t
         where rn > 40 and rn <= 60`,
    );
    return counts;
  });
}

// ---- timing ---------------------------------------------------------------------------------------

type Timed = { name: string; median: number; p95: number; rows: number; value: string };

export function quantile(sorted: number[], q: number) {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

function describe(result: unknown): { rows: number; value: string } {
  if (typeof result === 'number') return { rows: 1, value: fmt(result) };
  if (Array.isArray(result)) {
    if (result.every((x) => typeof x === 'number'))
      return { rows: result.length, value: `sum ${fmt((result as number[]).reduce((a, b) => a + b, 0))}` };
    const sum = (k: string) => result.reduce((a, r) => a + Number((r as Record<string, unknown>)[k] ?? 0), 0);
    if (result[0] && 'checkins' in result[0]) return { rows: result.length, value: `checkins ${fmt(sum('checkins'))}` };
    if (result[0] && 'ageBand' in result[0]) return { rows: result.length, value: `visitors ${fmt(sum('visitors'))}` };
    if (result[0] && 'recordsToday' in result[0]) return { rows: result.length, value: `records ${fmt(sum('records'))}` };
    if (result[0] && 'entranceId' in result[0]) return { rows: result.length, value: `checkins ${fmt(sum('checkins'))}` };
    return { rows: result.length, value: '' };
  }
  return { rows: 1, value: '' };
}

async function timeQueries(db: Db, venueId: string, today: string, runs: number): Promise<Timed[]> {
  const d = (n: number) => addChinaDays(today, n);
  const [{ id: checkerId }] = (await exec(db, sql`select ${sql.raw(bu(`'c0-0'`))}::text as id`)) as { id: string }[];
  const queries: [string, (tx: DbOrTx) => Promise<unknown>][] = [
    ['dailyStats today+yesterday', (tx) => dailyStats(tx, venueId, d(-1), today)],
    ['totalFevers', (tx) => totalFevers(tx, venueId)],
    ['hourlyStats today', (tx) => hourlyStats(tx, venueId, today)],
    ['hourlyStats same weekday last week', (tx) => hourlyStats(tx, venueId, d(-7))],
    ['dailyStats 7 days', (tx) => dailyStats(tx, venueId, d(-6), today)],
    ['dailyStats 30 days', (tx) => dailyStats(tx, venueId, d(-29), today)],
    ['dailyStats 90 days', (tx) => dailyStats(tx, venueId, d(-89), today)],
    ['demographics 30 days', (tx) => demographics(tx, venueId, d(-29), today)],
    ['checkerStats', (tx) => checkerStats(tx, venueId, today)],
    ['feverList page 1 (20)', (tx) => feverList(tx, venueId, { limit: 20, offset: 0 })],
    ['feverList page 1, last 30 days', (tx) => feverList(tx, venueId, { from: d(-29), limit: 20, offset: 0 })],
    ['feverCount', (tx) => feverCount(tx, venueId)],
    ['feverCount last 30 days', (tx) => feverCount(tx, venueId, d(-29))],
    ['feverCount today', (tx) => feverCount(tx, venueId, today, 'standing', today)],
    ['feverList corrected, page 1', (tx) => feverList(tx, venueId, { kind: 'corrected', limit: 20, offset: 0 })],
    ['feverCount corrected', (tx) => feverCount(tx, venueId, undefined, 'corrected')],
    ['feverPersonsByDay today+yesterday', (tx) => feverPersonsByDay(tx, venueId, d(-1), today).then((m) => [...m.values()])],
    ['feverPersonsByDay 30 days', (tx) => feverPersonsByDay(tx, venueId, d(-29), today).then((m) => [...m.values()])],
    ['entranceStats 30 days', (tx) => entranceStats(tx, venueId, d(-29), today)],
    ['entranceStats 365 days', (tx) => entranceStats(tx, venueId, d(-364), today)],
    [
      'checkerDaySummary today (scanner)',
      (tx) => checkerDaySummary(tx, venueId, checkerId, startOfChinaDay(today), endOfChinaDay(today)).then((r) => r.count),
    ],
  ];
  const all: [string, (tx: DbOrTx) => Promise<unknown>] = [
    'whole dashboard, one snapshot',
    async (tx) => {
      for (const [, fn] of queries) await fn(tx);
      return null;
    },
  ];
  const out: Timed[] = [];
  for (const [name, fn] of [...queries, all]) {
    let result: unknown;
    for (let i = 0; i < WARMUPS; i++) result = await inSnapshot(db, fn);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      result = await inSnapshot(db, fn);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    out.push({
      name,
      median: quantile(times, 0.5),
      p95: quantile(times, 0.95),
      ...(name === all[0] ? { rows: 0, value: '' } : describe(result)),
    });
  }
  return out;
}

function printTable(rows: Timed[]) {
  const head = ['query', 'median ms', 'p95 ms', 'rows', 'result', ''];
  const body = rows.map((r) => [
    r.name,
    r.median.toFixed(2),
    r.p95.toFixed(2),
    r.name.startsWith('whole') ? '' : String(r.rows),
    r.value,
    r.median < TARGET_MS || r.name.startsWith('whole') ? '' : `> ${TARGET_MS} ms`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 1 || i === 2 || i === 3 ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const b of body) console.log(line(b));
}

// ---- exactness ------------------------------------------------------------------------------------

/** Direct answers over the venue's standing records, written independently of lib/stats. */
async function directAnswers(db: Db, venueId: string, today: string) {
  const standing = sql`
    select c.*, (c.effective_at at time zone 'Asia/Shanghai')::date as day from checkins c
     where c.venue_id = ${venueId} and c.superseded_by_id is null
       and not exists (select 1 from checkins s where s.venue_id = c.venue_id and s.supersedes_id = c.id)`;
  const days = (await exec(
    db,
    sql`select day::text as day, count(*)::int as checkins, (count(*) filter (where fever))::int as fevers,
               (count(*) filter (where colour = 'red'))::int as reds, (count(*) filter (where method = 'quick'))::int as quick,
               count(distinct person_id)::int as visitors
          from (${standing}) st group by day order by day`,
  )) as unknown as DayRow[];
  const checkers = await exec(
    db,
    sql`select checker_account_id as "checkerAccountId", (count(*) filter (where day = ${today}))::int as "recordsToday",
               (count(*) filter (where day = ${today} and fever))::int as "feversToday", count(*)::int as records, (count(*) filter (where fever))::int as fevers
          from (${standing}) st group by 1`,
  );
  const within = (from: string, to: string) =>
    sql`c.effective_at >= ${startOfChinaDay(from).toISOString()}::timestamptz and c.effective_at < ${startOfChinaDay(addChinaDays(to, 1)).toISOString()}::timestamptz`;
  const hours = async (day: string) => {
    const rows = await exec(
      db,
      sql`select extract(hour from st.effective_at at time zone 'Asia/Shanghai')::int as hour, count(*)::int as n from (${standing} and ${within(day, day)}) st group by 1`,
    );
    const out = Array.from({ length: 24 }, () => 0);
    for (const r of rows) out[Number(r.hour)] = Number(r.n);
    return out;
  };
  const from30 = addChinaDays(today, -29);
  const demo = await exec(
    db,
    sql`select p.gender, case when a.age < 18 then '0-17' when a.age < 30 then '18-29' when a.age < 40 then '30-39'
                              when a.age < 50 then '40-49' when a.age < 60 then '50-59' else '60+' end as "ageBand", count(*)::int as visitors
          from (select distinct st.day, st.person_id from (${standing} and ${within(from30, today)}) st) v
          join persons p on p.id = v.person_id
          cross join lateral (select extract(year from v.day)::int - extract(year from p.birth_date)::int
                                     - (to_char(v.day, 'MM-DD') < to_char(p.birth_date, 'MM-DD'))::int as age) a
         group by 1, 2`,
  );
  const [fc] = await exec(db, sql`select (count(*) filter (where fever))::int as n from (${standing}) st`);
  const feverPersons = await exec(
    db,
    sql`select day::text as day, (count(distinct person_id) filter (where fever))::int as n from (${standing} and ${within(from30, today)}) st group by 1`,
  );
  const [corrected] = await exec(
    db,
    sql`select count(*)::int as n from checkins f
         where f.venue_id = ${venueId} and f.fever
           and exists (select 1 from checkins x where x.venue_id = f.venue_id and (x.supersedes_id = f.id or x.id = f.superseded_by_id)
                         and x.method <> 'quick' and not x.fever and x.effective_at >= f.effective_at)`,
  );
  const entrances = await exec(
    db,
    sql`select coalesce(entrance_id::text, 'none') as "entranceId", count(*)::int as checkins, (count(*) filter (where fever))::int as fevers
          from (${standing} and ${within(from30, today)}) st group by 1`,
  );
  return {
    days,
    totalFevers: days.reduce((a, r) => a + Number(r.fevers), 0),
    hoursToday: await hours(today),
    hoursLastWeek: await hours(addChinaDays(today, -7)),
    demographics: demo,
    checkers,
    feverCount: Number(fc.n),
    feverPersons,
    corrected: Number(corrected.n),
    entrances,
  };
}

const canon = (rows: Record<string, unknown>[], key: (r: Record<string, unknown>) => string, fields: string[]) =>
  JSON.stringify(
    rows
      .map((r) => [key(r), ...fields.map((f) => Number(r[f]))] as [string, ...number[]])
      .filter(([, ...v]) => v.some((x) => x !== 0))
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
  );

/** The first few entries that differ between two canonical answers (lists of [key, ...values], or scalars). */
function differences(a: string, b: string, max = 8): string[] {
  const pa = JSON.parse(a) as unknown;
  const pb = JSON.parse(b) as unknown;
  if (!Array.isArray(pa) || !Array.isArray(pb) || !pa.every(Array.isArray) || !pb.every(Array.isArray))
    return [`app ${a.slice(0, 300)}`, `direct ${b.slice(0, 300)}`];
  const index = (rows: unknown[][]) => new Map(rows.map((r) => [String(r[0]), JSON.stringify(r.slice(1))]));
  const [ma, mb] = [index(pa as unknown[][]), index(pb as unknown[][])];
  const keys = [...new Set([...ma.keys(), ...mb.keys()])].sort().filter((k) => ma.get(k) !== mb.get(k));
  return [
    ...keys.slice(0, max).map((k) => `${k}: app ${ma.get(k) ?? '-'}, direct ${mb.get(k) ?? '-'}`),
    ...(keys.length > max ? [`… ${keys.length - max} more`] : []),
  ];
}

async function checkExact(db: Db, checkDb: Db, venueId: string, today: string): Promise<boolean> {
  const app = await inSnapshot(db, async (tx) => ({
    days: await dailyStats(tx, venueId, '2000-01-01', '2999-12-31'),
    totalFevers: await totalFevers(tx, venueId),
    hoursToday: await hourlyStats(tx, venueId, today),
    hoursLastWeek: await hourlyStats(tx, venueId, addChinaDays(today, -7)),
    demographics: await demographics(tx, venueId, addChinaDays(today, -29), today),
    checkers: await checkerStats(tx, venueId, today),
    feverCount: await feverCount(tx, venueId),
    feverPersons: [...(await feverPersonsByDay(tx, venueId, addChinaDays(today, -29), today)).entries()].map(([day, n]) => ({ day, n })),
    corrected: await feverCount(tx, venueId, undefined, 'corrected'),
    entrances: await entranceStats(tx, venueId, addChinaDays(today, -29), today),
    days30: await dailyStats(tx, venueId, addChinaDays(today, -29), today),
  }));
  const t0 = performance.now();
  const direct = await directAnswers(checkDb, venueId, today);
  const dayFields = ['checkins', 'fevers', 'reds', 'quick', 'visitors'];
  const checks: [string, string, string, string][] = [
    [
      'dailyStats, whole range',
      canon(app.days, (r) => String(r.day), dayFields),
      canon(direct.days, (r) => String(r.day), dayFields),
      `${direct.days.length} days, ${fmt(direct.days.reduce((a, r) => a + Number(r.checkins), 0))} standing records`,
    ],
    ['totalFevers', String(app.totalFevers), String(direct.totalFevers), fmt(direct.totalFevers)],
    [
      'hourlyStats today',
      JSON.stringify(app.hoursToday),
      JSON.stringify(direct.hoursToday),
      `${fmt(direct.hoursToday.reduce((a, b) => a + b, 0))} records`,
    ],
    [
      'hourlyStats last week',
      JSON.stringify(app.hoursLastWeek),
      JSON.stringify(direct.hoursLastWeek),
      `${fmt(direct.hoursLastWeek.reduce((a, b) => a + b, 0))} records`,
    ],
    [
      'demographics 30 days',
      canon(app.demographics, (r) => `${r.gender}|${r.ageBand}`, ['visitors']),
      canon(direct.demographics, (r) => `${r.gender}|${r.ageBand}`, ['visitors']),
      `${fmt(direct.demographics.reduce((a, r) => a + Number(r.visitors), 0))} visitor-days`,
    ],
    [
      'checkerStats',
      canon(app.checkers, (r) => String(r.checkerAccountId), ['recordsToday', 'feversToday', 'records', 'fevers']),
      canon(direct.checkers, (r) => String(r.checkerAccountId), ['recordsToday', 'feversToday', 'records', 'fevers']),
      `${direct.checkers.length} checkers`,
    ],
    ['feverCount (standing)', String(app.feverCount), String(direct.feverCount), fmt(direct.feverCount)],
    [
      'feverPersonsByDay 30 days',
      canon(app.feverPersons, (r) => String(r.day), ['n']),
      canon(direct.feverPersons, (r) => String(r.day), ['n']),
      `${fmt(direct.feverPersons.reduce((a, r) => a + Number(r.n), 0))} fever person-days`,
    ],
    ['feverCount corrected', String(app.corrected), String(direct.corrected), fmt(direct.corrected)],
    [
      'entranceStats 30 days',
      // The split plus 此前记录（未分入口） (the venue total minus the split), as the page shows it.
      canon(
        [
          ...app.entrances,
          {
            entranceId: 'none',
            checkins: app.days30.reduce((a, r) => a + Number(r.checkins), 0) - app.entrances.reduce((a, r) => a + Number(r.checkins), 0),
            fevers: app.days30.reduce((a, r) => a + Number(r.fevers), 0) - app.entrances.reduce((a, r) => a + Number(r.fevers), 0),
          },
        ],
        (r) => String(r.entranceId),
        ['checkins', 'fevers'],
      ),
      canon(direct.entrances, (r) => String(r.entranceId), ['checkins', 'fevers']),
      `${direct.entrances.length} entrances (incl. none)`,
    ],
  ];
  console.log(`\nExactness (app queries vs direct SQL over standing records, direct SQL took ${secs(performance.now() - t0)}):`);
  let ok = true;
  for (const [name, a, b, note] of checks) {
    const same = a === b;
    ok &&= same;
    console.log(`  ${same ? 'OK      ' : 'MISMATCH'}  ${name.padEnd(24)} ${note}`);
    if (!same) for (const line of differences(a, b)) console.log(`      ${line}`);
  }
  return ok;
}

// ---- main -----------------------------------------------------------------------------------------

export type BenchData = { h: DatabaseHandle; loadH: DatabaseHandle; meta: Meta; server: boolean; close: () => Promise<void> };

/**
 * Opens (and, unless --keep, loads) the bench database: `o.database` on the server at DATABASE_URL, or an
 * in-memory PGlite. `h` is the app's connection pool, `loadH` the loader's (more memory for sorts).
 */
export async function openBenchData(o: Options): Promise<BenchData> {
  const url = process.env.DATABASE_URL;
  const server = Boolean(url);
  const BENCH_DB = o.database;
  let h: DatabaseHandle;
  let loadH: DatabaseHandle;
  let meta: Meta | undefined;

  if (url) {
    const admin = postgres(withDatabase(url, 'postgres'), { max: 1, onnotice: () => {} });
    try {
      const [exists] = await admin`select shobj_description(oid, 'pg_database') as comment from pg_database where datname = ${BENCH_DB}`;
      if (o.keep) {
        const m = exists?.comment ? (JSON.parse(String(exists.comment)) as Meta) : null;
        if (!m?.complete) throw new Error(`--keep: no completely loaded ${BENCH_DB} database on this server; run without --keep first`);
        meta = m;
      } else {
        console.log(`Recreating database ${BENCH_DB} on ${new URL(url).host}`);
        await admin.unsafe(`drop database if exists ${BENCH_DB} with (force)`);
        await admin.unsafe(`create database ${BENCH_DB}`);
      }
    } finally {
      await admin.end();
    }
    const benchUrl = withDatabase(url, BENCH_DB);
    // A server database is migrated by `npm run migrate`'s code, never by opening it (SPEC L5). The bench
    // loads and measures as the server's superuser (it drops and rebuilds indexes); the grants need the app role.
    if (!o.keep) {
      await ensureRoles(withDatabase(url, 'postgres'));
      await migrateDatabase(benchUrl);
    }
    // The loader's connections get more memory for sorts, hashes and index builds (startup parameters).
    loadH = await openDatabase({
      kind: 'postgres',
      url: withDatabase(url, BENCH_DB, { work_mem: '512MB', maintenance_work_mem: '1GB' }),
      poolMax: 3,
    });
    h = await openDatabase({ kind: 'postgres', url: benchUrl, poolMax: 2 });
  } else {
    if (o.keep) console.log('--keep ignored: PGlite runs in memory and is loaded afresh');
    o.keep = false;
    h = await openDatabase({ kind: 'pglite' });
    loadH = h;
  }
  const close = async () => {
    if (loadH !== h) await loadH.close();
    await h.close();
  };
  try {
    if (!o.keep) {
      meta = await load(loadH.db, o, server);
      if (server) await loadH.db.execute(sql.raw(`comment on database ${BENCH_DB} is '${JSON.stringify(meta).replace(/'/g, "''")}'`));
    } else {
      console.log(
        `Reusing ${BENCH_DB}: ${fmt(meta!.rows)} check-ins loaded ${meta!.loadedAt} (${meta!.days} days, big venue share ${meta!.venueShare})`,
      );
      const drained = await drainAll(loadH.db);
      if (drained) console.log(`  drained ${fmt(drained)} records left queued by an earlier run`);
    }
  } catch (error) {
    await close();
    throw error;
  }
  if (!meta) throw new Error('no bench data');
  return { h, loadH, meta, server, close };
}

async function main() {
  const o = parseOptions(Boolean(process.env.DATABASE_URL));
  const tStart = performance.now();
  const { h, loadH, meta, server, close } = await openBenchData(o);
  const BENCH_DB = o.database;

  try {
    const venueId = meta.bigVenueId;
    const [size] = await exec(
      h.db,
      sql`select (select count(*) from checkins where venue_id = ${venueId})::bigint as venue, (select reltuples::bigint from pg_class where relname = 'checkins') as approx_total`,
    );
    console.log(`Big venue ${venueId}: ${fmt(Number(size.venue))} check-ins (database ~${fmt(Number(size.approx_total))})`);

    const backlog = await queueBacklog(h.db, venueId, meta.persons);
    const [q] = await exec(
      h.db,
      sql`select count(*)::int as n, (count(*) filter (where venue_id = ${venueId}))::int as mine from checkin_rollup_queue`,
    );
    console.log(
      `Queued backlog (not drained): ${Object.entries(backlog)
        .map(([k, v]) => `${v} ${k}`)
        .join(', ')}; queue holds ${q.n} rows, ${q.mine} for the big venue`,
    );

    const today = chinaDateOf(new Date());
    console.log(
      `\nTiming dashboard queries for the big venue (today = ${today} CST), ${WARMUPS} warm-ups + ${o.runs} runs each, each in inSnapshot (${h.kind}):`,
    );
    const timed = await timeQueries(h.db, venueId, today, o.runs);
    printTable(timed);
    const slow = timed.filter((t) => !t.name.startsWith('whole') && t.median >= TARGET_MS);
    console.log(
      slow.length
        ? `\n${slow.length} quer${slow.length === 1 ? 'y misses' : 'ies miss'} the ${TARGET_MS} ms median target: ${slow.map((s) => s.name).join(', ')}`
        : `\nEvery query is under the ${TARGET_MS} ms median target.`,
    );

    const ok = await checkExact(h.db, loadH.db, venueId, today);
    console.log(
      `\n${ok ? 'All answers exact.' : 'MISMATCH: some answers differ from direct SQL.'} Total ${secs(performance.now() - tStart)}.`,
    );
    if (server) console.log(`${BENCH_DB} left in place; rerun with --keep to reuse it.`);
    process.exitCode = ok ? 0 : 1;
  } finally {
    await close();
  }
}

// Run only as the script itself (bench-trace imports the loader from here).
if (/bench-stats\.[cm]?[jt]s$/.test(process.argv[1] ?? ''))
  main().catch((error) => {
    console.error(error);
    process.exit(2);
  });
