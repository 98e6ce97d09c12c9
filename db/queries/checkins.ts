import 'server-only';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { rowsOf, type DbOrTx } from '@/db';
import { checkins, venues } from '@/db/schema';
import { standing, successorOf } from './stats-definitions';

/** A record as the door writes it: always of a person (only retention and erasure cut the link later). */
export type NewCheckin = typeof checkins.$inferInsert & { personId: string };

export async function checkinByClientId(db: DbOrTx, venueId: string, clientId: string) {
  const [row] = await db
    .select()
    .from(checkins)
    .where(and(eq(checkins.venueId, venueId), eq(checkins.clientId, clientId)));
  return row ?? null;
}

// Raw SQL parameters bypass drizzle's column mapping, and the postgres.js driver passes dates through
// unserialised: timestamps go in as ISO text with an explicit cast.
const iso = (d: Date | string) => (typeof d === 'string' ? d : d.toISOString());

/** The advisory lock key of one person at one venue (the same key for every writer). */
export const personLockKey = (venueId: string, personId: string) => `checkin:${venueId}:${personId}`;

export type DoorFacts = {
  /** The client id is stored already (a resend, or a conflict). */
  existing: boolean;
  /** The account had an active checker binding here at `at`. */
  bound: boolean;
  /** The person named by a signed code, with their colour at `at`; null when not asked or not found. */
  person: { id: string; idHash: string; nameMasked: string; gender: string; birthDate: string; codeGeneration: number } | null;
  status: { colour: string; reason: string | null; validFrom: Date } | null;
  /** Asked with a session id: that session row is active and belongs to the account. Else null. */
  session?: boolean | null;
};

/** One row of the door's look-up (single or batch), as the database returns it. */
type DoorFactsRow = {
  existing: boolean;
  bound: boolean;
  person_id: string | null;
  id_hash: string | null;
  name_masked: string | null;
  gender: string | null;
  birth_date: string | null;
  code_generation: number | null;
  colour: string | null;
  reason: string | null;
  valid_from: Date | string | null;
};

function toDoorFacts(row: DoorFactsRow): DoorFacts {
  return {
    existing: Boolean(row.existing),
    bound: Boolean(row.bound),
    person: row.person_id
      ? {
          id: row.person_id,
          idHash: row.id_hash!,
          nameMasked: row.name_masked!,
          gender: row.gender!,
          birthDate: row.birth_date!,
          codeGeneration: Number(row.code_generation),
        }
      : null,
    status: row.colour ? { colour: row.colour, reason: row.reason, validFrom: new Date(row.valid_from!) } : null,
  };
}

/** What the door's write decides beside the insert (migration 0015): facts and refusals judged under its locks. */
export type DoorWriteExtras = {
  /** Null: the venue's main entrance. */
  entranceId: string | null;
  gender: string;
  ageBand: string;
  /** The generation of the code the record was made with (signed or short code); null for quick check-ins. */
  codeGeneration: number | null;
};

export type DoorWriteResult =
  | {
      id: string;
      supersedesId: string | null;
      supersededById: string | null;
      entranceId: string;
      codeReissued: boolean;
      checkerUnbound: boolean;
    }
  | { refused: 'not_checker' | 'superseded' | 'unknown_entrance' };

type DoorWriteRow = {
  id: string | null;
  supersedes_id: string | null;
  superseded_by_id: string | null;
  refused: string | null;
  entrance_id: string | null;
  code_reissued: boolean | null;
  checker_unbound: boolean | null;
};

function toDoorWrite(row: DoorWriteRow): DoorWriteResult {
  if (row.refused) return { refused: row.refused as 'not_checker' | 'superseded' | 'unknown_entrance' };
  return {
    id: row.id!,
    supersedesId: row.supersedes_id,
    supersededById: row.superseded_by_id,
    entranceId: row.entrance_id!,
    codeReissued: Boolean(row.code_reissued),
    checkerUnbound: Boolean(row.checker_unbound),
  };
}

/**
 * One record in one statement (the `checkin_insert` function, migration 0015): the binding and the code
 * judged under their shared locks, the person's advisory lock at the venue, the supersede links, the
 * insert and its rollup-queue row, one round trip and no client-side transaction. Returns the new row's
 * id, links and facts, a refusal, or null when the client id was already stored.
 */
