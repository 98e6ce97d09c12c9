import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rowsOf } from '@/db';
import { pgErrorCode } from '@/db/errors';
import { personForScan } from '@/db/queries/persons';
import { grantRole } from '@/db/queries/roles';
import { checkins } from '@/db/schema';
import { checkerSummaryToday } from '@/lib/checkin/checker-summary';
import { previewAtDoor } from '@/lib/checkin/door';
import { recordCheckins } from '@/lib/checkin/record';
import { httpStatusOf } from '@/lib/server/reasons';
import type { CheckinPayload, PersonResolver } from '@/lib/checkin/record-checkin';
import { setColourByOfficial } from '@/lib/health-code/officials';
import { getCodeForAccount, reissueCodes } from '@/lib/health-code/personal-codes';
import { computeShortCodeCheckChar, formatShortCode } from '@/lib/health-code/short-code';
import { codeKeysFromSeed, signCodeToken } from '@/lib/health-code/token';
import { isUuid } from '@/lib/utils/uuid';
import { approveChecker, rejectChecker, removeChecker, unbindSelf } from '@/lib/venues/checkers';
import { createFixtures, expectNoClearIdentity, DAY, MIN, ms, type Actor, type Person } from '../helpers/fixtures';
import { asOwner } from '../helpers/test-db';

const {
  h,
  fieldKeys,
  codeKeys,
  at,
  newAccount,
  newActor,
  newPerson,
  freshCodes,
  newVenue,
  bindChecker,
  openBindingId,
  door,
  scan,
  typed,
  record,
  stored,
  countCheckins,
  rowsOfVenue,
} = createFixtures({
  phone: { prefix: '139', base: 3_000_000, step: 71 },
  ids: { fromYear: 1960, stepDays: 11 },
  venue: { namePrefix: '打卡测试场所', address: '环市东路 1 号', contactPhone: '020-88889999' },
  checker: { displayName: '门岗小王', ip: '10.60.0.1', secret: 'test-secret-checkins' },
});

async function rowById(venueId: string, id: string) {
  const [row] = await h.db
    .select()
    .from(checkins)
    .where(and(eq(checkins.venueId, venueId), eq(checkins.id, id)));
  return row;
}
/** What statistics count: records no one supersedes and not stored superseded. */
async function standingCount(venueId: string) {
  const result = await h.db.execute(sql`
    select count(*)::int as n from checkins c
    where c.venue_id = ${venueId} and c.superseded_by_id is null
      and not exists (select 1 from checkins s where s.venue_id = c.venue_id and s.supersedes_id = c.id)`);
  return rowsOf<{ n: number }>(result)[0].n;
}
async function refusalCode(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return 'accepted';
  } catch (error) {
    return pgErrorCode(error);
  }
}

describe('recording a scan at the door', () => {
  it('stores every field and answers with masked facts only', async () => {
    const { v, c } = await door();
    const p = await newPerson('欧阳修远', 'F', '1990-05-12');
    // The scanner's clock is 1.5 s slow; the server corrects it.
    const payload = scan(v.venueId, p.token, ms(at(0), -1500), { temperature: '36.6', clockOffsetMs: 1500 });
    const now = ms(at(0), 2000);
    const result = await record(c, payload, now);
    expect(result).toEqual({
      ok: true,
      duplicate: false,
      record: {
        id: expect.any(String),
        clientId: payload.clientId,
        venueId: v.venueId,
        method: 'scan',
        temperature: '36.6',
        fever: false,
        colour: 'green',
        redReason: null,
        effectiveAt: at(0).toISOString(),
        late: false,
        supersedes: null,
        storedSuperseded: false,
        entranceId: expect.any(String),
        codeReissued: false,
        checkerUnbound: false,
        person: { nameMasked: '欧***', gender: 'F', ageBand: '30-39' },
      },
    });
    expectNoClearIdentity(result, p);
    const rows = await rowsOfVenue(v.venueId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: stored(result).id,
      venueId: v.venueId,
      clientId: payload.clientId,
      checkerAccountId: c.accountId,
      personId: p.personId,
      method: 'scan',
      temperatureDeci: 366,
      fever: false,
      colour: 'green',
      redReason: null,
      supersedesId: null,
      supersededById: null,
      scannedAt: ms(at(0), -1500),
      clockOffsetMs: 1500,
      effectiveAt: at(0),
      receivedAt: now,
      late: false,
      // The facts of the visit, fixed on the record (migration 0015): the main entrance, gender, age band, township.
      entranceId: stored(result).entranceId,
      gender: 'F',
      ageBand: '30-39',
      townshipCode: expect.stringMatching(/^440106\d{3}$/),
      codeReissued: false,
      checkerUnbound: false,
    });
  });

  it('flags a fever from 37.3 °C and stores the reading in tenths', async () => {
    const { v, c } = await door();
    const p = await newPerson('李白', 'M', '1950-02-01');
    const hot = stored(await record(c, scan(v.venueId, p.token, at(0), { temperature: '37.3' }), at(0)));
    expect(hot).toMatchObject({ temperature: '37.3', fever: true, person: { nameMasked: '李*', gender: 'M', ageBand: '60+' } });
    const q = await newPerson('王五');
    const normal = stored(await record(c, scan(v.venueId, q.token, at(1), { temperature: 37.2 }), at(1)));
    expect(normal).toMatchObject({ temperature: '37.2', fever: false });
    expect(await countCheckins(v.venueId, eq(checkins.fever, true))).toBe(1);
    expect((await rowById(v.venueId, hot.id)).temperatureDeci).toBe(373);
  });

  it('takes a typed short code in any typed form', async () => {
    const { v, c } = await door();
    const p = await newPerson('诸葛亮');
    const forms = [p.shortCode, formatShortCode(p.shortCode), ` ${formatShortCode(p.shortCode).toLowerCase()} `];
    for (const [i, code] of forms.entries()) {
      // Spaced over more than 30 minutes: three separate visits.
      const r = stored(await record(c, typed(v.venueId, code, at(i * 40)), at(i * 40)));
      expect(r).toMatchObject({ method: 'typed', person: { nameMasked: '诸**' }, supersedes: null });
      expectNoClearIdentity(r, p);
    }
    expect(await countCheckins(v.venueId, eq(checkins.personId, p.personId))).toBe(3);
  });

  it('shows the checker a preview without recording anything; not to a non-checker', async () => {
    const { v, c } = await door();
    const p = await newPerson('欧阳修远', 'M', '2010-06-01');
    const preview = await previewAtDoor(h.db, c, { venueId: v.venueId, code: p.token, method: 'scan' }, at(0));
    expect(preview).toEqual({
      ok: true,
      person: { nameMasked: '欧***', gender: 'M', ageBand: '0-17' },
      status: { colour: 'green', reason: null },
    });
    expectNoClearIdentity(preview, p);
    expect(await previewAtDoor(h.db, c, { venueId: v.venueId, code: 'https://example.com', method: 'scan' }, at(0))).toMatchObject({
      ok: false,
      reason: 'not_ours',
    });
    expect(await previewAtDoor(h.db, await newActor(), { venueId: v.venueId, code: p.token, method: 'scan' }, at(0))).toEqual({
      ok: false,
      reason: 'not_checker',
    });
    expect(await countCheckins(v.venueId)).toBe(0);
  });
});

