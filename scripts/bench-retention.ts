/**
 * Retention design benchmark (SPEC L4, docs/scaling.md): `npx tsx scripts/bench-retention.ts [--rows N] [--days D]`.
 *
 * Two ways to make a check-in lose its person after the retention period, at the check-ins table's real
 * shape (its columns and indexes as migrations 0006–0019 leave them), in a scratch database
 * `bench_retention` on the PostgreSQL server at DATABASE_URL (dropped at the end):
 *   update    — person_id on the record, set to null by the owner's function in batches (what 0018/0019 do);
 *   partition — no person on the record: a link table (venue, checkin, person, effective_at) partitioned
 *               by China day, whose oldest partition is dropped whole.
 * For each: the time, WAL written and space left behind of taking one day's links away, and the door's
 * cost (one record: the window lookup by person, then the insert — plus the link row for `partition`).
 */
import { performance } from 'node:perf_hooks';
import postgres from 'postgres';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const ROWS = arg('rows', 2_000_000);
const DAYS = arg('days', 40);
const PERSONS = arg('persons', 200_000);
const VENUES = 50;
const DOOR_WRITES = arg('door', 3000);
const BATCH = 5000;
const DB = 'bench_retention';

const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const admin = postgres(base, { max: 1, onnotice: () => {} });
const url = new URL(base);
url.pathname = `/${DB}`;

const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mb = (b: number) => `${(b / 1048576).toFixed(1)} MB`;

const COLUMNS = `venue_id uuid not null, id uuid not null default gen_random_uuid(), client_id uuid not null default gen_random_uuid(),
  checker_account_id uuid not null, method text not null, temperature_deci smallint, fever boolean not null, colour text not null,
  red_reason text, supersedes_id uuid, superseded_by_id uuid, scanned_at timestamptz not null, clock_offset_ms integer not null,
  effective_at timestamptz not null, received_at timestamptz not null, late boolean not null, payload_hash text not null,
  entrance_id uuid, gender varchar(1), age_band text, township_code varchar(12), code_reissued boolean not null default false,
  checker_unbound boolean not null default false`;

// The records of the last DAYS China days, stored in time order as the door stores them (one day's rows
// are neighbours on disk, which decides how many pages, and full-page images, a day's cut touches).
const LOAD = (table: string, withPerson: boolean) => `
  insert into ${table} (venue_id, checker_account_id, ${withPerson ? 'person_id, ' : ''}method, temperature_deci, fever, colour,
                        scanned_at, clock_offset_ms, effective_at, received_at, late, payload_hash, gender, age_band)
  select v.id, v.checker, ${withPerson ? `('00000000-0000-4000-8000-' || lpad(to_hex((g::bigint * 7919) % ${PERSONS}), 12, '0'))::uuid, ` : ''}
         'scan', 365 + (g % 9), (g % 9) >= 8, 'green', t, 0, t, t, false, md5(g::text), case when g % 2 = 0 then 'M' else 'F' end, '30-39'
    from generate_series(1, ${ROWS}) g
    cross join lateral (select (date_trunc('day', now() at time zone 'Asia/Shanghai') at time zone 'Asia/Shanghai')
                               - ((g % ${DAYS}) || ' days')::interval + ((g * 13) % 86400 || ' seconds')::interval as t) x
    join venues_b v on v.n = g % ${VENUES}
   order by t`;

