// SPEC T6 (门口红码) and the audit log readers (#20): region scoping, the reveal audited in the same
// transaction as the read, follow-up transitions and bad input, and the venue admin's whitelist.
// Dated from the real clock: "today" is the China day of now.
import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '@/db';
import { appendAudit } from '@/db/queries/audit';
import { grantRole } from '@/db/queries/roles';
import { auditLog, doorRedFollowups } from '@/db/schema';
import { setColourByOfficial } from '@/lib/health-code/officials';
import { readRegionAudit } from '@/lib/officials/audit-reader';
import { followUpRedCode, redCodesForOfficial, revealRedCode } from '@/lib/officials/door-reds';
import { VENUE_AUDIT_ACTIONS } from '@/lib/audit/actions';
import { venueAuditOf } from '@/lib/venues/venue-audit';
import { createFixtures, expectNoClearIdentity, MIN, ms, type Actor, type Person, type Venue } from '../helpers/fixtures';
import { asOwner } from '../helpers/test-db';

const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);
const f = createFixtures({
  phone: { prefix: '147', base: 6_100_000, step: 37 },
  ids: { fromYear: 1963, stepDays: 19 },
  venue: { namePrefix: '红码核实场所', address: '天河北路 8 号', contactPhone: '020-87776655' },
  checker: { displayName: '门岗阿红', ip: '10.73.0.1', secret: 'test-secret-door-reds' },
  base: NOW,
});
const { h } = f;

/**
 * Makes the database refuse audit rows of `action` while `work` runs: a trigger in this file's own database,
 * created and dropped with the owner's rights (the app role may not alter the table). The failure is a real
 * one inside the caller's transaction, so whatever the transaction wrote before it must roll back with it.
 */
async function withAuditRefused<T>(action: string, work: () => Promise<T>): Promise<T> {
  await asOwner(h, async (db) => {
    await db.execute(
      sql.raw(`create function refuse_audit_for_test() returns trigger language plpgsql as $$
      begin
        if new.action = tg_argv[0] then raise exception 'audit unavailable'; end if;
        return new;
      end $$`),
    );
    await db.execute(
      sql.raw(`create trigger refuse_audit_for_test before insert on audit_log for each row
        execute function refuse_audit_for_test('${action.replaceAll("'", "''")}')`),
    );
  });
  try {
    return await work();
  } finally {
    await asOwner(h, async (db) => {
      await db.execute(sql.raw('drop trigger refuse_audit_for_test on audit_log'));
      await db.execute(sql.raw('drop function refuse_audit_for_test()'));
    });
  }
}

let v: Venue;
let w: Venue;
let checker: Actor;
let red: Person;
let green: Person;
let redCheckin: string;
const official = {} as Record<'province' | 'tianhe' | 'yuexiu', Actor & { phone: string }>;
let resident: Actor;

async function auditCount() {
  const [row] = await h.db.select({ n: sql<number>`count(*)::int` }).from(auditLog);
  return Number(row.n);
}
async function followUpRow() {
  const [row] = await h.db
    .select()
    .from(doorRedFollowups)
    .where(and(eq(doorRedFollowups.venueId, v.venueId), eq(doorRedFollowups.checkinId, redCheckin)));
  return row ?? null;
}
const phoneOf = async (accountId: string) =>
  rowsOf<{ phone: string }>(await h.db.execute(sql`select phone from accounts where id = ${accountId}`))[0].phone;

beforeAll(async () => {
  const db = h.db;
  for (const [who, region] of [
    ['province', '44'],
    ['tianhe', '440106'],
    ['yuexiu', '440104'],
  ] as const) {
    const a = await f.newActor();
    await grantRole(db, a.accountId, 'health_official', null, region);
    official[who] = { ...a, phone: await phoneOf(a.accountId) };
  }
  resident = await f.newActor();
  ({ v, c: checker } = await f.door());
  w = await f.newVenue();
  red = await f.newPerson('上官红英');
  green = await f.newPerson('司徒青山');
  const set = await setColourByOfficial(
    db,
    f.fieldKeys,
    official.province,
    { idType: 'cn_resident', idNumber: red.idNumber, colour: 'red', reason: 'close_contact' },
    ms(NOW, -60 * MIN),
  );
  expect(set).toEqual({ ok: true });
  redCheckin = f.stored(await f.record(checker, f.scan(v.venueId, red.token, ms(NOW, -10 * MIN)), ms(NOW, -10 * MIN))).id;
  f.stored(await f.record(checker, f.scan(v.venueId, green.token, ms(NOW, -9 * MIN)), ms(NOW, -9 * MIN)));
});