export async function insertCheckinLocked(
  db: DbOrTx,
  v: NewCheckin & { supersedesId?: never; supersededById?: never },
  window: { beforeFrom: Date; afterUntil: Date },
  x: DoorWriteExtras,
): Promise<DoorWriteResult | null> {
  const [row] = rowsOf<DoorWriteRow>(
    await db.execute(sql`
      select id, supersedes_id, superseded_by_id, refused, entrance_id, code_reissued, checker_unbound from checkin_insert(
        ${personLockKey(v.venueId, v.personId)}::text, ${v.venueId}::uuid, ${v.clientId}::uuid, ${v.checkerAccountId}::uuid, ${v.personId}::uuid,
        ${v.method}::text, ${v.temperatureDeci ?? null}::smallint, ${v.fever}::boolean, ${v.colour}::text, ${v.redReason ?? null}::text,
        ${iso(v.scannedAt)}::timestamptz, ${v.clockOffsetMs}::integer, ${iso(v.effectiveAt)}::timestamptz, ${iso(v.receivedAt ?? new Date())}::timestamptz,
        ${v.late}::boolean, ${v.payloadHash}::text, ${iso(window.beforeFrom)}::timestamptz, ${iso(window.afterUntil)}::timestamptz,
        ${x.entranceId}::uuid, ${x.gender}::text, ${x.ageBand}::text, ${x.codeGeneration}::integer)`),
  );
  return row ? toDoorWrite(row) : null;
}

/**
 * The scanner's day for one checker (lib/checkin/checker-summary.ts): `count` is 检测人次 — this checker's
 * standing records in [dayStart, dayEnd), the very definition of the dashboard's per-checker table
 * (db/queries/stats-definitions.ts) — and the latest few records, standing or not, each with the record
 * that took its place (a re-scan: 已复测).
 */
export async function checkerDaySummary(
  db: DbOrTx,
  venueId: string,
  checkerAccountId: string,
  dayStart: Date,
  dayEnd: Date,
  limit = 5,
  method?: 'quick',
) {
  const where = sql`c.venue_id = ${venueId} and c.checker_account_id = ${checkerAccountId}
    and c.effective_at >= ${iso(dayStart)}::timestamptz and c.effective_at < ${iso(dayEnd)}::timestamptz
    ${method ? sql`and c.method = ${method}` : sql``}`;
  const [[{ n }], recent] = await Promise.all([
    db.execute(sql`select count(*)::int as n from checkins c where ${where} and ${standing('c')}`).then((r) => rowsOf<{ n: number }>(r)),
    db
      .execute(
        sql`select c.id, p.name_masked as "nameMasked", c.temperature_deci as "temperatureDeci", c.fever, c.colour, c.method,
                   c.effective_at as "effectiveAt", s.id is not null as superseded, s.effective_at >= c.effective_at as "correctedLater",
                   s.temperature_deci as "successorDeci", s.fever as "successorFever"
              from checkins c
              left join persons p on p.id = c.person_id
              left join lateral (select fix.id, fix.effective_at, fix.temperature_deci, fix.fever from checkins fix where ${successorOf('c', 'fix')} limit 1) s on true
             where ${where}
             order by c.effective_at desc
             limit ${limit}`,
      )
      .then((r) =>
        rowsOf<{
          id: string;
          nameMasked: string;
          temperatureDeci: number | null;
          fever: boolean;
          colour: string;
          method: string;
          effectiveAt: Date | string;
          superseded: boolean;
          correctedLater: boolean | null;
          successorDeci: number | null;
          successorFever: boolean | null;
        }>(r).map((x) => ({ ...x, effectiveAt: new Date(x.effectiveAt) })),
      ),
  ]);
  return { count: Number(n), recent };
}

/** A person's own records across venues (我的粤康码信息): venue, time, temperature or quick check-in. */
export async function recordsOfPersons(db: DbOrTx, personIds: string[], limit = 100) {
  if (personIds.length === 0) return [];
  return db
    .select({
      id: checkins.id,
      personId: checkins.personId,
      venueName: venues.name,
      temperatureDeci: checkins.temperatureDeci,
      method: checkins.method,
      fever: checkins.fever,
      effectiveAt: checkins.effectiveAt,
    })
    .from(checkins)
    .innerJoin(venues, eq(venues.id, checkins.venueId))
    .where(inArray(checkins.personId, personIds))
    .orderBy(desc(checkins.effectiveAt))
    .limit(limit);
}

/**
 * Everything the door decides on before writing, for one record or many (of one account or several), in
 * one round trip: the client id, the binding at the effective time, the session row when the caller left
 * it to the write, and — when a signed code has already named the person — the person and their latest
 * status report valid at that time. Answers in input order.
 */