describe('exactly once', () => {
  it('answers a resend of the same record with the stored result, even after the code and binding changed', async () => {
    const { v, c } = await door();
    const p = await newPerson();
    const payload = scan(v.venueId, p.token, at(0), { temperature: '36.8' });
    const first = await record(c, payload, at(0));
    expect(first).toMatchObject({ ok: true, duplicate: false });
    const again = await record(c, { ...payload }, ms(at(0), 3000));
    expect(again).toEqual({ ...first, duplicate: true });
    // The number form of the same reading is the same payload.
    expect(await record(c, { ...payload, temperature: 36.8 }, ms(at(0), 4000))).toEqual({ ...first, duplicate: true });
    expect(await countCheckins(v.venueId)).toBe(1);

    // A day later, from the offline queue: the code was reissued and the checker removed since.
    await reissueCodes(h.db, { accountId: p.accountId }, p.personId);
    expect(await removeChecker(h.db, v.admin, await openBindingId(v.venueId, c.accountId), at(60))).toEqual({ ok: true });
    const later = await record(c, { ...payload }, at(24 * 60));
    expect(later).toEqual({ ...first, duplicate: true });
    expectNoClearIdentity(later, p);
    expect(await countCheckins(v.venueId)).toBe(1);
  });

  it('refuses the same client id with a different payload as a conflict, storing nothing more', async () => {
    const { v, c } = await door();
    const p = await newPerson();
    const other = await newPerson();
    const payload = scan(v.venueId, p.token, at(0));
    const first = stored(await record(c, payload, at(0)));
    const before = await rowsOfVenue(v.venueId);
    const changes: Partial<CheckinPayload>[] = [
      { temperature: '36.6' },
      { temperature: '37.5' },
      { scannedAt: payload.scannedAt + 1 },
      { clockOffsetMs: 1 },
      { code: other.token },
      { method: 'typed', code: p.shortCode },
    ];
    for (const change of changes) {
      const r = await record(c, { ...payload, ...change }, ms(at(0), 5000));
      expect(r, JSON.stringify(change)).toEqual({ ok: false, reason: 'conflict' });
    }
    expect(httpStatusOf('conflict')).toBe(409);
    // The same payload from another checker of the venue is not theirs to resend.
    const c2 = await bindChecker(v, at(-10));
    expect(await record(c2, { ...payload }, ms(at(0), 5000))).toEqual({ ok: false, reason: 'conflict' });
    expect(await rowsOfVenue(v.venueId)).toEqual(before);
    // The original still answers.
    expect(await record(c, { ...payload }, ms(at(0), 6000))).toMatchObject({ ok: true, duplicate: true, record: { id: first.id } });
  });

  it('a refused record does not use up its client id', async () => {
    const { v, c } = await door();
    const p = await newPerson();
    const payload = scan(v.venueId, p.token, at(0), { temperature: '3.66' });
    expect(await record(c, payload, at(0))).toEqual({ ok: false, reason: 'temperature_format' });
    expect(await countCheckins(v.venueId)).toBe(0);
    expect(await record(c, { ...payload, temperature: '36.6' }, at(1))).toMatchObject({
      ok: true,
      duplicate: false,
      record: { clientId: payload.clientId, late: false },
    });
    expect(await countCheckins(v.venueId)).toBe(1);
  });
});