describe('门口红码: region scoping (SPEC T6)', () => {
  it('the district official sees the red code masked; another district sees none; the province sees it', async () => {
    const mine = await redCodesForOfficial(h.db, official.tianhe, { range: 'today', page: 1 }, NOW);
    expect(mine?.rows.map((r) => r.checkinId)).toEqual([redCheckin]);
    expect(mine?.rows[0]).toMatchObject({
      venueName: v.name,
      redReason: 'close_contact',
      status: 'pending',
      nameMasked: expect.any(String),
    });
    expect(mine?.counts).toEqual({ pending: 1, verified: 0, handled: 0 });
    expectNoClearIdentity(mine, red, green);

    const elsewhere = await redCodesForOfficial(h.db, official.yuexiu, { range: 'week', page: 1 }, NOW);
    expect(elsewhere?.rows).toEqual([]);
    expect(elsewhere?.counts).toEqual({ pending: 0, verified: 0, handled: 0 });

    const province = await redCodesForOfficial(h.db, official.province, { range: 'week', page: 1 }, NOW);
    expect(province?.rows.map((r) => r.checkinId)).toContain(redCheckin);
    expect(await redCodesForOfficial(h.db, resident, { range: 'today', page: 1 }, NOW)).toBeNull();
  });
});

describe('reveal: a reason, and its audit row in the same transaction (SPEC T5)', () => {
  const reveal = (who: Actor, reason: string, checkinId = redCheckin) =>
    h.db.transaction((tx) => revealRedCode(tx as never, f.fieldKeys, who, { venueId: v.venueId, checkinId, reason }, NOW));

  it('refuses without a proper reason, and to another district or a non-official; nothing audited', async () => {
    const before = await auditCount();
    expect(await reveal(official.tianhe, '')).toEqual({ ok: false, reason: 'reason_length' });
    expect(await reveal(official.tianhe, '查')).toEqual({ ok: false, reason: 'reason_length' });
    expect(await reveal(official.tianhe, '查'.repeat(201))).toEqual({ ok: false, reason: 'reason_length' });
    expect(await reveal(official.tianhe, '核实\u0000身份')).toEqual({ ok: false, reason: 'text_control' });
    expect(await reveal(official.yuexiu, '核实身份')).toEqual({ ok: false, reason: 'not_found' });
    expect(await reveal(resident, '核实身份')).toEqual({ ok: false, reason: 'forbidden' });
    expect(await reveal(official.tianhe, '核实身份', '00000000-0000-4000-8000-000000000000')).toEqual({ ok: false, reason: 'not_found' });
    expect(await auditCount()).toBe(before);
  });

  it('reveals nothing when its audit row cannot be written', async () => {
    await withAuditRefused('door_red.reveal', () => expect(reveal(official.tianhe, '核实身份')).rejects.toThrow('audit unavailable'));
    expect(await h.db.select().from(auditLog).where(eq(auditLog.action, 'door_red.reveal'))).toEqual([]);
  });

  it('shows the full identity with the reason written to the audit', async () => {
    const got = await reveal(official.tianhe, '  社区核实 红码人员  ');
    expect(got).toEqual({ ok: true, person: { name: red.name, idType: 'cn_resident', idNumber: red.idNumber, nationality: null } });
    const rows = await h.db.select().from(auditLog).where(eq(auditLog.action, 'door_red.reveal'));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actorAccountId: official.tianhe.accountId,
      targetType: 'person',
      targetId: red.personId,
      venueId: v.venueId,
      reason: '社区核实 红码人员',
    });
    expectNoClearIdentity(rows[0], red);
  });
});

