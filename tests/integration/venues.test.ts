import { and, count, eq, sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db';
import { pgErrorCode } from '@/db/errors';
import { findOrCreateAccount } from '@/db/queries/accounts';
import { venueById, venueOfAdmin } from '@/db/queries/venues';
import { auditLog, venueInfoEdits, venues } from '@/db/schema';
import { SHORT_CODE_ALPHABET } from '@/lib/health-code/short-code';
import { listRegionChildren } from '@/lib/regions/divisions';
import { bindByInviteCode, type InviteLimits } from '@/lib/venues/checkers';
import { editVenueInfo, nextInfoEditAllowedAt } from '@/lib/venues/edit-venue';
import { generateInviteCode } from '@/lib/venues/invite-code';
import { registerVenue } from '@/lib/venues/register-venue';
import { VENUE_TYPES } from '@/lib/venues/venue-types';
import { createTestDb } from '../helpers/test-db';

let h: DatabaseHandle;
beforeAll(async () => {
  h = await createTestDb();
});
afterAll(async () => {
  await h.close();
});

const limits: InviteLimits = { perAccountPerHour: 1000, perIpPerHour: 1000, secret: 'test-secret-venues' };

let phoneSeq = 0;
const newPhone = () => `136${String(1_000_000 + (phoneSeq += 1) * 71).padStart(8, '0')}`;
async function newActor() {
  const phone = newPhone();
  const { id } = await findOrCreateAccount(h.db, phone);
  return { accountId: id, phone };
}

// Real Guangdong townships, picked through the region picker's own data: a Guangzhou street and a
// Dongguan town (Dongguan has no district level).
const guangzhouDistricts = () => listRegionChildren('4401');
const townshipA = () => listRegionChildren(guangzhouDistricts()[0].code)[0].code;
const townshipB = () => listRegionChildren('4419')[0].code;

const validInput = (over: Record<string, unknown> = {}) => ({
  name: '天河北社区正门',
  type: 'residential_gate',
  townshipCode: townshipA(),
  address: '天河北路 123 号',
  contactPhone: '020-87654321',
  ...over,
});

async function countRows(table: PgTable, where?: SQL) {
  const [row] = await h.db.select({ n: count() }).from(table).where(where);
  return Number(row.n);
}

async function registered(actor: { accountId: string }, over: Record<string, unknown> = {}) {
  const result = await registerVenue(h.db, actor, validInput(over));
  if (!result.ok) throw new Error(`registration failed: ${JSON.stringify(result)}`);
  return result;
}

/** Runs a statement expected to fail and returns the PostgreSQL error code. */
async function failureCode(run: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await run();
  } catch (error) {
    return pgErrorCode(error);
  }
  throw new Error('statement unexpectedly succeeded');
}

const INVITE_CODE = new RegExp(`^[${SHORT_CODE_ALPHABET}]{8}$`);

describe('region data used by these tests', () => {
  it('offers real Guangdong townships', () => {
    expect(listRegionChildren(null)).toEqual([expect.objectContaining({ code: '44' })]);
    expect(townshipA()).toMatch(/^4401\d{5}$/);
    expect(townshipB()).toMatch(/^4419\d{5}$/);
  });
});