describe('append-only in the database', () => {
  it("refuses UPDATE, DELETE and TRUNCATE on checkins, by raw SQL and through drizzle, even to the tables' owner", async () => {
    const { v, c } = await door();
    const p = await newPerson();
    const r = stored(await record(c, scan(v.venueId, p.token, at(0)), at(0)));
    const before = await rowsOfVenue(v.venueId);
    // The app's role may not even try (42501 on a server; tests/integration/least-privilege.test.ts); the
    // owner, who may, meets the trigger. PGlite is one role: the trigger answers there.
    await asOwner(h, async (db) => {
      expect(await refusalCode(db.execute(sql`update checkins set temperature_deci = 370 where venue_id = ${v.venueId}`))).toBe('P0001');
      expect(await refusalCode(db.execute(sql`update checkins set superseded_by_id = id where id = ${r.id}`))).toBe('P0001');
      expect(await refusalCode(db.execute(sql`delete from checkins where venue_id = ${v.venueId}`))).toBe('P0001');
      expect(await refusalCode(db.execute(sql`truncate checkins`))).toBe('P0001');
      expect(await refusalCode(db.update(checkins).set({ colour: 'red' }).where(eq(checkins.id, r.id)))).toBe('P0001');
      expect(await refusalCode(db.delete(checkins).where(eq(checkins.id, r.id)))).toBe('P0001');
    });
    const refused = h.kind === 'postgres' ? '42501' : 'P0001';
    expect(await refusalCode(h.db.update(checkins).set({ colour: 'red' }).where(eq(checkins.id, r.id)))).toBe(refused);
    expect(await refusalCode(h.db.delete(checkins).where(eq(checkins.id, r.id)))).toBe(refused);
    expect(await rowsOfVenue(v.venueId)).toEqual(before);
  });

  it('refuses a second successor for a record (partial unique index), and impossible temperatures', async () => {
    const { v, c } = await door();
    const p = await newPerson();
    const a = stored(await record(c, scan(v.venueId, p.token, at(0)), at(0)));
    const b = stored(await record(c, scan(v.venueId, p.token, at(10)), at(10)));
    expect(b.supersedes).toBe(a.id);
    const insert = (supersedesId: string | null, method = 'scan', deci: number | null = 365, fever = false) =>
      h.db.execute(sql`
        insert into checkins (venue_id, client_id, checker_account_id, person_id, method, temperature_deci, fever, colour,
                              supersedes_id, scanned_at, clock_offset_ms, effective_at, late, payload_hash)
        values (${v.venueId}, ${randomUUID()}, ${c.accountId}, ${p.personId}, ${method}, ${deci}, ${fever}, 'green',
                ${supersedesId}::uuid, ${at(15).toISOString()}::timestamptz, 0, ${at(15).toISOString()}::timestamptz, false, 'direct')`);
    expect(await refusalCode(insert(a.id))).toBe('23505');
    expect(await refusalCode(insert(null, 'quick', 365))).toBe('23514');
    expect(await refusalCode(insert(null, 'scan', 500))).toBe('23514');
    expect(await refusalCode(insert(null, 'scan', 380, false))).toBe('23514');
    expect(await countCheckins(v.venueId)).toBe(2);
    // The same insert naming a record without a successor goes in: the index is what refused it.
    expect(await refusalCode(insert(b.id))).toBe('accepted');
    expect(await countCheckins(v.venueId)).toBe(3);
    expect(await refusalCode(insert(b.id))).toBe('23505');
    // Records with no predecessor are not limited by the partial index.
    expect(await refusalCode(insert(null))).toBe('accepted');
    expect(await refusalCode(insert(null))).toBe('accepted');
  });
});

