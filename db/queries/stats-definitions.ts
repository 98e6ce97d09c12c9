import 'server-only';
import { sql, type SQL } from 'drizzle-orm';
import type { StatKey } from '@/lib/stats/definitions';

// The SQL of each number named in lib/stats/definitions.ts: a predicate over one `checkins` row, given its
// alias. The drain, the rebuild, the dashboard, the scanner's summary and the tests' direct counts all
// take their "which records count" from here.

const col = (alias: string, name: string) => sql.raw(`${alias}.${name}`);

/** The record stands: nothing supersedes it (stored superseded, or named as predecessor by a later one). */
export function standing(alias: string): SQL {
  return sql`(${col(alias, 'superseded_by_id')} is null
    and not exists (select 1 from checkins successor where successor.venue_id = ${col(alias, 'venue_id')} and successor.supersedes_id = ${col(alias, 'id')}))`;
}

/** A standing fever (发热人次). Leads with `fever` so the partial index checkins_fever_idx serves it. */
export function standingFever(alias: string): SQL {
  return sql`(${col(alias, 'fever')} and ${standing(alias)})`;
}

/** The record that took this one's place, if any (its successor through either link). */
export function successorOf(alias: string, successor: string): SQL {
  return sql`(${col(successor, 'venue_id')} = ${col(alias, 'venue_id')}
    and (${col(successor, 'supersedes_id')} = ${col(alias, 'id')} or ${col(successor, 'id')} = ${col(alias, 'superseded_by_id')}))`;
}

/** A fever superseded by a later normal measured record (发热后复测正常); `successor` is that record's alias. */
export function correctingRecord(alias: string, successor: string): SQL {
  return sql`(${successorOf(alias, successor)} and ${col(successor, 'effective_at')} >= ${col(alias, 'effective_at')}
    and ${col(successor, 'method')} <> 'quick' and not ${col(successor, 'fever')})`;
}

export function correctedFever(alias: string): SQL {
  return sql`(${col(alias, 'fever')} and exists (select 1 from checkins fix where ${correctingRecord(alias, 'fix')}))`;
}

/** Which records each number counts (the per-day distinct and range sums are the callers' grouping). */
export const COUNTED_BY: Record<StatKey, (alias: string) => SQL> = {
  checkins: standing,
  visitors: standing,
  visitorDays: standing,
  fevers: standingFever,
  feverPersons: standingFever,
  feversCorrected: correctedFever,
};