describe('follow-up: 待核实 → 已核实 → 已处置', () => {
  const follow = (who: Actor, status: string, note = '') =>
    h.db.transaction((tx) => followUpRedCode(tx as never, who, { venueId: v.venueId, checkinId: redCheckin, status, note }, NOW));

  it('bad input and strangers get their reason and change nothing', async () => {
    const before = await auditCount();
    expect(await follow(official.tianhe, 'done')).toEqual({ ok: false, reason: 'invalid_status' });
    expect(await follow(official.tianhe, 'pending')).toEqual({ ok: false, reason: 'invalid_status' });
    expect(await follow(official.tianhe, 'verified', '备'.repeat(501))).toEqual({ ok: false, reason: 'note_too_long' });
    expect(await follow(official.tianhe, 'verified', '已联系\u0000社区')).toEqual({ ok: false, reason: 'text_control' });
    expect(await follow(official.tianhe, 'verified', '已联系\u202E社区')).toEqual({ ok: false, reason: 'text_control' });
    expect(await follow(official.yuexiu, 'verified')).toEqual({ ok: false, reason: 'not_found' });
    expect(await follow(resident, 'verified')).toEqual({ ok: false, reason: 'forbidden' });
    expect(await followUpRow()).toBeNull();
    expect(await auditCount()).toBe(before);
  });

  it('writes no follow-up when its audit row cannot be written: the two commit or roll back together', async () => {
    const before = await auditCount();
    await withAuditRefused('door_red.follow_up', () =>
      expect(follow(official.tianhe, 'verified', '已电话联系本人')).rejects.toThrow('audit unavailable'),
    );
    expect(await followUpRow()).toBeNull();
    expect(await auditCount()).toBe(before);
  });

  it('moves forwards with an audit row each (venueId), never back', async () => {
    expect(await follow(official.tianhe, 'verified', '已电话联系本人')).toEqual({ ok: true, status: 'verified' });
    expect(await followUpRow()).toMatchObject({ status: 'verified', note: '已电话联系本人', byAccountId: official.tianhe.accountId });
    expect(await follow(official.province, 'handled', '已转运隔离点')).toEqual({ ok: true, status: 'handled' });
    expect(await follow(official.tianhe, 'verified')).toEqual({ ok: false, reason: 'backwards' });
    expect(await followUpRow()).toMatchObject({ status: 'handled', note: '已转运隔离点' });
    const rows = await h.db.select().from(auditLog).where(eq(auditLog.action, 'door_red.follow_up'));
    expect(rows.map((r) => [r.venueId, r.details])).toEqual([
      [v.venueId, { from: 'pending', to: 'verified', note: true }],
      [v.venueId, { from: 'verified', to: 'handled', note: true }],
    ]);
    const list = await redCodesForOfficial(h.db, official.tianhe, { range: 'today', status: 'handled', page: 1 }, NOW);
    expect(list?.rows.map((r) => [r.checkinId, r.status])).toEqual([[redCheckin, 'handled']]);
    expect(list?.counts).toEqual({ pending: 0, verified: 0, handled: 1 });
  });
});