describe('correction by a newer record (V12)', () => {
  it('supersede chains: A 10:00 ← B 10:20 ← C 10:45; D 11:30 alone; late E 10:10 stored superseded by B', async () => {
    const { v, c } = await door();
    const p = await newPerson();
    const send = (minutes: number, now: Date, temperature = '36.5') =>
      record(c, scan(v.venueId, p.token, at(minutes), { temperature }), now);
    const A = stored(await send(0, ms(at(0), 5000)));
    const B = stored(await send(20, ms(at(20), 5000), '36.7'));
    const C = stored(await send(45, ms(at(45), 5000)));
    const D = stored(await send(90, ms(at(90), 5000)));
    const E = stored(await send(10, at(100)));
    expect(A).toMatchObject({ supersedes: null, storedSuperseded: false });
    expect(B).toMatchObject({ supersedes: A.id, storedSuperseded: false });
    expect(C).toMatchObject({ supersedes: B.id, storedSuperseded: false });
    expect(D).toMatchObject({ supersedes: null, storedSuperseded: false });
    expect(E).toMatchObject({ supersedes: null, storedSuperseded: true, late: true, effectiveAt: at(10).toISOString() });

    const rows = await rowsOfVenue(v.venueId);
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(E.id)).toMatchObject({ supersededById: B.id, supersedesId: null });
    for (const id of [A.id, B.id, C.id, D.id]) expect(byId.get(id)!.supersededById).toBeNull();
    // Both stay stored; only C and D count.
    expect(rows).toHaveLength(5);
    expect(await standingCount(v.venueId)).toBe(2);
    const standing = rows.filter((r) => r.supersededById === null && !rows.some((s) => s.supersedesId === r.id)).map((r) => r.id);
    expect(standing.sort()).toEqual([C.id, D.id].sort());
    // Every record has at most one successor.
    for (const r of rows) expect(rows.filter((s) => s.supersedesId === r.id).length + (r.supersededById ? 1 : 0)).toBeLessThanOrEqual(1);
  });

  it('the window is 30 minutes inclusive, both ways', async () => {
    const { v, c } = await door();
    const p = await newPerson();
    const A = stored(await record(c, scan(v.venueId, p.token, at(0)), at(0)));
    const B = stored(await record(c, scan(v.venueId, p.token, at(30)), at(30)));
    expect(B.supersedes).toBe(A.id);
    const C = stored(await record(c, scan(v.venueId, p.token, ms(at(60), 1)), ms(at(60), 1)));
    expect(C.supersedes).toBeNull();
    // Late records: exactly 30 minutes before B is superseded by it; a millisecond more is not.
    const L1 = stored(await record(c, scan(v.venueId, p.token, at(0)), at(70)));
    expect(L1).toMatchObject({ supersedes: null, storedSuperseded: true });
    expect((await rowById(v.venueId, L1.id)).supersededById).toBe(B.id);
    const q = await newPerson();
    const Q = stored(await record(c, scan(v.venueId, q.token, at(30)), at(30)));
    const L2 = stored(await record(c, scan(v.venueId, q.token, ms(at(0), -1)), at(70)));
    expect(L2).toMatchObject({ supersedes: null, storedSuperseded: false });
    expect(Q.supersedes).toBeNull();
    // Same effective time: the later-stored one corrects the earlier one.
    const S = stored(await record(c, scan(v.venueId, q.token, at(30)), at(71)));
    expect(S.supersedes).toBe(Q.id);
  });

  it('never links records of other people or of other venues', async () => {
    const { v, c } = await door();
    const v2 = await newVenue();
    const c2 = await bindChecker(v2, at(-60), c);
    expect(c2).toBe(c);
    const p = await newPerson();
    const q = await newPerson();
    const A = stored(await record(c, scan(v.venueId, p.token, at(0)), at(0)));
    expect(stored(await record(c, scan(v.venueId, q.token, at(5)), at(5))).supersedes).toBeNull();
    expect(stored(await record(c, scan(v2.venueId, p.token, at(6)), at(6))).supersedes).toBeNull();
    expect(stored(await record(c, scan(v.venueId, p.token, at(7)), at(7))).supersedes).toBe(A.id);
    expect(await standingCount(v.venueId)).toBe(2);
    expect(await standingCount(v2.venueId)).toBe(1);
  });

  it('a late record between two records more than 30 minutes apart corrects the earlier one and is corrected by the later one', async () => {
    const { v, c } = await door();
    const p = await newPerson();
    const A = stored(await record(c, scan(v.venueId, p.token, at(0)), at(0)));
    const C = stored(await record(c, scan(v.venueId, p.token, at(45)), at(45)));
    expect(C.supersedes).toBeNull();
    // B at 10:20 is within 30 minutes after A and within 30 minutes before C.
    const B = stored(await record(c, scan(v.venueId, p.token, at(20)), at(50)));
    expect(B).toMatchObject({ supersedes: A.id, storedSuperseded: true });
    expect((await rowById(v.venueId, B.id)).supersededById).toBe(C.id);
    expect(await standingCount(v.venueId)).toBe(1);
  });
});

