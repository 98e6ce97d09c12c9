import 'server-only';
import { eq, sql } from 'drizzle-orm';
import { rowsOf, type DbOrTx } from '@/db';
import { traceCases, traceHandoffs } from '@/db/schema';

export type TraceCase = typeof traceCases.$inferSelect;
export type Handoff = typeof traceHandoffs.$inferSelect;

export async function findCase(db: DbOrTx, caseId: string): Promise<TraceCase | null> {
  const [row] = await db.select().from(traceCases).where(eq(traceCases.id, caseId));
  return row ?? null;
}

export const handoffsOfCase = (db: DbOrTx, caseId: string): Promise<Handoff[]> =>
  db.select().from(traceHandoffs).where(eq(traceHandoffs.caseId, caseId));

/**
 * 流调 reads (SPEC T2, T3). Plain reads: the caller checks the official's scope and writes the audit row
 * in the same transaction (SPEC T5), and runs them on the primary, never a replica.
 *
 * Distributed (docs/scaling.md): the trajectory is one person across venues, so on a cluster sharded by
 * venue it fans out to every shard (checkins_person_global_idx on each); co-presence is venue-local: each
 * visit is a range scan of checkins_time_idx (venue_id, effective_at) on the venue's own shard.
 */

export type TrajectoryVisit = {
  venueId: string;
  checkinId: string;
  venueName: string;
  /** The township on the record (the venue's at the time of the visit), or the venue's when the record predates it. */
  townshipCode: string;
  entranceName: string | null;
  entranceIsMain: boolean | null;
  effectiveAt: Date;
  method: 'scan' | 'quick' | 'typed';
  temperatureDeci: number | null;
  fever: boolean;
  colour: 'green' | 'red';
  superseded: boolean;
};

type TrajectoryRow = {
  venue_id: string;
  checkin_id: string;
  venue_name: string;
  township_code: string;
  entrance_name: string | null;
  entrance_is_main: boolean | null;
  effective_at: string | Date;
  method: TrajectoryVisit['method'];
  temperature_deci: number | null;
  fever: boolean;
  colour: TrajectoryVisit['colour'];
  superseded: boolean;
};

const toDate = (v: string | Date) => (v instanceof Date ? v : new Date(v));

/**
 * Every check-in of the person in [from, to] — every method, superseded records too (presence, not
 * temperature, matters: SPEC T2) — oldest first.
 */
export async function trajectory(db: DbOrTx, personId: string, from: Date, to: Date): Promise<TrajectoryVisit[]> {
  const rows = rowsOf<TrajectoryRow>(
    await db.execute(sql`
      select c.venue_id, c.id as checkin_id, v.name as venue_name, coalesce(c.township_code, v.township_code) as township_code,
             e.name as entrance_name, e.is_main as entrance_is_main, c.effective_at, c.method, c.temperature_deci, c.fever, c.colour,
             (c.superseded_by_id is not null or exists (select 1 from checkins n where n.venue_id = c.venue_id and n.supersedes_id = c.id)) as superseded
        from checkins c
        join venues v on v.id = c.venue_id
        left join venue_entrances e on e.venue_id = c.venue_id and e.id = c.entrance_id
       where c.person_id = ${personId}::uuid and c.effective_at >= ${from.toISOString()}::timestamptz and c.effective_at <= ${to.toISOString()}::timestamptz
       order by c.effective_at, c.id`),
  );
  return rows.map((r) => ({
    venueId: r.venue_id,
    checkinId: r.checkin_id,
    venueName: r.venue_name,
    townshipCode: r.township_code,
    entranceName: r.entrance_name,
    entranceIsMain: r.entrance_is_main,
    effectiveAt: toDate(r.effective_at),
    method: r.method,
    temperatureDeci: r.temperature_deci === null ? null : Number(r.temperature_deci),
    fever: r.fever,
    colour: r.colour,
    superseded: r.superseded,
  }));
}

export type CoPresentRecord = {
  /** The case visit this record is near. */
  visitId: string;
  venueId: string;
  checkinId: string;
  personId: string;
  checkerAccountId: string;
  effectiveAt: Date;
  method: TrajectoryVisit['method'];
  /** |record − visit| in seconds. */
  gapSeconds: number;
};

type CoPresentRow = {
  visit_id: string;
  venue_id: string;
  checkin_id: string;
  person_id: string;
  checker_account_id: string;
  effective_at: string | Date;
  method: TrajectoryVisit['method'];
  gap_seconds: string | number;
};