describe('审计日志 for officials', () => {
  const read = (who: Actor, q: Record<string, string> = {}) =>
    h.db.transaction((tx) => readRegionAudit(tx as never, f.fieldKeys, who, q, NOW));
  const actionsOf = (r: Awaited<ReturnType<typeof read>>) => (r.ok ? r.rows.map((x) => x.action) : null);

  beforeAll(async () => {
    // A row with a person target and no venue (the province's look-up of the red person), at 天河 through their visit.
    await appendAudit(h.db, {
      actorAccountId: official.province.accountId,
      action: 'official.lookup',
      targetType: 'person',
      targetId: red.personId,
    });
  });

  it('the district sees its venue, its persons and its officials; another district none of them; the province all', async () => {
    const mine = await read(official.tianhe, { venue: v.inviteCode });
    expect(actionsOf(mine)).toEqual(expect.arrayContaining(['door_red.follow_up', 'door_red.reveal']));
    const byPerson = await read(official.tianhe, { idType: 'cn_resident', idNumber: red.idNumber });
    expect(actionsOf(byPerson)).toEqual(expect.arrayContaining(['official.lookup', 'door_red.reveal', 'status.set']));

    const elsewhere = await read(official.yuexiu);
    expect(elsewhere.ok && elsewhere.rows.filter((r) => r.venueName === v.name || r.targetNameMasked)).toEqual([]);
    expect(actionsOf(elsewhere)).not.toContain('door_red.follow_up');
    expect(actionsOf(elsewhere)).not.toContain('official.lookup');
    expect(actionsOf(await read(official.yuexiu, { venue: v.inviteCode }))).toEqual([]);
    // The 天河 official's own reading (no venue) is in 天河's log, not 越秀's.
    expect(actionsOf(await read(official.tianhe, { actor: official.tianhe.phone, action: 'audit.read' }))?.length).toBeGreaterThan(0);
    expect(actionsOf(await read(official.yuexiu, { actor: official.tianhe.phone }))).toEqual([]);

    const all = await read(official.province, { venue: v.name });
    expect(actionsOf(all)).toEqual(expect.arrayContaining(['door_red.follow_up', 'door_red.reveal']));
    expect(await read(resident)).toEqual({ ok: false, reason: 'forbidden' });
  });

  it('each reading is audited with its filters and no personal data; bad filters read and audit nothing', async () => {
    const before = await auditCount();
    await read(official.tianhe, {
      idType: 'cn_resident',
      idNumber: red.idNumber,
      actor: official.province.phone,
      action: 'door_red.reveal',
    });
    const [row] = await h.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'audit.read'))
      .orderBy(sql`id desc`)
      .limit(1);
    expect(row).toMatchObject({
      actorAccountId: official.tianhe.accountId,
      details: expect.objectContaining({ byDocument: true, actorAccountId: official.province.accountId, action: 'door_red.reveal' }),
    });
    expect(JSON.stringify(row)).not.toContain(official.province.phone);
    expectNoClearIdentity(row, red);
    expect(await auditCount()).toBe(before + 1);

    const bads: Record<string, string>[] = [
      { actor: '12345' },
      { action: 'drop.table' },
      { from: '2026-13-40' },
      { from: '2026-02-30' },
      { to: '0000-01-01' },
      { idNumber: '12345' },
      { venue: 'a\u202Eb' },
    ];
    for (const bad of bads) {
      expect(await read(official.tianhe, bad)).toMatchObject({ ok: false, reason: 'invalid' });
    }
    expect(await auditCount()).toBe(before + 1);
  });
});

describe('审计记录 for venue admins: a whitelist, nothing of a visitor', () => {
  it('the admin reads whitelisted rows of their venue only, never a person-level row; a checker is refused', async () => {
    // A whitelisted action that names a person must still not appear.
    await appendAudit(h.db, {
      actorAccountId: v.admin.accountId,
      action: 'venue.edit',
      targetType: 'person',
      targetId: red.personId,
      venueId: v.venueId,
    });
    await appendAudit(h.db, {
      actorAccountId: v.admin.accountId,
      action: 'entrance.add',
      targetType: 'venue_entrance',
      venueId: v.venueId,
      details: { name: '东门', secret: red.name },
    });
    const got = await venueAuditOf(h.db, v.admin, 1);
    if (!got.ok) throw new Error(JSON.stringify(got));
    expect(got.entries.length).toBeGreaterThan(0);
    for (const e of got.entries) expect(Object.keys(VENUE_AUDIT_ACTIONS)).toContain(e.action);
    expect(got.entries.map((e) => e.action)).not.toContain('door_red.reveal');
    expect(got.entries.filter((e) => e.action === 'venue.edit')).toEqual([]);
    expect(got.entries.find((e) => e.action === 'entrance.add')?.details).toEqual({ name: '东门' });
    expectNoClearIdentity(got, red, green);

    expect(await venueAuditOf(h.db, checker, 1)).toEqual({ ok: false, reason: 'not_admin' });
    const other = await venueAuditOf(h.db, w.admin, 1);
    expect(other.ok && other.entries.filter((e) => e.action === 'entrance.add')).toEqual([]);
  });
});