describe('the checker must be active at the venue at the effective time', () => {
  it('refuses pending, rejected, other-venue, admin and unbound accounts, storing nothing', async () => {
    const v = await newVenue('approval');
    const p = await newPerson();
    const pending = await bindChecker(v, at(-60));
    const rejected = await bindChecker(v, at(-60));
    expect(await rejectChecker(h.db, v.admin, await openBindingId(v.venueId, rejected.accountId), at(-50))).toEqual({ ok: true });
    const elsewhere = (await door()).c;
    for (const actor of [pending, rejected, elsewhere, v.admin, await newActor()]) {
      expect(await record(actor, scan(v.venueId, p.token, at(0)), at(0))).toEqual({ ok: false, reason: 'not_checker' });
    }
    expect(httpStatusOf('not_checker')).toBe(403);
    expect(await countCheckins(v.venueId)).toBe(0);
  });

  it('judges the binding by time ranges: before approval refused, from approval accepted', async () => {
    const v = await newVenue('approval');
    const p = await newPerson();
    const c = await bindChecker(v, at(0));
    expect(await approveChecker(h.db, v.admin, await openBindingId(v.venueId, c.accountId), at(10))).toEqual({ ok: true });
    // Scanned while still pending, sent after the approval.
    expect(await record(c, scan(v.venueId, p.token, at(5)), at(20))).toEqual({ ok: false, reason: 'not_checker' });
    expect(await record(c, scan(v.venueId, p.token, ms(at(10), -1)), at(20))).toEqual({ ok: false, reason: 'not_checker' });
    expect(await countCheckins(v.venueId)).toBe(0);
    expect(await record(c, scan(v.venueId, p.token, at(10)), at(20))).toMatchObject({
      ok: true,
      record: { effectiveAt: at(10).toISOString() },
    });
  });

  it('accepts a record from before the removal that arrives after it; refuses one from the removal on', async () => {
    const { v, c } = await door();
    const p = await newPerson();
    const q = await newPerson();
    expect(await removeChecker(h.db, v.admin, await openBindingId(v.venueId, c.accountId), at(100))).toEqual({ ok: true });
    // Queued offline at 11:30, sent at 13:20 after the removal at 11:40.
    const late = stored(await record(c, scan(v.venueId, p.token, at(90)), at(200)));
    expect(late).toMatchObject({ late: true, effectiveAt: at(90).toISOString() });
    // A scanner clock 30 minutes fast: its own time says after the removal; the corrected time is before.
    const skewed = stored(await record(c, scan(v.venueId, q.token, at(129), { clockOffsetMs: -30 * MIN }), at(200)));
    expect(skewed.effectiveAt).toBe(at(99).toISOString());
    expect(await countCheckins(v.venueId)).toBe(2);
    for (const [effective, offset] of [
      [at(100), 0],
      [at(101), 0],
      [at(70), 31 * MIN],
    ] as const) {
      expect(await record(c, scan(v.venueId, p.token, effective, { clockOffsetMs: offset }), at(200))).toEqual({
        ok: false,
        reason: 'not_checker',
      });
    }
    expect(await countCheckins(v.venueId)).toBe(2);
  });

  it('the same for unbinding oneself', async () => {
    const { v, c } = await door();
    const p = await newPerson();
    expect(await unbindSelf(h.db, c, v.venueId, at(50))).toEqual({ ok: true });
    expect(await record(c, scan(v.venueId, p.token, at(51)), at(60))).toEqual({ ok: false, reason: 'not_checker' });
    expect(await record(c, scan(v.venueId, p.token, at(50)), at(60))).toEqual({ ok: false, reason: 'not_checker' });
    expect(await countCheckins(v.venueId)).toBe(0);
    expect(await record(c, scan(v.venueId, p.token, ms(at(50), -1)), at(60))).toMatchObject({ ok: true });
  });
});

describe('the code must verify', () => {
  it('refuses foreign text, a bad signature, a superseded token and an unknown person, storing nothing', async () => {
    const { v, c } = await door();
    const p = await newPerson();
    const oldToken = p.token;
    const i = oldToken.length - 10;
    const tampered = oldToken.slice(0, i) + (oldToken[i] === 'A' ? 'B' : 'A') + oldToken.slice(i + 1);
    const otherKeys = codeKeysFromSeed(Buffer.alloc(32, 6).toString('base64'));
    const cases: [string, string][] = [
      ['https://weixin.qq.com/r/abc', 'not_ours'],
      ['粤康码', 'not_ours'],
      ['', 'not_ours'],
      [tampered, 'bad_signature'],
      [signCodeToken(otherKeys, { personId: p.personId, kind: 'personal', generation: 1 }), 'bad_signature'],
      [signCodeToken(codeKeys, { personId: randomUUID(), kind: 'personal', generation: 1 }), 'unknown_person'],
      [signCodeToken(codeKeys, { personId: p.personId, kind: 'personal', generation: 2 }), 'superseded'],
    ];
    for (const [code, reason] of cases) {
      expect(await record(c, scan(v.venueId, code, at(0)), at(0)), reason).toEqual({ ok: false, reason });
      expect(httpStatusOf(reason)).toBe(422);
    }
    expect(await countCheckins(v.venueId)).toBe(0);

    await reissueCodes(h.db, { accountId: p.accountId }, p.personId);
    expect(await record(c, scan(v.venueId, oldToken, at(1)), at(1))).toEqual({ ok: false, reason: 'superseded' });
    const offline = await getCodeForAccount(h.db, { codeKeys, fieldKeys }, { accountId: p.accountId }, p.personId, 'offline');
    expect(await record(c, scan(v.venueId, offline!.token, at(2)), at(2))).toMatchObject({ ok: true });
    expect(await record(c, scan(v.venueId, (await freshCodes(p)).token, at(3)), at(3))).toMatchObject({ ok: true });
    expect(await countCheckins(v.venueId)).toBe(2);
  });

  it('refuses a typed code by format, checksum or as unknown, and the old one after a reissue as superseded', async () => {
    const { v, c } = await door();
    const p = await newPerson();
    const wrong = p.shortCode.slice(0, 9) + (p.shortCode[9] === 'A' ? 'B' : 'A');
    let body = '23456789A';
    if (body + computeShortCodeCheckChar(body) === p.shortCode) body = '23456789B';
    const unknown = body + computeShortCodeCheckChar(body);
    for (const [code, reason] of [
      ['O0I1', 'format'],
      ['', 'format'],
      [p.token, 'format'],
      [wrong, 'checksum'],
      [unknown, 'unknown_code'],
    ]) {
      expect(await record(c, typed(v.venueId, code, at(0)), at(0)), code).toEqual({ ok: false, reason });
    }
    expect(await countCheckins(v.venueId)).toBe(0);
    await reissueCodes(h.db, { accountId: p.accountId }, p.personId);
    // The ended short code still names its person and generation; effective after the re-issue it is refused.
    expect(await record(c, typed(v.venueId, p.shortCode, at(1)), at(1))).toEqual({ ok: false, reason: 'superseded' });
    expect(await countCheckins(v.venueId)).toBe(0);
    expect(await record(c, typed(v.venueId, (await freshCodes(p)).shortCode, at(2)), at(2))).toMatchObject({
      ok: true,
      record: { method: 'typed' },
    });
  });

  it('refuses malformed payloads as invalid', async () => {
    const { v, c } = await door();
    const p = await newPerson();
    const good = scan(v.venueId, p.token, at(0));
    const bad: unknown[] = [
      { ...good, clientId: 'not-a-uuid' },
      { ...good, venueId: 'venue-1' },
      { ...good, method: 'manual' },
      { ...good, code: 42 },
      { ...good, code: 'x'.repeat(301) },
      // The door does not take quick check-ins: they have their own front.
      { ...good, method: 'quick', code: p.personId, temperature: undefined },
    ];
    for (const payload of bad)
      expect(await record(c, payload as CheckinPayload, at(0)), JSON.stringify(payload)).toEqual({ ok: false, reason: 'invalid' });
    expect(await countCheckins(v.venueId)).toBe(0);
  });
});