describe('registering a venue (V2)', () => {
  it('registers a valid venue: the account becomes its admin, with a fixed invite code, audited', async () => {
    const actor = await newActor();
    const result = await registerVenue(h.db, actor, validInput({ name: '  正佳  广场 ', contactPhone: '138 0013 8000' }));
    expect(result).toMatchObject({ ok: true });
    if (!result.ok) return;
    expect(result.inviteCode).toMatch(INVITE_CODE);
    const venue = await venueById(h.db, result.venueId);
    expect(venue).toMatchObject({
      name: '正佳 广场',
      type: 'residential_gate',
      townshipCode: townshipA(),
      address: '天河北路 123 号',
      contactPhone: '13800138000',
      inviteCode: result.inviteCode,
      bindingMode: 'approval',
      adminAccountId: actor.accountId,
    });
    expect((await venueOfAdmin(h.db, actor.accountId))?.id).toBe(result.venueId);
    const audit = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'venue.register'), eq(auditLog.targetId, result.venueId)));
    expect(audit).toHaveLength(1);
    expect(audit[0].actorAccountId).toBe(actor.accountId);
  });

  it('accepts every one of the 8 types and a Dongguan township (no district level)', async () => {
    expect(VENUE_TYPES).toHaveLength(8);
    for (const type of VENUE_TYPES) {
      const result = await registerVenue(h.db, await newActor(), validInput({ type, townshipCode: townshipB() }));
      expect(result).toMatchObject({ ok: true });
    }
  });

  it('refuses each invalid field with its own error code, storing nothing', async () => {
    const actor = await newActor();
    const cases: [Record<string, unknown>, Record<string, string>][] = [
      [{ name: '' }, { name: 'required' }],
      [{ name: '   ' }, { name: 'required' }],
      [{ name: undefined }, { name: 'required' }],
      [{ name: 42 }, { name: 'required' }],
      [{ name: '店' }, { name: 'too_short' }],
      [{ name: '店'.repeat(51) }, { name: 'too_long' }],
      [{ type: '' }, { type: 'required' }],
      [{ type: 'casino' }, { type: 'unknown_type' }],
      [{ townshipCode: '' }, { townshipCode: 'region' }], // an empty pick reads like a partial one: choose down to the township
      [{ townshipCode: '110101001' }, { townshipCode: 'region' }], // 北京 东华门街道: a real township, not in Guangdong
      [{ townshipCode: '310101002' }, { townshipCode: 'region' }], // 上海
      [{ townshipCode: guangzhouDistricts()[0].code }, { townshipCode: 'region' }], // a district, not a township
      [{ townshipCode: '4401' }, { townshipCode: 'region' }],
      [{ townshipCode: '44' }, { townshipCode: 'region' }],
      [{ townshipCode: '440103999' }, { townshipCode: 'region' }],
      [{ townshipCode: `${townshipA()}' or 1=1` }, { townshipCode: 'region' }],
      [{ address: '' }, { address: 'required' }],
      [{ address: '路' }, { address: 'too_short' }],
      [{ address: '路'.repeat(101) }, { address: 'too_long' }],
      [{ contactPhone: '' }, { contactPhone: 'required' }],
      [{ contactPhone: '12345' }, { contactPhone: 'phone' }],
      [{ contactPhone: '12800138000' }, { contactPhone: 'phone' }],
      [{ contactPhone: 'call me' }, { contactPhone: 'phone' }],
      // The one text normaliser (issue #16): a NUL was a 500 (PostgreSQL refuses it), a bidi override a
      // spoofed name, zero-width spaces passed "required".
      [{ name: '天河\u0000城' }, { name: 'text_control' }],
      [{ address: '天河路\u0000号' }, { address: 'text_control' }],
      [{ name: '天河城\u202Etxt.exe' }, { name: 'text_control' }],
      [{ name: '\u2066天河城\u2069' }, { name: 'text_control' }],
      [{ name: '\u200B\u200B\u200B' }, { name: 'text_invisible' }],
      [{ address: '\u3164\u200D\uFEFF' }, { address: 'text_invisible' }],
      [{ name: '店\u200B' }, { name: 'too_short' }],
    ];
    const venuesBefore = await countRows(venues);
    const auditBefore = await countRows(auditLog);
    for (const [over, errors] of cases) {
      expect(await registerVenue(h.db, actor, validInput(over)), JSON.stringify(over)).toEqual({ ok: false, errors });
    }
    expect(await registerVenue(h.db, actor, {})).toEqual({
      ok: false,
      errors: { name: 'required', type: 'required', townshipCode: 'region', address: 'required', contactPhone: 'required' },
    });
    expect(await countRows(venues)).toBe(venuesBefore);
    expect(await countRows(auditLog)).toBe(auditBefore);
    expect(await venueOfAdmin(h.db, actor.accountId)).toBeNull();
    // The same account then registers fine.
    expect(await registerVenue(h.db, actor, validInput())).toMatchObject({ ok: true });
  });

  it('accepts the length limits exactly and a landline with extension', async () => {
    const result = await registerVenue(
      h.db,
      await newActor(),
      validInput({ name: '店'.repeat(50), address: '路'.repeat(100), contactPhone: '0755-1234567-89' }),
    );
    expect(result).toMatchObject({ ok: true });
    expect(await registerVenue(h.db, await newActor(), validInput({ name: '小店', address: '一路' }))).toMatchObject({ ok: true });
  });

  it('stores names and addresses through the one normaliser: NFC, invisible characters out, · and emoji kept', async () => {
    const actor = await newActor();
    const result = await registered(actor, { name: '阿依·古丽\u200B的店🧑\u200D🍳', address: '  天河路\u00A0\u00A0123号\u200E ' });
    const venue = await venueById(h.db, result.venueId);
    expect(venue).toMatchObject({ name: '阿依·古丽的店🧑\u200D🍳', address: '天河路 123号' });
  });

  it('refuses a second registration by the same account (V4), storing nothing', async () => {
    const actor = await newActor();
    const first = await registered(actor);
    const before = await countRows(venues);
    expect(await registerVenue(h.db, actor, validInput({ name: '第二个场所' }))).toEqual({ ok: false, reason: 'already_admin' });
    expect(await countRows(venues)).toBe(before);
    expect((await venueOfAdmin(h.db, actor.accountId))?.id).toBe(first.venueId);
  });

  it('lets only one of two concurrent registrations by one account through', async () => {
    const actor = await newActor();
    const results = await Promise.all([
      registerVenue(h.db, actor, validInput({ name: '并发甲' })),
      registerVenue(h.db, actor, validInput({ name: '并发乙' })),
      registerVenue(h.db, actor, validInput({ name: '并发丙' })),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    for (const r of results.filter((x) => !x.ok)) expect(r).toEqual({ ok: false, reason: 'already_admin' });
    expect(await countRows(venues, eq(venues.adminAccountId, actor.accountId))).toBe(1);
    expect(await countRows(auditLog, and(eq(auditLog.action, 'venue.register'), eq(auditLog.actorAccountId, actor.accountId)))).toBe(1);
  });
});

