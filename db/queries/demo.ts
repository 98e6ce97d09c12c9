import 'server-only';
import { count, inArray, sql } from 'drizzle-orm';
import { rowsOf, type Db } from '@/db';
import { accounts, persons } from '@/db/schema';

// Bulk writes of the development demo (lib/demo): it goes straight into the tables, then the statistics
// are rebuilt once. Never used by the app's own write paths.

export async function hasAnyAccount(db: Db): Promise<boolean> {
  const [{ n }] = await db.select({ n: count() }).from(accounts);
  return n > 0;
}

export async function insertDemoPersons(db: Db, rows: (typeof persons.$inferInsert)[]): Promise<string[]> {
  const inserted = await db.insert(persons).values(rows).onConflictDoNothing().returning({ id: persons.id });
  return inserted.map((r) => r.id);
}

/** Gender and birth date of the demo's persons, for the facts each record carries. */
export async function demoPersonFacts(db: Db, personIds: string[]) {
  if (personIds.length === 0) return [];
  return db
    .select({ id: persons.id, gender: persons.gender, birthDate: persons.birthDate })
    .from(persons)
    .where(inArray(persons.id, personIds));
}

/**
 * A demo scan: green, at `at` (taken, effective and received at once); `supersedes` names the reading it
 * corrects; the facts fixed on the record as the door's write fixes them: entrance, gender, age band.
 */
export type DemoScan = {
  id: string;
  checker: string;
  person: string;
  deci: number;
  at: string;
  supersedes: string | null;
  entrance: string;
  gender: string | null;
  ageBand: string | null;
};

/** A venue's demo history in one INSERT … SELECT (rows passed as one JSON parameter). Returns the rows inserted. */
export async function insertDemoScans(db: Db, venueId: string, scans: DemoScan[]): Promise<number> {
  if (scans.length === 0) return 0;
  const [row] = rowsOf<{ n: number }>(
    await db.execute(sql`
      with inserted as (
        insert into checkins (venue_id, id, client_id, checker_account_id, person_id, method, temperature_deci,
                              fever, colour, supersedes_id, scanned_at, clock_offset_ms, effective_at, received_at,
                              late, payload_hash, entrance_id, gender, age_band, township_code)
        select ${venueId}::uuid, r.id, gen_random_uuid(), r.checker, r.person, 'scan', r.deci, r.deci >= 373, 'green',
               r.supersedes, r.at, 0, r.at, r.at, false, 'seed', r.entrance, r.gender, r."ageBand", v.township_code
          from jsonb_to_recordset(${JSON.stringify(scans)}::jsonb)
            as r(id uuid, checker uuid, person uuid, deci smallint, at timestamptz, supersedes uuid, entrance uuid, gender text, "ageBand" text)
          join venues v on v.id = ${venueId}::uuid
        returning 1
      )
      select count(*)::int as n from inserted`),
  );
  return Number(row?.n ?? 0);
}