describe('temperature and time are checked by the server', () => {
  it('refuses temperatures out of format or range, storing nothing', async () => {
    const { v, c } = await door();
    const p = await newPerson();
    const cases: [unknown, string][] = [
      ['36.65', 'temperature_format'],
      ['', 'temperature_format'],
      [undefined, 'temperature_format'],
      [null, 'temperature_format'],
      ['abc', 'temperature_format'],
      ['33.9', 'temperature_too_low'],
      [33.9, 'temperature_too_low'],
      ['43.1', 'temperature_too_high'],
      [45, 'temperature_too_high'],
    ];
    for (const [temperature, reason] of cases) {
      expect(await record(c, scan(v.venueId, p.token, at(0), { temperature: temperature as string }), at(0)), String(temperature)).toEqual({
        ok: false,
        reason,
      });
    }
    expect(await countCheckins(v.venueId)).toBe(0);
    for (const [temperature, deci] of [
      ['34.0', 340],
      ['43.0', 430],
      ['36,6', 366],
    ] as const) {
      const r = stored(await record(c, scan(v.venueId, (await newPerson()).token, at(1), { temperature }), at(1)));
      expect((await rowById(v.venueId, r.id)).temperatureDeci).toBe(deci);
    }
  });

  it('refuses invalid, future and too old times; clamps a slightly-ahead one to now; flags late ones', async () => {
    const v = await newVenue();
    const c = await bindChecker(v, at(-20 * 24 * 60));
    const p = await newPerson();
    const now = at(0);
    const cases: [Partial<CheckinPayload>, string][] = [
      [{ scannedAt: NaN }, 'invalid_time'],
      [{ scannedAt: now.getTime() + 0.5 }, 'invalid_time'],
      [{ scannedAt: String(now.getTime()) as unknown as number }, 'invalid_time'],
      [{ clockOffsetMs: 0.5 }, 'invalid_time'],
      [{ clockOffsetMs: DAY + 1 }, 'invalid_time'],
      [{ scannedAt: now.getTime() + 31_000 }, 'future'],
      [{ scannedAt: now.getTime(), clockOffsetMs: 60 * MIN }, 'future'],
      [{ scannedAt: now.getTime() - 14 * DAY - 1 }, 'too_old'],
      [{ scannedAt: now.getTime() - 14 * DAY + MIN, clockOffsetMs: -2 * MIN }, 'too_old'],
    ];
    for (const [change, reason] of cases) {
      expect(await record(c, scan(v.venueId, p.token, now, change), now), JSON.stringify(change)).toEqual({ ok: false, reason });
    }
    expect(await countCheckins(v.venueId)).toBe(0);

    const ahead = stored(await record(c, scan(v.venueId, p.token, ms(now, 20_000)), now));
    expect(ahead).toMatchObject({ effectiveAt: now.toISOString(), late: false });
    const q = await newPerson();
    expect(stored(await record(c, scan(v.venueId, q.token, ms(now, -5 * MIN)), now)).late).toBe(false);
    const r = await newPerson();
    expect(stored(await record(c, scan(v.venueId, r.token, ms(now, -5 * MIN - 1)), now)).late).toBe(true);
    const s = await newPerson();
    expect(stored(await record(c, scan(v.venueId, s.token, ms(now, -14 * DAY)), now))).toMatchObject({
      late: true,
      effectiveAt: ms(now, -14 * DAY).toISOString(),
    });
    expect(await countCheckins(v.venueId)).toBe(4);
    expect(await countCheckins(v.venueId, eq(checkins.late, true))).toBe(2);
  });
});

