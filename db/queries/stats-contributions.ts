import 'server-only';
import { sql, type SQL } from 'drizzle-orm';

// What one record contributes to the statistics, written once in SQL for the drain, the rebuild and the
// dashboard's live additions, so the three can never disagree.
//
// A drained record C adds +1 unless it was stored already superseded (a late record older than a newer
// one). If C corrects a predecessor P, P's earlier +1 is taken back (-1): P was standing when C was
// written, so P had been counted. China Standard Time decides the day and the hour.

const CST = sql.raw(`'Asia/Shanghai'`);

/**
 * The person's gender and age band as stored on the record at the visit (migration 0015 on); records
 * stored before it carry none, and only they fall back to the person (COALESCE reads `persons` only then).
 */
export function factsOf(alias: string): SQL {
  const c = (name: string) => sql.raw(`${alias}.${name}`);
  return sql`coalesce(${c('gender')}, (select fp.gender from persons fp where fp.id = ${c('person_id')})) as gender,
           coalesce(${c('age_band')}, (select ${ageBandSql(dayOf(c('effective_at')), sql`fp.birth_date`)} from persons fp where fp.id = ${c('person_id')})) as age_band`;
}

/**
 * Rows (venue_id, checkin_id) → signed contributions with day, hour, checker, person, entrance, the
 * person's facts on the record, flags.
 */
export function contributionsOf(source: SQL) {
  return sql`
    select c.venue_id, c.checker_account_id, c.person_id, c.fever, c.colour, c.method, c.effective_at, c.entrance_id,
           ${factsOf('c')}, 1 as sign
      from (${source}) s join checkins c on c.venue_id = s.venue_id and c.id = s.checkin_id
     where c.superseded_by_id is null
    union all
    select p.venue_id, p.checker_account_id, p.person_id, p.fever, p.colour, p.method, p.effective_at, p.entrance_id,
           ${factsOf('p')}, -1 as sign
      from (${source}) s
      join checkins c on c.venue_id = s.venue_id and c.id = s.checkin_id
      join checkins p on p.venue_id = c.venue_id and p.id = c.supersedes_id
     where p.superseded_by_id is null`;
}

/**
 * CTE body: the facts a visitor-day change is counted under, from the contributions `contrib` that made it
 * (`sign` = the change: the earliest record that opened the day, or the one whose removal closed it).
 * The rebuild takes the earliest standing record of the day: the two agree unless the person's facts were
 * corrected between two records of one day at one venue.
 */
export function visitorDayFacts(contrib: SQL): SQL {
  const e = sql.raw('effective_at');
  return sql`
    select distinct on (venue_id, day, person_id, sign) venue_id, day, person_id, sign, gender, age_band
      from (select venue_id, ${dayOf(e)} as day, person_id, sign, gender, age_band, effective_at from ${contrib}) f
     order by venue_id, day, person_id, sign, effective_at`;
}

/**
 * CTE body: per venue, day and person, the change of their standing records (`delta`) and standing fevers
 * (`fdelta`) made by the contributions `contrib`. The drain adds them to venue_visitor_days; 发热人数 is
 * the count of its rows with fevers, so it survives the retention job's cut of the person link (SPEC L4).
 */
export function visitorDayDeltas(contrib: SQL): SQL {
  const e = sql.raw('effective_at');
  return sql`
    select venue_id, ${dayOf(e)} as day, person_id, sum(sign)::int as delta, sum(case when fever then sign else 0 end)::int as fdelta
      from ${contrib}
     -- Never true: links are cut only once drained (migration 0019). Were one cut early, its visitor-day
     -- could no longer be matched; it must not stop the drain of every other record.
     where person_id is not null
     group by 1, 2, 3
    having sum(sign) <> 0 or sum(case when fever then sign else 0 end) <> 0`;
}

export const dayOf = (column: SQL) => sql`((${column}) at time zone ${CST})::date`;
export const hourOf = (column: SQL) => sql`extract(hour from (${column}) at time zone ${CST})::smallint`;

/** Age band on the day of the visit, matching lib/identity ageBand (full years). */
export const ageBandSql = (day: SQL, birthDate: SQL) => sql`case
  when extract(year from age(${day}, ${birthDate})) < 18 then '0-17'
  when extract(year from age(${day}, ${birthDate})) < 30 then '18-29'
  when extract(year from age(${day}, ${birthDate})) < 40 then '30-39'
  when extract(year from age(${day}, ${birthDate})) < 50 then '40-49'
  when extract(year from age(${day}, ${birthDate})) < 60 then '50-59'
  else '60+' end`;