describe('what the database itself refuses', () => {
  it('refuses a second venue with the same admin (unique index), whatever the application does', async () => {
    const actor = await newActor();
    await registered(actor);
    const code = await failureCode(() =>
      h.db
        .insert(venues)
        .values({ ...validInput({ name: '直接插入' }), inviteCode: generateInviteCode(), adminAccountId: actor.accountId }),
    );
    expect(code).toBe('23505');
    expect(await countRows(venues, eq(venues.adminAccountId, actor.accountId))).toBe(1);
  });

  it('refuses moving a venue to an account that already administers another (unique index)', async () => {
    const a = await newActor();
    const b = await newActor();
    const va = await registered(a);
    await registered(b);
    expect(await failureCode(() => h.db.execute(sql`update venues set admin_account_id = ${b.accountId} where id = ${va.venueId}`))).toBe(
      '23505',
    );
    expect((await venueById(h.db, va.venueId))?.adminAccountId).toBe(a.accountId);
  });

  it('refuses a duplicate invite code (unique index)', async () => {
    const a = await registered(await newActor());
    const other = await newActor();
    expect(
      await failureCode(() => h.db.insert(venues).values({ ...validInput(), inviteCode: a.inviteCode, adminAccountId: other.accountId })),
    ).toBe('23505');
  });

  it('refuses changing the invite code (trigger, V3) but allows other updates of the row', async () => {
    const actor = await newActor();
    const v = await registered(actor);
    let fresh = generateInviteCode();
    while (fresh === v.inviteCode) fresh = generateInviteCode();
    expect(await failureCode(() => h.db.execute(sql`update venues set invite_code = ${fresh} where id = ${v.venueId}`))).toBe('P0001');
    expect(await failureCode(() => h.db.update(venues).set({ inviteCode: fresh, name: '改名' }).where(eq(venues.id, v.venueId)))).toBe(
      'P0001',
    );
    // Also refused when every venue is updated at once.
    expect(await failureCode(() => h.db.execute(sql`update venues set invite_code = lower(invite_code)`))).toBe('P0001');
    const after = await venueById(h.db, v.venueId);
    expect(after?.inviteCode).toBe(v.inviteCode);
    expect(after?.name).toBe(validInput().name);
    // Setting it to the same value, or changing another column, is fine.
    await h.db.execute(sql`update venues set invite_code = ${v.inviteCode}, binding_mode = 'immediate' where id = ${v.venueId}`);
    expect((await venueById(h.db, v.venueId))?.bindingMode).toBe('immediate');
  });

  it('refuses an unknown venue type and binding mode (check constraints)', async () => {
    const other = await newActor();
    expect(
      await failureCode(() =>
        h.db.insert(venues).values({ ...validInput(), type: 'casino', inviteCode: generateInviteCode(), adminAccountId: other.accountId }),
      ),
    ).toBe('23514');
    const v = await registered(await newActor());
    expect(await failureCode(() => h.db.execute(sql`update venues set binding_mode = 'open' where id = ${v.venueId}`))).toBe('23514');
  });
});