describe('the colour at the effective time (V13)', () => {
  it('a late record takes the colour the person had when it was taken', async () => {
    const official = await newAccount();
    await grantRole(h.db, official, 'health_official', null);
    const { v, c } = await door();
    const p = await newPerson('司马懿');
    const T1 = at(60);
    const T2 = at(300);
    const ref = { idType: 'cn_resident', idNumber: p.idNumber };
    expect(
      await setColourByOfficial(h.db, fieldKeys, { accountId: official }, { ...ref, colour: 'red', reason: 'close_contact' }, T1),
    ).toEqual({ ok: true });
    expect(await setColourByOfficial(h.db, fieldKeys, { accountId: official }, { ...ref, colour: 'green' }, T2)).toEqual({ ok: true });

    // All sent at once from an offline queue after T2.
    const now = at(310);
    const before = stored(await record(c, scan(v.venueId, p.token, ms(T1, -1)), now));
    expect(before).toMatchObject({ colour: 'green', redReason: null, late: true });
    const atT1 = stored(await record(c, scan(v.venueId, p.token, T1), now));
    expect(atT1).toMatchObject({ colour: 'red', redReason: 'close_contact' });
    const during = stored(await record(c, scan(v.venueId, p.token, at(200)), now));
    expect(during).toMatchObject({ colour: 'red', redReason: 'close_contact' });
    const after = stored(await record(c, scan(v.venueId, p.token, at(305)), now));
    expect(after).toMatchObject({ colour: 'green', redReason: null, late: false });
    // A red code is still recorded (V13); the row keeps the colour at the time.
    expect((await rowById(v.venueId, during.id)).colour).toBe('red');
    expect(await countCheckins(v.venueId, eq(checkins.colour, 'red'))).toBe(2);
    expectNoClearIdentity([before, atT1, during, after], p);
  });
});

describe('quick check-ins (V10) go through the same rules', () => {
  const quickResolver: PersonResolver = async (payload) => {
    if (payload.method !== 'quick' || !isUuid(payload.code)) return { ok: false, reason: 'invalid' };
    const person = await personForScan(h.db, payload.code);
    if (!person) return { ok: false, reason: 'unknown_person' };
    return {
      ok: true,
      person: {
        personId: person.id,
        idHash: person.idHash,
        kind: 'personal',
        nameMasked: person.nameMasked,
        gender: person.gender as 'M' | 'F',
        birthDate: person.birthDate,
        codeGeneration: null,
      },
    };
  };
  const quickPayload = (venueId: string, personId: string, effective: Date, extra: Partial<CheckinPayload> = {}): CheckinPayload => ({
    clientId: randomUUID(),
    venueId,
    method: 'quick',
    code: personId,
    scannedAt: effective.getTime(),
    clockOffsetMs: 0,
    ...extra,
  });
  const quick = async (actor: Actor, p: CheckinPayload, now: Date) =>
    (await recordCheckins(h.db, [{ actor, payload: p, now, resolve: quickResolver }]))[0];

  it('stores a normal check-in without a temperature, attributed to the checker', async () => {
    const { v, c } = await door();
    const p = await newPerson('黄月英', 'F', '1985-03-03');
    const payload = quickPayload(v.venueId, p.personId, at(0));
    const r = await quick(c, payload, at(0));
    expect(r).toEqual({
      ok: true,
      duplicate: false,
      record: expect.objectContaining({
        method: 'quick',
        temperature: null,
        fever: false,
        colour: 'green',
        supersedes: null,
        person: { nameMasked: '黄**', gender: 'F', ageBand: '40-49' },
      }),
    });
    expectNoClearIdentity(r, p);
    expect(await rowById(v.venueId, stored(r).id)).toMatchObject({
      checkerAccountId: c.accountId,
      temperatureDeci: null,
      personId: p.personId,
    });
    for (const temperature of [null, ''])
      expect(await quick(c, quickPayload(v.venueId, p.personId, at(40), { temperature }), at(40 + 1))).toMatchObject({ ok: true });
    // Exactly once as well.
    expect(await quick(c, { ...payload }, at(90))).toEqual({ ...r, duplicate: true });
    expect(await quick(c, { ...payload, scannedAt: payload.scannedAt + 1000 }, at(90))).toEqual({ ok: false, reason: 'conflict' });
    expect(await countCheckins(v.venueId)).toBe(3);
  });

  it('refuses a temperature, a non-checker, bad times and an unknown person, storing nothing', async () => {
    const { v, c } = await door();
    const p = await newPerson();
    for (const temperature of ['36.5', 36.5, '37.5', 'x']) {
      expect(await quick(c, quickPayload(v.venueId, p.personId, at(0), { temperature }), at(0))).toEqual({ ok: false, reason: 'invalid' });
    }
    expect(await quick(await newActor(), quickPayload(v.venueId, p.personId, at(0)), at(0))).toEqual({ ok: false, reason: 'not_checker' });
    expect(await quick((await door()).c, quickPayload(v.venueId, p.personId, at(0)), at(0))).toEqual({ ok: false, reason: 'not_checker' });
    expect(await quick(c, quickPayload(v.venueId, p.personId, at(5)), at(0))).toEqual({ ok: false, reason: 'future' });
    expect(await quick(c, quickPayload(v.venueId, p.personId, at(-15 * 24 * 60)), at(0))).toEqual({ ok: false, reason: 'too_old' });
    expect(await quick(c, quickPayload(v.venueId, p.personId, at(0), { scannedAt: 1.5 }), at(0))).toEqual({
      ok: false,
      reason: 'invalid_time',
    });
    expect(await quick(c, quickPayload(v.venueId, randomUUID(), at(0)), at(0))).toEqual({ ok: false, reason: 'unknown_person' });
    expect(await countCheckins(v.venueId)).toBe(0);
  });

  it('supersedes and is superseded like any record, with the colour at its time', async () => {
    const official = await newAccount();
    await grantRole(h.db, official, 'health_official', null);
    const { v, c } = await door();
    const p = await newPerson();
    await setColourByOfficial(
      h.db,
      fieldKeys,
      { accountId: official },
      { idType: 'cn_resident', idNumber: p.idNumber, colour: 'red', reason: 'home_isolation' },
      at(3),
    );
    const S = stored(await record(c, scan(v.venueId, p.token, at(0)), at(0)));
    const Q = stored(await quick(c, quickPayload(v.venueId, p.personId, at(5)), at(5)));
    // Like with like: the quick check-in never supersedes the scan; it is counted by it (stored superseded).
    expect(Q).toMatchObject({ supersedes: null, storedSuperseded: true, colour: 'red', redReason: 'home_isolation' });
    expect((await rowById(v.venueId, Q.id)).supersededById).toBe(S.id);
    const late = stored(await quick(c, quickPayload(v.venueId, p.personId, at(2)), at(30)));
    expect(late).toMatchObject({ supersedes: null, storedSuperseded: true, colour: 'green', late: true });
    expect((await rowById(v.venueId, late.id)).supersededById).toBe(Q.id);
    expect(await standingCount(v.venueId)).toBe(1);
  });
});