async function main() {
  await admin.unsafe(`drop database if exists ${DB}`);
  await admin.unsafe(`create database ${DB}`);
  const db = postgres(url.toString(), { max: 1, onnotice: () => {} });
  try {
    await db.unsafe(`create table venues_b (n int primary key, id uuid not null, checker uuid not null)`);
    await db.unsafe(`insert into venues_b select n, gen_random_uuid(), gen_random_uuid() from generate_series(0, ${VENUES - 1}) n`);
    console.log(
      `retention bench: ${ROWS.toLocaleString()} check-ins over ${DAYS} days, ${VENUES} venues, ${PERSONS.toLocaleString()} persons`,
    );

    // ---- design 1: the link on the record, cut by UPDATE -------------------------------------------
    await db.unsafe(`create table checkins_u (${COLUMNS}, person_id uuid, primary key (venue_id, id))`);
    let t = performance.now();
    await db.unsafe(LOAD('checkins_u', true));
    await db.unsafe(`
      create unique index on checkins_u (venue_id, client_id);
      create unique index on checkins_u (venue_id, supersedes_id) where supersedes_id is not null;
      create index on checkins_u (venue_id, person_id, effective_at);
      create index on checkins_u (venue_id, effective_at);
      create index on checkins_u (venue_id, checker_account_id, effective_at);
      create index on checkins_u (person_id, effective_at);
      create index on checkins_u (venue_id, effective_at) where fever;
      create index checkins_u_linked on checkins_u (effective_at) where person_id is not null`);
    await db.unsafe(`vacuum analyze checkins_u`);
    console.log(`  load (update design) … ${secs(performance.now() - t)}`);

    // ---- design 2: no person on the record; links partitioned by day -------------------------------
    await db.unsafe(`create table checkins_p (${COLUMNS}, person_id uuid, primary key (venue_id, id))`);
    t = performance.now();
    await db.unsafe(LOAD('checkins_p', false));
    await db.unsafe(`
      create unique index on checkins_p (venue_id, client_id);
      create unique index on checkins_p (venue_id, supersedes_id) where supersedes_id is not null;
      create index on checkins_p (venue_id, effective_at);
      create index on checkins_p (venue_id, checker_account_id, effective_at);
      create index on checkins_p (venue_id, effective_at) where fever;
      create table person_links (venue_id uuid not null, checkin_id uuid not null, person_id uuid not null, effective_at timestamptz not null)
        partition by range (effective_at)`);
    const days = await db.unsafe<{ d: string; from: string; to: string }[]>(`
      select d::date::text as d, (d at time zone 'Asia/Shanghai')::text as "from", ((d + interval '1 day') at time zone 'Asia/Shanghai')::text as "to"
        from generate_series(date_trunc('day', now() at time zone 'Asia/Shanghai') - interval '${DAYS} days',
                             date_trunc('day', now() at time zone 'Asia/Shanghai') + interval '1 day', interval '1 day') d`);
    for (const d of days) {
      await db.unsafe(
        `create table person_links_${d.d.replace(/-/g, '')} partition of person_links for values from ('${d.from}') to ('${d.to}')`,
      );
    }
    await db.unsafe(`
      insert into person_links select c.venue_id, c.id, u.person_id, c.effective_at
        from checkins_p c join checkins_u u on u.venue_id = c.venue_id and u.payload_hash = c.payload_hash and u.effective_at = c.effective_at;
      create index on person_links (venue_id, person_id, effective_at);
      create index on person_links (person_id, effective_at)`);
    await db.unsafe(`vacuum analyze checkins_p`);
    await db.unsafe(`vacuum analyze person_links`);
    console.log(`  load (partition design) … ${secs(performance.now() - t)}`);

    // ---- cutting the oldest day -------------------------------------------------------------------
    const oldest = days[1];
    const lsn = async () => (await db<{ l: string }[]>`select pg_current_wal_lsn()::text as l`)[0].l;
    const walSince = async (from: string) =>
      Number((await db<{ b: string }[]>`select pg_wal_lsn_diff(pg_current_wal_lsn(), ${from}::pg_lsn)::text as b`)[0].b);
    const size = async (table: string) => Number((await db<{ s: string }[]>`select pg_total_relation_size(${table})::text as s`)[0].s);
    const [{ n: dayRows }] = await db<{ n: number }[]>`
      select count(*)::int as n from checkins_u where effective_at >= ${oldest.from}::timestamptz and effective_at < ${oldest.to}::timestamptz`;

    const sizeU = await size('checkins_u');
    // Both measured from a fresh checkpoint: the daily cut touches pages untouched since the last one, so
    // its WAL includes their full-page images.
    await db.unsafe('checkpoint');
    let l = await lsn();
    t = performance.now();
    for (;;) {
      const r = await db`
        with pick as (select venue_id, id from checkins_u where person_id is not null and effective_at < ${oldest.to}::timestamptz
                       order by effective_at limit ${BATCH})
        update checkins_u c set person_id = null from pick where c.venue_id = pick.venue_id and c.id = pick.id`;
      if (r.count < BATCH) break;
    }
    const cutMs = performance.now() - t;
    const cutWal = await walSince(l);
    const grownU = (await size('checkins_u')) - sizeU;
    t = performance.now();
    await db.unsafe(`vacuum checkins_u`);
    const vacuumMs = performance.now() - t;
    console.log(
      `  update: one day (${dayRows.toLocaleString()} records) cut in ${secs(cutMs)} (batches of ${BATCH}), WAL ${mb(cutWal)}, table+indexes grew ${mb(grownU)}; vacuum after ${secs(vacuumMs)}`,
    );

    await db.unsafe('checkpoint');
    l = await lsn();
    t = performance.now();
    await db.unsafe(`drop table person_links_${oldest.d.replace(/-/g, '')}`);
    console.log(`  partition: one day dropped in ${secs(performance.now() - t)}, WAL ${mb(await walSince(l))}`);

    // ---- the door: the window lookup by person, then the insert ------------------------------------
    const today = days[days.length - 2];
    const person = (i: number) => `00000000-0000-4000-8000-${((i * 7919) % PERSONS).toString(16).padStart(12, '0')}`;
    const [v] = await db<{ id: string; checker: string }[]>`select id, checker from venues_b where n = 1`;
    const door = async (design: 'update' | 'partition') => {
      const times: number[] = [];
      for (let i = 0; i < DOOR_WRITES; i++) {
        const at = new Date(Date.parse(today.from) + ((i * 29_000) % 86_400_000)).toISOString();
        const p = person(i);
        const s = performance.now();
        await db.begin(async (tx) => {
          if (design === 'update') {
            await tx`select id from checkins_u where venue_id = ${v.id} and person_id = ${p} and effective_at between ${at}::timestamptz - interval '30 minutes' and ${at}::timestamptz + interval '30 minutes'`;
            await tx`insert into checkins_u (venue_id, checker_account_id, person_id, method, temperature_deci, fever, colour, scanned_at, clock_offset_ms, effective_at, received_at, late, payload_hash)
                     values (${v.id}, ${v.checker}, ${p}, 'scan', 365, false, 'green', ${at}, 0, ${at}, ${at}, false, 'x')`;
          } else {
            await tx`select l.checkin_id from person_links l join checkins_p c on c.venue_id = l.venue_id and c.id = l.checkin_id
                      where l.venue_id = ${v.id} and l.person_id = ${p} and l.effective_at between ${at}::timestamptz - interval '30 minutes' and ${at}::timestamptz + interval '30 minutes'`;
            const [r] =
              await tx`insert into checkins_p (venue_id, checker_account_id, method, temperature_deci, fever, colour, scanned_at, clock_offset_ms, effective_at, received_at, late, payload_hash)
                     values (${v.id}, ${v.checker}, 'scan', 365, false, 'green', ${at}, 0, ${at}, ${at}, false, 'x') returning id`;
            await tx`insert into person_links values (${v.id}, ${r.id}, ${p}, ${at})`;
          }
        });
        times.push(performance.now() - s);
      }
      times.sort((a, b) => a - b);
      const q = (f: number) => times[Math.floor(f * (times.length - 1))].toFixed(2);
      return `median ${q(0.5)} ms, p95 ${q(0.95)} ms`;
    };
    // Rounds alternate (a checkpoint or autovacuum lands on both designs alike); the first is a warm-up.
    const rounds: Record<string, string[]> = { update: [], partition: [] };
    for (let round = 0; round < 3; round++) {
      for (const design of ['update', 'partition'] as const) {
        const r = await door(design);
        if (round > 0) rounds[design].push(r);
      }
    }
    console.log(
      `  door (${DOOR_WRITES} writes per round, 2 rounds after a warm-up): update ${rounds.update.join(' | ')}; partition ${rounds.partition.join(' | ')}`,
    );
    const parts = await db<
      { s: string }[]
    >`select coalesce(sum(pg_total_relation_size(inhrelid)), 0)::text as s from pg_inherits where inhparent = 'person_links'::regclass`;
    console.log(
      `  sizes: checkins (update) ${mb(await size('checkins_u'))}; checkins (partition) ${mb(await size('checkins_p'))} + link partitions ${mb(Number(parts[0].s))}`,
    );
  } finally {
    await db.end();
    await admin.unsafe(`drop database if exists ${DB}`);
    await admin.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