export async function doorFactsMany(
  db: DbOrTx,
  items: { accountId: string; sessionId?: string; venueId: string; clientId: string; at: Date; personId: string | null }[],
  now = new Date(),
): Promise<DoorFacts[]> {
  if (items.length === 0) return [];
  const input = JSON.stringify(
    items.map((q, ord) => ({
      ord,
      account_id: q.accountId,
      session_id: q.sessionId ?? null,
      venue_id: q.venueId,
      client_id: q.clientId,
      at: q.at.toISOString(),
      person_id: q.personId,
    })),
  );
  const rows = rowsOf<DoorFactsRow & { ord: number; session_ok: boolean | null }>(
    await db.execute(sql`
      select r.ord, e.hit is not null as existing, bd.hit is not null as bound,
             case when r.session_id is null then null else se.hit is not null end as session_ok,
             p.id as person_id, p.id_hash, p.name_masked, p.gender, p.birth_date::text as birth_date, p.code_generation,
             s.colour, s.reason, s.valid_from
        from json_to_recordset(${input}::json) as r(ord integer, account_id uuid, session_id uuid, venue_id uuid, client_id uuid, at timestamptz, person_id uuid)
        -- Every look-up is a lateral with a limit (never flattened): one index probe per record. As plain
        -- joins and EXISTS, the planner — taking the input for 100 rows — hashed whole tables instead, and
        -- a group of coalesced scans is often 2 or 3 records.
        -- The session row, as findActiveSession checks it, when the caller has not (the door's grouped write).
        left join lateral (
          select 1 as hit from auth_sessions s
           where s.id = r.session_id and s.account_id = r.account_id and s.revoked_at is null and s.expires_at > ${now.toISOString()}::timestamptz limit 1) se on true
        left join lateral (select 1 as hit from checkins c where c.venue_id = r.venue_id and c.client_id = r.client_id limit 1) e on true
        left join lateral (
          select 1 as hit from checker_bindings b
           where b.venue_id = r.venue_id and b.account_id = r.account_id and b.bound_from is not null
             and b.bound_from <= r.at and (b.unbound_at is null or b.unbound_at > r.at) limit 1) bd on true
        left join lateral (
          select p.id, p.id_hash, p.name_masked, p.gender, p.birth_date, p.code_generation from persons p where p.id = r.person_id limit 1) p on true
        left join lateral (
          select sc.colour, sc.reason, sc.valid_from from status_changes sc
           where sc.id_hash = p.id_hash and sc.valid_from <= r.at
           order by sc.valid_from desc, sc.id desc limit 1) s on true`),
  );
  const out: DoorFacts[] = new Array(items.length);
  for (const row of rows) {
    out[Number(row.ord)] = { ...toDoorFacts(row), session: row.session_ok };
  }
  return out;
}

/**
 * insertCheckinLocked for many records in one statement (one transaction). Records are written in order
 * of their lock key, and in input order for one person, so two batches never wait on each other in a
 * cycle and one person's records are linked as if they had arrived one after the other. Answers in
 * input order: the new row's id and links, or null when the client id was already stored.
 */
export async function insertCheckinsLocked(
  db: DbOrTx,
  items: { values: NewCheckin; window: { beforeFrom: Date; afterUntil: Date }; extras: DoorWriteExtras }[],
): Promise<(DoorWriteResult | null)[]> {
  if (items.length === 0) return [];
  const input = JSON.stringify(
    items.map(({ values: v, window: w, extras: x }, ord) => ({
      ord,
      lock_key: personLockKey(v.venueId, v.personId),
      venue_id: v.venueId,
      client_id: v.clientId,
      checker_account_id: v.checkerAccountId,
      person_id: v.personId,
      method: v.method,
      temperature_deci: v.temperatureDeci ?? null,
      fever: v.fever,
      colour: v.colour,
      red_reason: v.redReason ?? null,
      scanned_at: iso(v.scannedAt),
      clock_offset_ms: v.clockOffsetMs,
      effective_at: iso(v.effectiveAt),
      received_at: iso(v.receivedAt ?? new Date()),
      late: v.late,
      payload_hash: v.payloadHash,
      before_from: iso(w.beforeFrom),
      after_until: iso(w.afterUntil),
      entrance_id: x.entranceId,
      gender: x.gender,
      age_band: x.ageBand,
      code_generation: x.codeGeneration,
    })),
  );
  const rows = rowsOf<DoorWriteRow & { ord: number }>(
    await db.execute(sql`
      select r.ord, w.id, w.supersedes_id, w.superseded_by_id, w.refused, w.entrance_id, w.code_reissued, w.checker_unbound
        from (select x.* from json_to_recordset(${input}::json) as x(
                ord integer, lock_key text, venue_id uuid, client_id uuid, checker_account_id uuid, person_id uuid, method text,
                temperature_deci smallint, fever boolean, colour text, red_reason text, scanned_at timestamptz, clock_offset_ms integer,
                effective_at timestamptz, received_at timestamptz, late boolean, payload_hash text, before_from timestamptz, after_until timestamptz,
                entrance_id uuid, gender text, age_band text, code_generation integer)
               order by hashtextextended(x.lock_key, 0), x.ord) r
       cross join lateral checkin_insert(r.lock_key, r.venue_id, r.client_id, r.checker_account_id, r.person_id, r.method, r.temperature_deci,
                                         r.fever, r.colour, r.red_reason, r.scanned_at, r.clock_offset_ms, r.effective_at, r.received_at,
                                         r.late, r.payload_hash, r.before_from, r.after_until, r.entrance_id, r.gender, r.age_band,
                                         r.code_generation) w`),
  );
  const out: (DoorWriteResult | null)[] = new Array(items.length).fill(null);
  for (const r of rows) out[Number(r.ord)] = toDoorWrite(r);
  return out;
}