describe("the checker's summary for today", () => {
  it('counts by China day: 23:59 CST yesterday is not today', async () => {
    const v = await newVenue();
    const c = await bindChecker(v, new Date('2026-11-30T00:00:00Z'));
    const other = await bindChecker(v, new Date('2026-11-30T00:00:00Z'));
    const v2 = await newVenue();
    await bindChecker(v2, new Date('2026-11-30T00:00:00Z'), c);
    const now = new Date('2026-12-02T02:00:00Z'); // 10:00 CST, 2 December
    const people = await Promise.all(['甲一', '乙二', '丙三', '丁四', '戊五'].map((n) => newPerson(n)));
    const send = (actor: Actor, venueId: string, p: Person, iso: string, temperature = '36.5') =>
      record(actor, scan(venueId, p.token, new Date(iso), { temperature }), now).then(stored);
    await send(c, v.venueId, people[0], '2026-12-01T15:59:00Z'); // 23:59 CST 1 December
    const first = await send(c, v.venueId, people[1], '2026-12-01T16:00:00Z', '37.6'); // 00:00 CST 2 December
    const second = await send(c, v.venueId, people[2], '2026-12-02T01:30:00Z'); // 09:30 CST
    await send(other, v.venueId, people[3], '2026-12-02T01:00:00Z');
    await send(c, v2.venueId, people[4], '2026-12-02T01:00:00Z');

    const summary = await checkerSummaryToday(h.db, c, v.venueId, now);
    expect(summary).toEqual({
      count: 2,
      recent: [
        {
          id: second.id,
          nameMasked: '丙*',
          temperature: '36.5',
          fever: false,
          colour: 'green',
          method: 'scan',
          at: '2026-12-02T01:30:00.000Z',
          standing: true,
          corrected: null,
        },
        {
          id: first.id,
          nameMasked: '乙*',
          temperature: '37.6',
          fever: true,
          colour: 'green',
          method: 'scan',
          at: '2026-12-01T16:00:00.000Z',
          standing: true,
          corrected: null,
        },
      ],
    });
    expectNoClearIdentity(summary, ...people);
    // Just before midnight CST the 23:59 record is today's.
    expect((await checkerSummaryToday(h.db, c, v.venueId, new Date('2026-12-01T15:59:30Z')))!.count).toBe(1);
    expect((await checkerSummaryToday(h.db, other, v.venueId, now))!.count).toBe(1);
    expect((await checkerSummaryToday(h.db, c, v2.venueId, now))!.count).toBe(1);
    // Not for someone not bound here.
    expect(await checkerSummaryToday(h.db, await newActor(), v.venueId, now)).toBeNull();
    expect(await checkerSummaryToday(h.db, v.admin, v.venueId, now)).toBeNull();
  });

  it('lists the last five, newest first, the corrected ones marked; counts 人次 (standing records) as the dashboard does', async () => {
    const { v, c } = await door();
    const p = await newPerson('欧阳修远');
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push(stored(await record(c, scan(v.venueId, p.token, at(i * 5)), at(i * 5))).id);
    const summary = await checkerSummaryToday(h.db, c, v.venueId, at(60));
    // One person re-scanned every 5 minutes: each record corrects the one before — one visit, 1 人次.
    expect(summary!.count).toBe(1);
    expect(summary!.recent.map((r) => r.id)).toEqual(ids.slice(2).reverse());
    expect(summary!.recent.map((r) => r.standing)).toEqual([true, false, false, false, false]);
    expect(summary!.recent[1].corrected).toEqual({ temperature: '36.5' });
    expectNoClearIdentity(summary, p);
  });
});
