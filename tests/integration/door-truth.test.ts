// The door's records tell the truth (issue #17 "Records", "Codes as of the scan", "Removal at one instant",
// "Wire compatibility"): supersede corrects like with like, an ended code and an ended binding are judged
// as of the record's effective time, a record queued before the deploy is stored once, and the facts of
// the visit are fixed on the record. Counts are read directly from the rows, never through lib/stats.
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rowsOf } from '@/db';
import { personForScan } from '@/db/queries/persons';
import { checkerBindings, checkins, personCodeHistory, venueEntrances } from '@/db/schema';
import { ageBandOn } from '@/lib/checkin/age-band';
import { recordCheckins } from '@/lib/checkin/record';
import { payloadHash, type CheckinPayload } from '@/lib/checkin/record-checkin';
import { reissueCodes } from '@/lib/health-code/personal-codes';
import { removeChecker, unbindSelf } from '@/lib/venues/checkers';
import { createFixtures, DAY, MIN, type Actor, type Person } from '../helpers/fixtures';
import { asOwner } from '../helpers/test-db';

const { h, at, newPerson, newVenue, bindChecker, openBindingId, door, scan, typed, record, stored, countCheckins, township } =
  createFixtures({
    phone: { prefix: '136', base: 5_200_000, step: 37 },
    ids: { fromYear: 1966, stepDays: 17 },
    venue: { namePrefix: '门岗真相场所', address: '越秀北路 9 号', contactPhone: '020-83330000' },
    checker: { displayName: '门岗小陈', ip: '10.77.0.1', secret: 'test-secret-door-truth' },
  });

/** A visitor's own quick check-in (the sunflower code) of `p`, attributed to checker `c`, effective at `effective`. */
async function quick(c: Actor, venueId: string, p: Person, effective: Date, now = effective) {
  const row = await personForScan(h.db, p.personId);
  if (!row) throw new Error('no person');
  const person = {
    personId: p.personId,
    idHash: row.idHash,
    kind: 'quick' as const,
    nameMasked: row.nameMasked,
    gender: row.gender as 'M' | 'F',
    birthDate: row.birthDate,
    codeGeneration: null,
  };
  const payload: CheckinPayload = {
    clientId: randomUUID(),
    venueId,
    method: 'quick',
    code: p.personId,
    scannedAt: effective.getTime(),
    clockOffsetMs: 0,
  };
  const [r] = await recordCheckins(h.db, [{ actor: c, payload, now, resolve: async () => ({ ok: true as const, person }) }]);
  return r;
}

/** The venue's counts, straight from the rows: standing records, standing fevers, fevers corrected by a later normal measurement. */
async function countsOf(venueId: string) {
  const [row] = rowsOf<{ stored: number; standing: number; fevers: number; corrected: number }>(
    await h.db.execute(sql`
      select count(*)::int as stored,
             count(*) filter (where x.standing)::int as standing,
             count(*) filter (where x.standing and x.fever)::int as fevers,
             count(*) filter (where x.fever and x.corrected)::int as corrected
        from (select c.fever,
                     c.superseded_by_id is null
                       and not exists (select 1 from checkins s where s.venue_id = c.venue_id and s.supersedes_id = c.id) as standing,
                     exists (select 1 from checkins s where s.venue_id = c.venue_id and s.supersedes_id = c.id
                                                      and s.method <> 'quick' and not s.fever) as corrected
                from checkins c where c.venue_id = ${venueId}::uuid) x`),
  );
  return row;
}

async function rowOf(venueId: string, id: string) {
  const [row] = await h.db
    .select()
    .from(checkins)
    .where(and(eq(checkins.venueId, venueId), eq(checkins.id, id)));
  return row;
}

async function mainEntrance(venueId: string) {
  const [row] = await h.db
    .select({ id: venueEntrances.id })
    .from(venueEntrances)
    .where(and(eq(venueEntrances.venueId, venueId), eq(venueEntrances.isMain, true)));
  return row.id;
}