describe('invite codes (V3)', () => {
  it('are 8 characters of the look-alike-free alphabet', () => {
    expect(SHORT_CODE_ALPHABET).not.toMatch(/[01IO]/);
    for (let i = 0; i < 2000; i++) expect(generateInviteCode()).toMatch(INVITE_CODE);
  });

  it('are unique across registered venues', async () => {
    const created = await Promise.all(Array.from({ length: 20 }, async () => (await registered(await newActor())).inviteCode));
    const all = (await h.db.select({ c: venues.inviteCode }).from(venues)).map((r) => r.c);
    expect(new Set(all).size).toBe(all.length);
    for (const c of created) expect(all).toContain(c);
  });
});

describe('editing venue information (V6)', () => {
  // 2026-11-23 is a Monday, so its 00:00 CST is 2026-11-22T16:00Z (2026-11-23T16:00Z is Tuesday 00:00 CST).
  const monday = new Date('2026-11-22T16:00:00Z'); // Monday 2026-11-23 00:00:00 CST
  const tuesday = new Date('2026-11-23T16:00:00Z'); // Tuesday 2026-11-24 00:00:00 CST
  const sundayLast = new Date('2026-11-29T15:59:59Z'); // Sunday 2026-11-29 23:59:59 CST, same week
  const nextMonday = new Date('2026-11-29T16:00:00Z'); // Monday 2026-11-30 00:00:00 CST
  const cst = (d: Date) =>
    d.toLocaleString('en-GB', {
      timeZone: 'Asia/Shanghai',
      weekday: 'long',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hour12: false,
    });

  it('uses the instants it means', () => {
    expect(cst(monday)).toBe('Monday, 23/11/2026, 00:00:00');
    expect(cst(tuesday)).toBe('Tuesday, 24/11/2026, 00:00:00');
    expect(cst(sundayLast)).toBe('Sunday, 29/11/2026, 23:59:59');
    expect(cst(nextMonday)).toBe('Monday, 30/11/2026, 00:00:00');
  });

  it('allows one edit per natural week, Monday 00:00 to Sunday 24:00 CST', async () => {
    const actor = await newActor();
    const v = await registered(actor);
    expect(await nextInfoEditAllowedAt(h.db, v.venueId, monday)).toBeNull();

    const first = validInput({
      name: '第一次修改',
      type: 'office',
      townshipCode: townshipB(),
      address: '东莞某路 1 号',
      contactPhone: '0769-22334455',
    });
    expect(await editVenueInfo(h.db, actor, first, monday)).toEqual({ ok: true });
    expect(await venueById(h.db, v.venueId)).toMatchObject({
      name: '第一次修改',
      type: 'office',
      townshipCode: townshipB(),
      address: '东莞某路 1 号',
      contactPhone: '0769-22334455',
      inviteCode: v.inviteCode,
    });

    const second = validInput({ name: '第二次修改' });
    expect(await editVenueInfo(h.db, actor, second, sundayLast)).toEqual({ ok: false, reason: 'weekly_limit', nextAllowedAt: nextMonday });
    expect(await nextInfoEditAllowedAt(h.db, v.venueId, sundayLast)).toEqual(nextMonday);
    expect((await venueById(h.db, v.venueId))?.name).toBe('第一次修改');

    expect(await nextInfoEditAllowedAt(h.db, v.venueId, nextMonday)).toBeNull();
    expect(await editVenueInfo(h.db, actor, second, nextMonday)).toEqual({ ok: true });
    const after = await venueById(h.db, v.venueId);
    expect(after?.name).toBe('第二次修改');
    expect(after?.inviteCode).toBe(v.inviteCode);

    // History keeps both edits, with before and after.
    const edits = await h.db.select().from(venueInfoEdits).where(eq(venueInfoEdits.venueId, v.venueId)).orderBy(venueInfoEdits.editedAt);
    expect(edits.map((e) => e.editedAt)).toEqual([monday, nextMonday]);
    expect(JSON.parse(edits[0].before)).toMatchObject({ name: validInput().name });
    expect(JSON.parse(edits[0].after)).toMatchObject({ name: '第一次修改' });
    expect(edits.every((e) => e.editedByAccountId === actor.accountId)).toBe(true);
    expect(await countRows(auditLog, and(eq(auditLog.action, 'venue.edit'), eq(auditLog.targetId, v.venueId)))).toBe(2);
  });

  it('counts the week in CST: Sunday 23:59:59 CST and the next Monday 00:00 CST are different weeks', async () => {
    const actor = await newActor();
    const v = await registered(actor);
    const sundayBefore = new Date(monday.getTime() - 1000); // Sunday 2026-11-22 23:59:59 CST: previous week
    expect(await editVenueInfo(h.db, actor, validInput({ name: '上周日' }), sundayBefore)).toEqual({ ok: true });
    expect(await editVenueInfo(h.db, actor, validInput({ name: '本周一' }), monday)).toEqual({ ok: true });
    expect(await editVenueInfo(h.db, actor, validInput({ name: '本周二' }), tuesday)).toEqual({
      ok: false,
      reason: 'weekly_limit',
      nextAllowedAt: nextMonday,
    });
    expect((await venueById(h.db, v.venueId))?.name).toBe('本周一');
  });

  it('an unchanged edit is refused and does not use up the week', async () => {
    const actor = await newActor();
    const v = await registered(actor);
    // The same values, typed differently (spaces), are unchanged too.
    expect(await editVenueInfo(h.db, actor, validInput(), monday)).toEqual({ ok: false, reason: 'unchanged' });
    expect(await editVenueInfo(h.db, actor, validInput({ name: ` ${validInput().name} ` }), monday)).toEqual({
      ok: false,
      reason: 'unchanged',
    });
    expect(await countRows(venueInfoEdits, eq(venueInfoEdits.venueId, v.venueId))).toBe(0);
    expect(await nextInfoEditAllowedAt(h.db, v.venueId, monday)).toBeNull();
    expect(await editVenueInfo(h.db, actor, validInput({ address: '新地址 8 号' }), sundayLast)).toEqual({ ok: true });
    expect((await venueById(h.db, v.venueId))?.address).toBe('新地址 8 号');
  });

  it('refuses invalid information with field errors, changing nothing and not using up the week', async () => {
    const actor = await newActor();
    const v = await registered(actor);
    expect(await editVenueInfo(h.db, actor, validInput({ townshipCode: '110101001', type: 'casino' }), monday)).toEqual({
      ok: false,
      errors: { townshipCode: 'region', type: 'unknown_type' },
    });
    expect(await countRows(venueInfoEdits, eq(venueInfoEdits.venueId, v.venueId))).toBe(0);
    expect(await editVenueInfo(h.db, actor, validInput({ name: '合法修改' }), monday)).toEqual({ ok: true });
  });

  it('ignores an attempt to change the invite code or the admin through the edit form', async () => {
    const actor = await newActor();
    const other = await newActor();
    const v = await registered(actor);
    const input = {
      ...validInput({ name: '带多余字段' }),
      inviteCode: 'ABCDEFGH',
      adminAccountId: other.accountId,
      bindingMode: 'immediate',
    };
    expect(await editVenueInfo(h.db, actor, input, monday)).toEqual({ ok: true });
    expect(await venueById(h.db, v.venueId)).toMatchObject({
      name: '带多余字段',
      inviteCode: v.inviteCode,
      adminAccountId: actor.accountId,
      bindingMode: 'approval',
    });
  });

  it('lets only one of two concurrent edits in the same week through', async () => {
    const actor = await newActor();
    const v = await registered(actor);
    const results = await Promise.all([
      editVenueInfo(h.db, actor, validInput({ name: '并发修改甲' }), monday),
      editVenueInfo(h.db, actor, validInput({ name: '并发修改乙' }), new Date(monday.getTime() + 1000)),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: 'weekly_limit', nextAllowedAt: nextMonday }]);
    expect(await countRows(venueInfoEdits, eq(venueInfoEdits.venueId, v.venueId))).toBe(1);
  });

  it('refuses a checker of the venue and an account that administers nothing, changing nothing', async () => {
    const admin = await newActor();
    const v = await registered(admin);
    const checker = await newActor();
    expect(
      await bindByInviteCode(h.db, checker, { inviteCode: v.inviteCode, displayName: '保安' }, '10.0.0.1', limits, monday),
    ).toMatchObject({ ok: true });
    const before = await venueById(h.db, v.venueId);
    expect(await editVenueInfo(h.db, checker, validInput({ name: '检查员改的' }), monday)).toEqual({ ok: false, reason: 'not_admin' });
    expect(await editVenueInfo(h.db, await newActor(), validInput({ name: '路人改的' }), monday)).toEqual({
      ok: false,
      reason: 'not_admin',
    });
    expect(await venueById(h.db, v.venueId)).toEqual(before);
    expect(await countRows(venueInfoEdits, eq(venueInfoEdits.venueId, v.venueId))).toBe(0);
    // The admin's week is untouched.
    expect(await editVenueInfo(h.db, admin, validInput({ name: '管理员改的' }), monday)).toEqual({ ok: true });
  });

  it("another venue's admin can only ever edit their own venue", async () => {
    const adminA = await newActor();
    const adminB = await newActor();
    const a = await registered(adminA, { name: '场所甲' });
    const b = await registered(adminB, { name: '场所乙' });
    const beforeA = await venueById(h.db, a.venueId);
    // editVenueInfo takes no venue id: the venue is always the actor's own.
    expect(await editVenueInfo(h.db, adminB, validInput({ name: '乙改的' }), monday)).toEqual({ ok: true });
    expect(await venueById(h.db, a.venueId)).toEqual(beforeA);
    expect((await venueById(h.db, b.venueId))?.name).toBe('乙改的');
    expect(await countRows(venueInfoEdits, eq(venueInfoEdits.venueId, a.venueId))).toBe(0);
  });
});