/**
 * Every record at the same venue within ±windowMinutes of each visit (bounds included: exactly 30 min is
 * inside, 30 min 1 s outside), of anyone but `excludePersonId` — every method, superseded records too.
 * Records whose person link was cut by retention are not returned (there is nobody to find). One row per
 * (visit, record); the caller groups by person.
 */
export async function coPresentRecords(
  db: DbOrTx,
  visits: { visitId: string; venueId: string; at: Date }[],
  windowMinutes: number,
  excludePersonId: string,
): Promise<CoPresentRecord[]> {
  if (visits.length === 0) return [];
  // The visits as three arrays: unnest of known arrays is estimated at its true length (json_to_recordset is
  // always guessed at 100 rows, which made a one-visit read look 100 times dearer than it is).
  const ids = `{${visits.map((v) => v.visitId).join(',')}}`;
  const venues = `{${visits.map((v) => v.venueId).join(',')}}`;
  const ats = `{${visits.map((v) => `"${v.at.toISOString()}"`).join(',')}}`;
  // No JIT for this read: compiling costs 100–300 ms and the read itself a few (bench:trace, 20M rows: a
  // hot visit 101 ms with JIT, see docs/scaling.md). SET LOCAL needs a transaction: inside the caller's
  // (a savepoint), it stays off until that read transaction ends.
  const rows = await db.transaction(async (tx) => {
    await tx.execute(sql`set local jit = off`);
    return rowsOf<CoPresentRow>(
      await tx.execute(sql`
      select v.visit_id, c.venue_id, c.id as checkin_id, c.person_id, c.checker_account_id, c.effective_at, c.method,
             abs(extract(epoch from (c.effective_at - v.at))) as gap_seconds
        from unnest(${ids}::uuid[], ${venues}::uuid[], ${ats}::timestamptz[]) as v(visit_id, venue_id, at)
        join lateral (
          select c.venue_id, c.id, c.person_id, c.checker_account_id, c.effective_at, c.method from checkins c
           where c.venue_id = v.venue_id
             and c.effective_at >= v.at - make_interval(mins => ${windowMinutes}::int)
             and c.effective_at <= v.at + make_interval(mins => ${windowMinutes}::int)
          -- offset 0 keeps this a per-visit range scan of checkins_time_idx: flattened, the planner may hash
          -- the visits against a scan of the whole table.
          offset 0) c on true
       where c.person_id is not null and c.person_id <> ${excludePersonId}::uuid
       order by v.visit_id, c.effective_at, c.id`),
    );
  });
  return rows.map((r) => ({
    visitId: r.visit_id,
    venueId: r.venue_id,
    checkinId: r.checkin_id,
    personId: r.person_id,
    checkerAccountId: r.checker_account_id,
    effectiveAt: toDate(r.effective_at),
    method: r.method,
    gapSeconds: Number(r.gap_seconds),
  }));
}

export type CoPresentPerson = {
  personId: string;
  /** The case visits they overlap, oldest first. */
  visitIds: string[];
  /** Smallest |gap| over all their records near any visit, in seconds. */
  minGapSeconds: number;
  /** Their records near the case's visits. */
  count: number;
};

/** One row per person: the visits they overlap, the smallest gap and the count (closest first). */
export function groupByPerson(records: CoPresentRecord[]): CoPresentPerson[] {
  const by = new Map<string, CoPresentPerson>();
  for (const r of records) {
    const p = by.get(r.personId) ?? { personId: r.personId, visitIds: [], minGapSeconds: Infinity, count: 0 };
    if (!p.visitIds.includes(r.visitId)) p.visitIds.push(r.visitId);
    p.minGapSeconds = Math.min(p.minGapSeconds, r.gapSeconds);
    p.count += 1;
    by.set(r.personId, p);
  }
  return [...by.values()].sort((a, b) => a.minGapSeconds - b.minGapSeconds || a.personId.localeCompare(b.personId));
}

/** The checkers on duty around each visit (accounts, listed apart from persons): who recorded anyone then. */
export function checkersOnDuty(records: CoPresentRecord[]): { visitId: string; checkerAccountId: string }[] {
  const seen = new Set<string>();
  const out: { visitId: string; checkerAccountId: string }[] = [];
  for (const r of records) {
    const k = `${r.visitId}:${r.checkerAccountId}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push({ visitId: r.visitId, checkerAccountId: r.checkerAccountId });
  }
  return out;
}