describe('supersede corrects like with like (records stored from migration 0015 on)', () => {
  it('scan 38.8 → quick (the visitor’s own) → re-measure 36.5: one standing record, no standing fever, one fever corrected', async () => {
    const { v, c } = await door();
    const p = await newPerson();
    const fever = stored(await record(c, scan(v.venueId, p.token, at(0), { temperature: '38.8' }), at(0)));
    // The visitor confirms "normal" on their own phone: stored, but already superseded by the measurement.
    const own = stored(await quick(c, v.venueId, p, at(2)));
    expect(own.storedSuperseded).toBe(true);
    expect(own.supersedes).toBeNull();
    expect(await countsOf(v.venueId)).toEqual({ stored: 2, standing: 1, fevers: 1, corrected: 0 });

    const again = stored(await record(c, scan(v.venueId, p.token, at(5), { temperature: '36.5' }), at(5)));
    expect(again.supersedes).toBe(fever.id);
    expect(await countsOf(v.venueId)).toEqual({ stored: 3, standing: 1, fevers: 0, corrected: 1 });
    // The 38.8 is still stored, unchanged; the quick one names the fever as what supersedes it.
    expect(await rowOf(v.venueId, fever.id)).toMatchObject({ temperatureDeci: 388, fever: true, supersedesId: null, supersededById: null });
    expect(await rowOf(v.venueId, own.id)).toMatchObject({ method: 'quick', supersededById: fever.id });
  });

  it('a quick check-in never supersedes a fever: scan 38.8 → quick leaves the fever standing', async () => {
    const { v, c } = await door();
    const p = await newPerson();
    stored(await record(c, scan(v.venueId, p.token, at(0), { temperature: '38.8' }), at(0)));
    stored(await quick(c, v.venueId, p, at(1)));
    expect(await countsOf(v.venueId)).toEqual({ stored: 2, standing: 1, fevers: 1, corrected: 0 });
  });

  it('quick → scan: one standing record, the scan', async () => {
    const { v, c } = await door();
    const p = await newPerson();
    const own = stored(await quick(c, v.venueId, p, at(0)));
    const measured = stored(await record(c, scan(v.venueId, p.token, at(3)), at(3)));
    expect(measured.supersedes).toBe(own.id);
    expect(await countsOf(v.venueId)).toEqual({ stored: 2, standing: 1, fevers: 0, corrected: 0 });
  });

  it('quick → quick: one; scan → scan: one', async () => {
    const { v, c } = await door();
    const p = await newPerson();
    const q1 = stored(await quick(c, v.venueId, p, at(0)));
    const q2 = stored(await quick(c, v.venueId, p, at(4)));
    expect(q2.supersedes).toBe(q1.id);
    expect(await countsOf(v.venueId)).toEqual({ stored: 2, standing: 1, fevers: 0, corrected: 0 });

    const other = await newPerson();
    const s1 = stored(await record(c, scan(v.venueId, other.token, at(0)), at(0)));
    const s2 = stored(await record(c, scan(v.venueId, other.token, at(4)), at(4)));
    expect(s2.supersedes).toBe(s1.id);
    expect(await countsOf(v.venueId)).toEqual({ stored: 4, standing: 2, fevers: 0, corrected: 0 });
  });

  it('a measured record arriving late, after a later quick check-in, takes the quick one’s place (counted by what was measured)', async () => {
    // migration 0015: a measured record with no later measurement in the window supersedes the latest
    // standing quick check-in of the window, even one after it: the visit is counted once, as measured.
    const { v, c } = await door();
    const p = await newPerson();
    const own = stored(await quick(c, v.venueId, p, at(10)));
    const late = stored(await record(c, scan(v.venueId, p.token, at(5), { temperature: '38.2' }), at(20)));
    expect(late.supersedes).toBe(own.id);
    expect(late.storedSuperseded).toBe(false);
    expect(late.late).toBe(true);
    expect(await countsOf(v.venueId)).toEqual({ stored: 2, standing: 1, fevers: 1, corrected: 0 });
  });

  it('a quick check-in arriving late, after a later measurement, is stored superseded by it', async () => {
    const { v, c } = await door();
    const p = await newPerson();
    const measured = stored(await record(c, scan(v.venueId, p.token, at(10), { temperature: '38.0' }), at(10)));
    const own = stored(await quick(c, v.venueId, p, at(5), at(20)));
    expect(own.storedSuperseded).toBe(true);
    expect(await rowOf(v.venueId, own.id)).toMatchObject({ supersededById: measured.id });
    expect(await countsOf(v.venueId)).toEqual({ stored: 2, standing: 1, fevers: 1, corrected: 0 });
  });

  it('history rows (stored before 0015, inserted as the owner) keep their links and count as stored', async () => {
    const { v, c } = await door();
    const p = await newPerson();
    // Before 0015 a quick check-in superseded a measured fever (what #17 fixes): such rows stay as they are.
    const feverId = randomUUID();
    const quickId = randomUUID();
    await asOwner(h, (db) =>
      db.execute(sql`
        insert into checkins (venue_id, id, client_id, checker_account_id, person_id, method, temperature_deci, fever, colour,
                              supersedes_id, scanned_at, clock_offset_ms, effective_at, late, payload_hash)
        values (${v.venueId}::uuid, ${feverId}::uuid, ${randomUUID()}::uuid, ${c.accountId}::uuid, ${p.personId}::uuid, 'scan', 388, true, 'green',
                null, ${at(-120).toISOString()}::timestamptz, 0, ${at(-120).toISOString()}::timestamptz, false, 'history'),
               (${v.venueId}::uuid, ${quickId}::uuid, ${randomUUID()}::uuid, ${c.accountId}::uuid, ${p.personId}::uuid, 'quick', null, false, 'green',
                ${feverId}::uuid, ${at(-118).toISOString()}::timestamptz, 0, ${at(-118).toISOString()}::timestamptz, false, 'history')`),
    );
    const before = await h.db.select().from(checkins).where(eq(checkins.venueId, v.venueId)).orderBy(checkins.effectiveAt);
    expect(before.map((r) => [r.entranceId, r.gender, r.ageBand, r.townshipCode])).toEqual([
      [null, null, null, null],
      [null, null, null, null],
    ]);
    // A new record two hours later, outside the window, changes nothing of them.
    stored(await record(c, scan(v.venueId, p.token, at(0)), at(0)));
    const after = await h.db.select().from(checkins).where(eq(checkins.venueId, v.venueId)).orderBy(checkins.effectiveAt);
    expect(after.slice(0, 2)).toEqual(before);
    expect(await rowOf(v.venueId, quickId)).toMatchObject({ supersedesId: feverId, supersededById: null });
    expect(await countsOf(v.venueId)).toEqual({ stored: 3, standing: 2, fevers: 0, corrected: 0 });
  });
});

describe('codes as of the scan', () => {
  it('an offline scan made before a re-issue and sent after is stored, flagged and late; after the re-issue the old code is refused', async () => {
    const { v, c } = await door();
    const p = await newPerson();
    const oldToken = p.token;
    const oldShort = p.shortCode;
    // The scan is taken at 10:00 and stays on the device; the holder re-issues their code at 10:05.
    const queued = scan(v.venueId, oldToken, at(0), { temperature: '36.7' });
    expect(await reissueCodes(h.db, { accountId: p.accountId }, p.personId, at(5))).toEqual({ ok: true, generation: 2 });
    const [ended] = await h.db.select().from(personCodeHistory).where(eq(personCodeHistory.personId, p.personId));
    expect(ended).toMatchObject({ generation: 1, shortCode: oldShort, endedAt: at(5) });

    const synced = await record(c, queued, at(30));
    expect(synced).toMatchObject({ ok: true, duplicate: false, record: { codeReissued: true, checkerUnbound: false, late: true } });
    expect(await rowOf(v.venueId, stored(synced).id)).toMatchObject({ codeReissued: true, late: true });
    // The resend gets the stored answer.
    expect(await record(c, { ...queued }, at(31))).toMatchObject({ ok: true, duplicate: true, record: { codeReissued: true } });

    // The same old code, effective after the re-issue: refused, nothing stored.
    expect(await record(c, scan(v.venueId, oldToken, at(6)), at(6))).toEqual({ ok: false, reason: 'superseded' });
    // The old short code typed: the same answers.
    expect(await record(c, typed(v.venueId, oldShort, at(7)), at(7))).toEqual({ ok: false, reason: 'superseded' });
    const typedBefore = await record(c, typed(v.venueId, oldShort, at(1)), at(40));
    expect(typedBefore).toMatchObject({ ok: true, record: { method: 'typed', codeReissued: true, late: true } });
    expect(await countCheckins(v.venueId)).toBe(2);

    // The current code is unaffected, before and after.
    const fresh = await personForScan(h.db, p.personId);
    expect(fresh?.codeGeneration).toBe(2);
    const now = stored(await record(c, scan(v.venueId, (await freshTokenOf(p)).token, at(8)), at(8)));
    expect(now.codeReissued).toBe(false);
    expect(await record(c, typed(v.venueId, (await freshTokenOf(p)).shortCode, at(9)), at(9))).toMatchObject({
      ok: true,
      record: { codeReissued: false },
    });
  });

  it('the end of a code is stamped after every record already stored with it', async () => {
    const { v, c } = await door();
    const p = await newPerson();
    // A record effective at 10:20 is stored; the holder's re-issue is stamped by a clock at 10:10.
    const r = stored(await record(c, scan(v.venueId, p.token, at(20)), at(20)));
    await reissueCodes(h.db, { accountId: p.accountId }, p.personId, at(10));
    const [ended] = await h.db.select().from(personCodeHistory).where(eq(personCodeHistory.personId, p.personId));
    expect(ended.endedAt.getTime()).toBeGreaterThanOrEqual(new Date(r.effectiveAt).getTime());
    // Exactly: after it by a microsecond, in the database.
    const [{ after }] = rowsOf<{ after: boolean }>(
      await h.db.execute(sql`select h.ended_at > c.effective_at as after from person_code_history h, checkins c
                              where h.person_id = ${p.personId}::uuid and c.venue_id = ${v.venueId}::uuid and c.id = ${r.id}::uuid`),
    );
    expect(after).toBe(true);
  });

  it('never issues a short code that someone held before', async () => {
    const p = await newPerson();
    const old = p.shortCode;
    await reissueCodes(h.db, { accountId: p.accountId }, p.personId, at(0));
    await reissueCodes(h.db, { accountId: p.accountId }, p.personId, at(1));
    const history = await h.db.select().from(personCodeHistory).where(eq(personCodeHistory.personId, p.personId));
    expect(history.map((r) => r.generation).sort()).toEqual([1, 2]);
    expect(history.find((r) => r.generation === 1)?.shortCode).toBe(old);
    const current = (await freshTokenOf(p)).shortCode;
    expect(history.map((r) => r.shortCode)).not.toContain(current);
  });
});

async function freshTokenOf(p: Person) {
  const { getCodeForAccount } = await import('@/lib/health-code/personal-codes');
  const { codeKeysFromEnv } = await import('@/lib/health-code/token');
  const { fieldKeysFromEnv } = await import('@/lib/identity/field-crypto');
  const code = await getCodeForAccount(h.db, { codeKeys: codeKeysFromEnv(), fieldKeys: fieldKeysFromEnv() }, p, p.personId, 'personal');
  if (!code) throw new Error('no code');
  return code;
}

describe('removal at one instant', () => {
  it('a record effective before the removal and sent after is stored, flagged; one effective after is refused', async () => {
    const { v, c } = await door();
    const p = await newPerson();
    const q = await newPerson();
    const queued = scan(v.venueId, p.token, at(0), { temperature: '37.9' });
    expect(await removeChecker(h.db, v.admin, await openBindingId(v.venueId, c.accountId), at(10))).toEqual({ ok: true });

    const synced = await record(c, queued, at(30));
    expect(synced).toMatchObject({ ok: true, record: { checkerUnbound: true, codeReissued: false, late: true, fever: true } });
    expect(await rowOf(v.venueId, stored(synced).id)).toMatchObject({ checkerUnbound: true });
    expect(await record(c, scan(v.venueId, q.token, at(15)), at(30))).toEqual({ ok: false, reason: 'not_checker' });
    expect(await quick(c, v.venueId, q, at(11), at(30))).toEqual({ ok: false, reason: 'not_checker' });
    expect(await countCheckins(v.venueId)).toBe(1);
  });

  it('every end of a binding is stamped after the checker’s stored records there (self-unbind, removal)', async () => {
    const v = await newVenue();
    const c = await bindChecker(v, at(-DAY / MIN));
    const p = await newPerson();
    // Stored at 10:20 (a scanner whose server clock ran ahead); the checker unbinds by a clock at 10:10.
    const r = stored(await record(c, scan(v.venueId, p.token, at(20)), at(20)));
    expect(await unbindSelf(h.db, c, v.venueId, at(10))).toEqual({ ok: true });
    const [{ after }] = rowsOf<{ after: boolean }>(
      await h.db.execute(sql`select b.unbound_at > c.effective_at as after from checker_bindings b, checkins c
                              where b.venue_id = ${v.venueId}::uuid and b.account_id = ${c.accountId}::uuid
                                and c.venue_id = ${v.venueId}::uuid and c.id = ${r.id}::uuid`),
    );
    expect(after).toBe(true);
    // The stored record stays before the end; a record effective a minute later is after it.
    expect(await record(c, scan(v.venueId, p.token, at(21)), at(22))).toEqual({ ok: false, reason: 'not_checker' });
    const [binding] = await h.db
      .select({ unboundAt: checkerBindings.unboundAt, endReason: checkerBindings.endReason })
      .from(checkerBindings)
      .where(and(eq(checkerBindings.venueId, v.venueId), eq(checkerBindings.accountId, c.accountId)));
    expect(binding.endReason).toBe('self');
    expect(binding.unboundAt!.getTime()).toBeGreaterThanOrEqual(at(20).getTime());
  });
});

describe('wire compatibility', () => {
  it('a record queued before the deploy (no entranceId) is stored once at the main entrance; its resend is a duplicate', async () => {
    const { v, c } = await door();
    const p = await newPerson();
    // What a device queued before entrances existed: no entranceId key at all.
    const queued: CheckinPayload = {
      clientId: randomUUID(),
      venueId: v.venueId,
      method: 'scan',
      code: p.token,
      temperature: '36.6',
      scannedAt: at(0).getTime(),
      clockOffsetMs: 0,
    };
    expect('entranceId' in queued).toBe(false);
    const first = await record(c, queued, at(30));
    const main = await mainEntrance(v.venueId);
    expect(first).toMatchObject({ ok: true, duplicate: false, record: { entranceId: main } });
    const row = await rowOf(v.venueId, stored(first).id);
    // The hash is the one the old client's payload always had (no entrance in it).
    expect(row.payloadHash).toBe(payloadHash(queued));
    expect(row.entranceId).toBe(main);

    // Re-sent after the deploy: the same client id and no entrance, also as an explicit null.
    expect(await record(c, { ...queued }, at(31))).toEqual({ ...first, duplicate: true });
    expect(await record(c, { ...queued, entranceId: null }, at(32))).toEqual({ ...first, duplicate: true });
    // Decided: the same client id naming the main entrance is another payload (its hash names the
    // entrance), so a conflict (409) and nothing changed. A device never rewrites a queued record
    // (lib/checkin/client/queue.ts keeps what was queued), so only a different client could send it.
    expect(await record(c, { ...queued, entranceId: main }, at(33))).toEqual({ ok: false, reason: 'conflict' });
    expect(await countCheckins(v.venueId)).toBe(1);
  });
});

describe('the facts of the visit are on the record', () => {
  it('gender, age band and township are stored, and a later change of the person does not change them', async () => {
    const { v, c } = await door();
    const p = await newPerson('司徒静', 'F', '1958-03-01');
    const r = stored(await record(c, scan(v.venueId, p.token, at(0)), at(0)));
    const band = ageBandOn('1958-03-01', at(0));
    expect(await rowOf(v.venueId, r.id)).toMatchObject({ gender: 'F', ageBand: band, townshipCode: township });
    // An official's correction of the identity (as the owner here): the stored facts stay.
    await asOwner(h, (db) => db.execute(sql`update persons set gender = 'M', birth_date = '2001-01-01' where id = ${p.personId}::uuid`));
    expect(await rowOf(v.venueId, r.id)).toMatchObject({ gender: 'F', ageBand: band, townshipCode: township });
    // A record after the correction carries the new facts.
    const later = stored(await record(c, scan(v.venueId, p.token, at(60)), at(60)));
    expect(await rowOf(v.venueId, later.id)).toMatchObject({ gender: 'M', ageBand: ageBandOn('2001-01-01', at(60)) });
  });
});
