import { and, count, eq, isNull, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db';
import { findOrCreateAccount } from '@/db/queries/accounts';
import { wasActiveCheckerAt } from '@/db/queries/checker-bindings';
import { auditLog, checkerBindings, checkerRemovals } from '@/db/schema';
import { listRegionChildren } from '@/lib/regions/divisions';
import {
  allowCheckerAgain,
  approveChecker,
  bindByInviteCode,
  lookupInviteCode,
  membersOfMyVenue,
  myCheckerVenues,
  rejectChecker,
  removeChecker,
  unbindSelf,
  validateDisplayName,
  type InviteLimits,
} from '@/lib/venues/checkers';
import { setBindingMode } from '@/lib/venues/edit-venue';
import { formatInviteCode } from '@/lib/venues/invite-code';
import { registerVenue } from '@/lib/venues/register-venue';
import { onCalendar } from '../helpers/calendar';
import { createTestDb } from '../helpers/test-db';

let h: DatabaseHandle;
beforeAll(async () => {
  h = await createTestDb();
});
afterAll(async () => {
  await h.close();
});

const limits: InviteLimits = { perAccountPerHour: 1000, perIpPerHour: 1000, secret: 'test-secret-checkers' };
const IP = '10.20.0.1';

let phoneSeq = 0;
const newPhone = () => `135${String(1_000_000 + (phoneSeq += 1) * 67).padStart(8, '0')}`;
type Actor = { accountId: string; phone: string };
async function newActor(): Promise<Actor> {
  const phone = newPhone();
  const { id } = await findOrCreateAccount(h.db, phone);
  return { accountId: id, phone };
}

const township = () => listRegionChildren(listRegionChildren('4401')[0].code)[0].code;
let venueSeq = 0;
async function newVenue() {
  const admin = await newActor();
  const result = await registerVenue(h.db, admin, {
    name: `测试场所${(venueSeq += 1)}`,
    type: 'retail',
    townshipCode: township(),
    address: '体育西路 1 号',
    contactPhone: '020-88889999',
  });
  if (!result.ok) throw new Error(`registration failed: ${JSON.stringify(result)}`);
  return { admin, venueId: result.venueId, inviteCode: result.inviteCode };
}
type Venue = Awaited<ReturnType<typeof newVenue>>;

const t0 = onCalendar('2026-12-01T02:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const ms = (d: Date, delta: number) => new Date(d.getTime() + delta);

const bind = (actor: Actor, v: Venue, now: Date, displayName: unknown = '门岗小王', ip = IP, lim = limits) =>
  bindByInviteCode(h.db, actor, { inviteCode: v.inviteCode, displayName }, ip, lim, now);

async function bindingsOf(venueId: string, accountId: string) {
  return h.db
    .select()
    .from(checkerBindings)
    .where(and(eq(checkerBindings.venueId, venueId), eq(checkerBindings.accountId, accountId)))
    .orderBy(checkerBindings.requestedAt);
}
async function openBindingId(venueId: string, accountId: string) {
  const [row] = await h.db
    .select({ id: checkerBindings.id })
    .from(checkerBindings)
    .where(and(eq(checkerBindings.venueId, venueId), eq(checkerBindings.accountId, accountId), isNull(checkerBindings.unboundAt)));
  if (!row) throw new Error('no open binding');
  return row.id;
}
async function activeRemovalId(venueId: string, accountId: string) {
  const [row] = await h.db
    .select({ id: checkerRemovals.id })
    .from(checkerRemovals)
    .where(and(eq(checkerRemovals.venueId, venueId), eq(checkerRemovals.accountId, accountId), isNull(checkerRemovals.allowedAgainAt)));
  return row?.id ?? null;
}
async function countRows(table: PgTable, where?: SQL) {
  const [row] = await h.db.select({ n: count() }).from(table).where(where);
  return Number(row.n);
}
const auditCount = (action: string, targetId: string) =>
  countRows(auditLog, and(eq(auditLog.action, action), eq(auditLog.targetId, targetId)));
/** Everything about a venue's bindings and removals, to check that a refused call changed nothing. */
async function snapshot(venueId: string) {
  return {
    bindings: await h.db.select().from(checkerBindings).where(eq(checkerBindings.venueId, venueId)).orderBy(checkerBindings.id),
    removals: await h.db.select().from(checkerRemovals).where(eq(checkerRemovals.venueId, venueId)).orderBy(checkerRemovals.id),
  };
}

describe('binding by invite code (V8)', () => {
  it('is pending by default: not active until the admin approves, then active from the approval time', async () => {
    const v = await newVenue();
    const c = await newActor();
    expect(await bind(c, v, at(0))).toEqual({ ok: true, venueId: v.venueId, status: 'pending' });
    const [row] = await bindingsOf(v.venueId, c.accountId);
    expect(row).toMatchObject({ displayName: '门岗小王', requestedAt: at(0), boundFrom: null, unboundAt: null, approvedByAccountId: null });
    expect(await wasActiveCheckerAt(h.db, v.venueId, c.accountId, at(0))).toBe(false);
    expect(await wasActiveCheckerAt(h.db, v.venueId, c.accountId, at(5))).toBe(false);
    expect(await myCheckerVenues(h.db, c)).toEqual([expect.objectContaining({ venueId: v.venueId, boundFrom: null })]);

    expect(await approveChecker(h.db, v.admin, row.id, at(10))).toEqual({ ok: true });
    expect((await bindingsOf(v.venueId, c.accountId))[0]).toMatchObject({
      boundFrom: at(10),
      approvedByAccountId: v.admin.accountId,
      unboundAt: null,
    });
    expect(await wasActiveCheckerAt(h.db, v.venueId, c.accountId, at(5))).toBe(false);
    expect(await wasActiveCheckerAt(h.db, v.venueId, c.accountId, ms(at(10), -1))).toBe(false);
    expect(await wasActiveCheckerAt(h.db, v.venueId, c.accountId, at(10))).toBe(true);
    expect(await wasActiveCheckerAt(h.db, v.venueId, c.accountId, at(60 * 24 * 365))).toBe(true);
    // Approving twice is refused.
    expect(await approveChecker(h.db, v.admin, row.id, at(11))).toEqual({ ok: false, reason: 'not_pending' });
    expect((await bindingsOf(v.venueId, c.accountId))[0].boundFrom).toEqual(at(10));
  });

  it('is active at once when the venue binds immediately', async () => {
    const v = await newVenue();
    expect(await setBindingMode(h.db, v.admin, 'immediate')).toEqual({ ok: true });
    const c = await newActor();
    expect(await bind(c, v, at(0))).toEqual({ ok: true, venueId: v.venueId, status: 'active' });
    expect((await bindingsOf(v.venueId, c.accountId))[0]).toMatchObject({ boundFrom: at(0), approvedByAccountId: null });
    expect(await wasActiveCheckerAt(h.db, v.venueId, c.accountId, ms(at(0), -1))).toBe(false);
    expect(await wasActiveCheckerAt(h.db, v.venueId, c.accountId, at(0))).toBe(true);
    // Switching back: the next checker waits again.
    expect(await setBindingMode(h.db, v.admin, 'approval')).toEqual({ ok: true });
    expect(await bind(await newActor(), v, at(1))).toMatchObject({ ok: true, status: 'pending' });
  });

  it('only the admin switches the binding mode, to a known mode', async () => {
    const v = await newVenue();
    expect(await setBindingMode(h.db, await newActor(), 'immediate')).toEqual({ ok: false, reason: 'not_admin' });
    expect(await setBindingMode(h.db, v.admin, 'open')).toEqual({ ok: false, reason: 'invalid' });
    expect(await bind(await newActor(), v, at(0))).toMatchObject({ ok: true, status: 'pending' });
  });

  it('accepts the code typed in lower case with a dash or spaces', async () => {
    const v = await newVenue();
    const c = await newActor();
    const typed = ` ${formatInviteCode(v.inviteCode).toLowerCase()} `;
    expect(await bindByInviteCode(h.db, c, { inviteCode: typed, displayName: '小李' }, IP, limits, at(0))).toMatchObject({
      ok: true,
      venueId: v.venueId,
    });
  });

  it('refuses an unknown code, a malformed code and a bad display name, storing no binding', async () => {
    const v = await newVenue();
    const c = await newActor();
    let unknown = v.inviteCode.slice(0, 7) + (v.inviteCode[7] === 'Z' ? 'Y' : 'Z');
    if (unknown === v.inviteCode) unknown = 'ZZZZZZZZ';
    const withCode = (inviteCode: string, displayName: unknown = '小李') =>
      bindByInviteCode(h.db, c, { inviteCode, displayName }, IP, limits, at(0));
    expect(await withCode(unknown)).toEqual({ ok: false, reason: 'unknown_code' });
    for (const bad of ['', 'ABC', 'ABCDEFGHJ', 'ABCDEFG0', 'ABCDEFGI', 'ABCD_EFG', '\u0000ABCDEFG']) {
      expect(await withCode(bad), bad).toEqual({ ok: false, reason: 'format' });
    }
    for (const name of ['', '   ', '王'.repeat(21), 'a'.repeat(21), null, 42]) {
      expect(await withCode(v.inviteCode, name), JSON.stringify(name)).toEqual({ ok: false, reason: 'display_name' });
    }
    // Invisible-only and reordering text is refused with its own words, not stored (lib/text/normalise.ts).
    expect(await withCode(v.inviteCode, '\u200b\u3164')).toEqual({ ok: false, reason: 'text_invisible' });
    expect(await withCode(v.inviteCode, '王\u202E师傅')).toEqual({ ok: false, reason: 'text_control' });
    expect(await withCode(v.inviteCode, '王\u0000')).toEqual({ ok: false, reason: 'text_control' });
    expect(await countRows(checkerBindings, eq(checkerBindings.accountId, c.accountId))).toBe(0);
    // 20 characters is the limit; spaces are collapsed.
    expect(validateDisplayName('王'.repeat(20))).toEqual({ ok: true, name: '王'.repeat(20) });
    expect(validateDisplayName('  张  三 ')).toEqual({ ok: true, name: '张 三' });
    expect(validateDisplayName('东门·阿依古丽👨\u200D👩\u200D👧')).toEqual({ ok: true, name: '东门·阿依古丽👨\u200D👩\u200D👧' });
    expect(await withCode(v.inviteCode, `  ${'王'.repeat(20)} `)).toMatchObject({ ok: true });
    expect((await bindingsOf(v.venueId, c.accountId))[0].displayName).toBe('王'.repeat(20));
  });

  it("refuses the admin binding at their own venue (one person is not both), but lets them check at another's", async () => {
    const v = await newVenue();
    const other = await newVenue();
    expect(await bind(v.admin, v, at(0))).toEqual({ ok: false, reason: 'is_admin' });
    expect(await countRows(checkerBindings, eq(checkerBindings.venueId, v.venueId))).toBe(0);
    expect(await bind(v.admin, other, at(0))).toMatchObject({ ok: true, venueId: other.venueId });
  });

  it('refuses a second request while one is pending or active', async () => {
    const v = await newVenue();
    const c = await newActor();
    expect(await bind(c, v, at(0))).toMatchObject({ ok: true });
    expect(await bind(c, v, at(1), '另一个名字')).toEqual({ ok: false, reason: 'already_pending' });
    expect(await approveChecker(h.db, v.admin, await openBindingId(v.venueId, c.accountId), at(2))).toEqual({ ok: true });
    expect(await bind(c, v, at(3))).toEqual({ ok: false, reason: 'already_bound' });
    const rows = await bindingsOf(v.venueId, c.accountId);
    expect(rows).toHaveLength(1);
    expect(rows[0].displayName).toBe('门岗小王');
  });

  it('lets one account request exactly one open binding when requests arrive together', async () => {
    const v = await newVenue();
    const c = await newActor();
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => bind(c, v, at(0), `并发${i}`)));
    expect(results.filter((r) => r.ok)).toEqual([{ ok: true, venueId: v.venueId, status: 'pending' }]);
    for (const r of results.filter((x) => !x.ok)) expect(r).toEqual({ ok: false, reason: 'already_pending' });
    const open = await h.db
      .select()
      .from(checkerBindings)
      .where(and(eq(checkerBindings.venueId, v.venueId), eq(checkerBindings.accountId, c.accountId), isNull(checkerBindings.unboundAt)));
    expect(open).toHaveLength(1);
    expect(await countRows(checkerBindings, eq(checkerBindings.accountId, c.accountId))).toBe(1);
    expect(await auditCount('checker.bind', open[0].id)).toBe(1);
  });

  it('also in immediate mode, with many accounts binding at once', async () => {
    const v = await newVenue();
    await setBindingMode(h.db, v.admin, 'immediate');
    const same = await newActor();
    const others = await Promise.all(Array.from({ length: 4 }, () => newActor()));
    const results = await Promise.all([...Array.from({ length: 5 }, () => bind(same, v, at(0))), ...others.map((o) => bind(o, v, at(0)))]);
    expect(results.slice(0, 5).filter((r) => r.ok)).toHaveLength(1);
    expect(results.slice(5).every((r) => r.ok)).toBe(true);
    expect(await countRows(checkerBindings, and(eq(checkerBindings.venueId, v.venueId), isNull(checkerBindings.unboundAt)))).toBe(5);
    expect(await countRows(checkerBindings, eq(checkerBindings.accountId, same.accountId))).toBe(1);
  });
});

describe('ending bindings: time ranges', () => {
  it('removal ends the binding: active before, not after; re-binding is blocked until allowed again', async () => {
    const v = await newVenue();
    const c = await newActor();
    await bind(c, v, at(0));
    const bindingId = await openBindingId(v.venueId, c.accountId);
    await approveChecker(h.db, v.admin, bindingId, at(10));
    expect(await removeChecker(h.db, v.admin, bindingId, at(100))).toEqual({ ok: true });

    expect((await bindingsOf(v.venueId, c.accountId))[0]).toMatchObject({
      boundFrom: at(10),
      unboundAt: at(100),
      unboundByAccountId: v.admin.accountId,
      endReason: 'removed',
    });
    // History stays exact: an active checker at 10:42 on the day of the check-in is still known.
    expect(await wasActiveCheckerAt(h.db, v.venueId, c.accountId, at(9))).toBe(false);
    expect(await wasActiveCheckerAt(h.db, v.venueId, c.accountId, at(10))).toBe(true);
    expect(await wasActiveCheckerAt(h.db, v.venueId, c.accountId, at(50))).toBe(true);
    expect(await wasActiveCheckerAt(h.db, v.venueId, c.accountId, ms(at(100), -1))).toBe(true);
    expect(await wasActiveCheckerAt(h.db, v.venueId, c.accountId, at(100))).toBe(false);
    expect(await wasActiveCheckerAt(h.db, v.venueId, c.accountId, at(1000))).toBe(false);
    expect(await myCheckerVenues(h.db, c)).toEqual([]);

    // Removing again is refused.
    expect(await removeChecker(h.db, v.admin, bindingId, at(101))).toEqual({ ok: false, reason: 'not_found' });

    // Blocked from re-binding with the fixed code.
    expect(await bind(c, v, at(200))).toEqual({ ok: false, reason: 'removed' });
    expect(await bind(c, v, at(201), '换个名字')).toEqual({ ok: false, reason: 'removed' });
    expect(await countRows(checkerBindings, eq(checkerBindings.accountId, c.accountId))).toBe(1);

    const members = await membersOfMyVenue(h.db, v.admin);
    expect(members?.removed).toHaveLength(1);
    const removalId = members!.removed[0].removalId;
    expect(removalId).toBe(await activeRemovalId(v.venueId, c.accountId));

    expect(await allowCheckerAgain(h.db, v.admin, removalId, at(300))).toEqual({ ok: true });
    expect(await activeRemovalId(v.venueId, c.accountId)).toBeNull();
    expect(await allowCheckerAgain(h.db, v.admin, removalId, at(301))).toEqual({ ok: false, reason: 'not_found' });
    expect((await membersOfMyVenue(h.db, v.admin))?.removed).toEqual([]);

    // Allowed again: binding works, pending again, and the old range is still there.
    expect(await bind(c, v, at(400))).toEqual({ ok: true, venueId: v.venueId, status: 'pending' });
    expect(await wasActiveCheckerAt(h.db, v.venueId, c.accountId, at(400))).toBe(false);
    const second = await openBindingId(v.venueId, c.accountId);
    expect(second).not.toBe(bindingId);
    await approveChecker(h.db, v.admin, second, at(500));
    expect(await wasActiveCheckerAt(h.db, v.venueId, c.accountId, at(50))).toBe(true);
    expect(await wasActiveCheckerAt(h.db, v.venueId, c.accountId, at(450))).toBe(false);
    expect(await wasActiveCheckerAt(h.db, v.venueId, c.accountId, at(500))).toBe(true);

    // Removed a second time: blocked again (a new removal record).
    expect(await removeChecker(h.db, v.admin, second, at(600))).toEqual({ ok: true });
    expect(await bind(c, v, at(700))).toEqual({ ok: false, reason: 'removed' });
    expect(await countRows(checkerRemovals, eq(checkerRemovals.accountId, c.accountId))).toBe(2);
  });

  it('removing a pending request also blocks re-binding', async () => {
    const v = await newVenue();
    const c = await newActor();
    await bind(c, v, at(0));
    expect(await removeChecker(h.db, v.admin, await openBindingId(v.venueId, c.accountId), at(1))).toEqual({ ok: true });
    expect(await bind(c, v, at(2))).toEqual({ ok: false, reason: 'removed' });
    expect(await wasActiveCheckerAt(h.db, v.venueId, c.accountId, at(0))).toBe(false);
  });

  it('rejection ends a pending request without a block: the checker can ask again', async () => {
    const v = await newVenue();
    const c = await newActor();
    await bind(c, v, at(0));
    const first = await openBindingId(v.venueId, c.accountId);
    expect(await rejectChecker(h.db, v.admin, first, at(5))).toEqual({ ok: true });
    expect((await bindingsOf(v.venueId, c.accountId))[0]).toMatchObject({ boundFrom: null, unboundAt: at(5), endReason: 'rejected' });
    expect(await activeRemovalId(v.venueId, c.accountId)).toBeNull();
    expect(await rejectChecker(h.db, v.admin, first, at(6))).toEqual({ ok: false, reason: 'not_found' });
    expect(await approveChecker(h.db, v.admin, first, at(6))).toEqual({ ok: false, reason: 'not_found' });
    expect(await wasActiveCheckerAt(h.db, v.venueId, c.accountId, at(6))).toBe(false);
    expect(await bind(c, v, at(10))).toEqual({ ok: true, venueId: v.venueId, status: 'pending' });
    expect(await bindingsOf(v.venueId, c.accountId)).toHaveLength(2);
  });

  it('an active binding cannot be rejected (only removed)', async () => {
    const v = await newVenue();
    const c = await newActor();
    await bind(c, v, at(0));
    const id = await openBindingId(v.venueId, c.accountId);
    await approveChecker(h.db, v.admin, id, at(1));
    expect(await rejectChecker(h.db, v.admin, id, at(2))).toEqual({ ok: false, reason: 'not_pending' });
    expect((await bindingsOf(v.venueId, c.accountId))[0]).toMatchObject({ boundFrom: at(1), unboundAt: null });
  });

  it('a checker unbinds themselves (V11): active before, not after, and can bind again without approval of a block', async () => {
    const v = await newVenue();
    const c = await newActor();
    await bind(c, v, at(0));
    await approveChecker(h.db, v.admin, await openBindingId(v.venueId, c.accountId), at(1));
    expect(await unbindSelf(h.db, c, v.venueId, at(30))).toEqual({ ok: true });
    expect((await bindingsOf(v.venueId, c.accountId))[0]).toMatchObject({
      unboundAt: at(30),
      unboundByAccountId: c.accountId,
      endReason: 'self',
    });
    expect(await wasActiveCheckerAt(h.db, v.venueId, c.accountId, at(29))).toBe(true);
    expect(await wasActiveCheckerAt(h.db, v.venueId, c.accountId, at(30))).toBe(false);
    expect(await unbindSelf(h.db, c, v.venueId, at(31))).toEqual({ ok: false, reason: 'not_found' });
    expect(await unbindSelf(h.db, await newActor(), v.venueId, at(31))).toEqual({ ok: false, reason: 'not_found' });
    expect(await activeRemovalId(v.venueId, c.accountId)).toBeNull();
    expect(await bind(c, v, at(40))).toMatchObject({ ok: true, status: 'pending' });
  });

  it('a checker binds many venues (V11); unbinding one leaves the other', async () => {
    const a = await newVenue();
    const b = await newVenue();
    const c = await newActor();
    expect(await bind(c, a, at(0), '甲店门岗')).toMatchObject({ ok: true, venueId: a.venueId });
    expect(await bind(c, b, at(0), '乙店门岗')).toMatchObject({ ok: true, venueId: b.venueId });
    await approveChecker(h.db, a.admin, await openBindingId(a.venueId, c.accountId), at(1));
    await approveChecker(h.db, b.admin, await openBindingId(b.venueId, c.accountId), at(2));
    expect(await wasActiveCheckerAt(h.db, a.venueId, c.accountId, at(2))).toBe(true);
    expect(await wasActiveCheckerAt(h.db, b.venueId, c.accountId, at(2))).toBe(true);
    const mine = await myCheckerVenues(h.db, c);
    expect(mine.map((m) => m.venueId).sort()).toEqual([a.venueId, b.venueId].sort());
    expect(mine.find((m) => m.venueId === a.venueId)?.displayName).toBe('甲店门岗');

    expect(await unbindSelf(h.db, c, a.venueId, at(10))).toEqual({ ok: true });
    expect(await wasActiveCheckerAt(h.db, a.venueId, c.accountId, at(10))).toBe(false);
    expect(await wasActiveCheckerAt(h.db, b.venueId, c.accountId, at(10))).toBe(true);
    expect((await myCheckerVenues(h.db, c)).map((m) => m.venueId)).toEqual([b.venueId]);
  });
});

describe('only the venue admin manages its checkers', () => {
  it('an admin of venue A cannot approve, reject, remove or allow again at venue B; nothing changes', async () => {
    const a = await newVenue();
    const b = await newVenue();
    const pending = await newActor();
    const active = await newActor();
    const removed = await newActor();
    await bind(pending, b, at(0));
    await bind(active, b, at(0));
    await bind(removed, b, at(0));
    const pendingId = await openBindingId(b.venueId, pending.accountId);
    const activeId = await openBindingId(b.venueId, active.accountId);
    await approveChecker(h.db, b.admin, activeId, at(1));
    await removeChecker(h.db, b.admin, await openBindingId(b.venueId, removed.accountId), at(2));
    const removalId = (await activeRemovalId(b.venueId, removed.accountId))!;

    const before = await snapshot(b.venueId);
    const auditBefore = await countRows(auditLog);
    expect(await approveChecker(h.db, a.admin, pendingId, at(3))).toEqual({ ok: false, reason: 'not_found' });
    expect(await rejectChecker(h.db, a.admin, pendingId, at(3))).toEqual({ ok: false, reason: 'not_found' });
    expect(await removeChecker(h.db, a.admin, activeId, at(3))).toEqual({ ok: false, reason: 'not_found' });
    expect(await removeChecker(h.db, a.admin, pendingId, at(3))).toEqual({ ok: false, reason: 'not_found' });
    expect(await allowCheckerAgain(h.db, a.admin, removalId, at(3))).toEqual({ ok: false, reason: 'not_found' });
    // Unknown and malformed ids are refused the same way (no error leaks).
    expect(await approveChecker(h.db, a.admin, '00000000-0000-4000-8000-000000000000', at(3))).toEqual({ ok: false, reason: 'not_found' });
    expect(await snapshot(b.venueId)).toEqual(before);
    expect(await snapshot(a.venueId)).toEqual({ bindings: [], removals: [] });
    expect(await countRows(auditLog)).toBe(auditBefore);
    expect(await wasActiveCheckerAt(h.db, b.venueId, pending.accountId, at(4))).toBe(false);
    expect(await wasActiveCheckerAt(h.db, b.venueId, active.accountId, at(4))).toBe(true);
    expect(await bind(removed, b, at(4))).toEqual({ ok: false, reason: 'removed' });
  });

  it('a checker (not an admin) cannot approve, reject, remove or allow anything, not even themselves', async () => {
    const v = await newVenue();
    const checker = await newActor();
    const other = await newActor();
    const removed = await newActor();
    await bind(checker, v, at(0));
    await approveChecker(h.db, v.admin, await openBindingId(v.venueId, checker.accountId), at(1));
    await bind(other, v, at(2));
    await bind(removed, v, at(2));
    await removeChecker(h.db, v.admin, await openBindingId(v.venueId, removed.accountId), at(3));
    const otherId = await openBindingId(v.venueId, other.accountId);
    const ownId = await openBindingId(v.venueId, checker.accountId);
    const removalId = (await activeRemovalId(v.venueId, removed.accountId))!;

    const before = await snapshot(v.venueId);
    for (const actor of [checker, other]) {
      expect(await approveChecker(h.db, actor, otherId, at(4))).toEqual({ ok: false, reason: 'not_admin' });
      expect(await rejectChecker(h.db, actor, otherId, at(4))).toEqual({ ok: false, reason: 'not_admin' });
      expect(await removeChecker(h.db, actor, ownId, at(4))).toEqual({ ok: false, reason: 'not_admin' });
      expect(await allowCheckerAgain(h.db, actor, removalId, at(4))).toEqual({ ok: false, reason: 'not_admin' });
      expect(await membersOfMyVenue(h.db, actor)).toBeNull();
    }
    expect(await allowCheckerAgain(h.db, removed, removalId, at(4))).toEqual({ ok: false, reason: 'not_admin' });
    expect(await snapshot(v.venueId)).toEqual(before);
  });
});

describe('成员管理', () => {
  it('lists pending, active and removed checkers by display name and masked phone only', async () => {
    const v = await newVenue();
    const p = await newActor();
    const a = await newActor();
    const r = await newActor();
    await bind(p, v, at(0), '待审小张');
    await bind(a, v, at(1), '在岗小刘');
    await bind(r, v, at(2), '已移除小陈');
    await approveChecker(h.db, v.admin, await openBindingId(v.venueId, a.accountId), at(3));
    await removeChecker(h.db, v.admin, await openBindingId(v.venueId, r.accountId), at(4));

    const members = await membersOfMyVenue(h.db, v.admin);
    expect(members).not.toBeNull();
    expect(members!.venue.id).toBe(v.venueId);
    const masked = (phone: string) => `${phone.slice(0, 3)}****${phone.slice(7)}`;
    expect(members!.pending).toEqual([
      { bindingId: expect.any(String), displayName: '待审小张', maskedPhone: masked(p.phone), requestedAt: at(0), boundFrom: null },
    ]);
    expect(members!.active).toEqual([
      { bindingId: expect.any(String), displayName: '在岗小刘', maskedPhone: masked(a.phone), requestedAt: at(1), boundFrom: at(3) },
    ]);
    expect(members!.removed).toEqual([
      { removalId: expect.any(String), displayName: '已移除小陈', maskedPhone: masked(r.phone), removedAt: at(4) },
    ]);

    const json = JSON.stringify(members);
    for (const actor of [p, a, r, v.admin]) {
      expect(json).not.toContain(actor.phone);
      expect(json).not.toContain(actor.phone.slice(3)); // no long run of the clear digits either
    }
    // No account ids of the staff either: the admin acts on bindings and removals.
    for (const actor of [p, a, r]) expect(json).not.toContain(actor.accountId);
  });

  it('returns null for anyone who administers no venue', async () => {
    expect(await membersOfMyVenue(h.db, await newActor())).toBeNull();
  });
});

describe('invite-code look-ups: rate limits and audit', () => {
  it('the 4th look-up in an hour by one account is refused (perAccountPerHour 3), whatever the IP', async () => {
    const v = await newVenue();
    const c = await newActor();
    const lim: InviteLimits = { ...limits, perAccountPerHour: 3 };
    const base = onCalendar('2026-12-02T03:00:00Z');
    for (let i = 0; i < 3; i++)
      expect(await lookupInviteCode(h.db, c, v.inviteCode, `10.30.0.${i}`, lim, ms(base, i * 1000))).toMatchObject({ ok: true });
    expect(await lookupInviteCode(h.db, c, v.inviteCode, '10.30.0.9', lim, ms(base, 5000))).toEqual({
      ok: false,
      reason: 'rate_limited',
      retryAfterSeconds: 3595,
    });
    // Binding goes through the same look-up, so it is limited too.
    expect(await bind(c, v, ms(base, 6000), '小王', '10.30.0.10', lim)).toMatchObject({ ok: false, reason: 'rate_limited' });
    expect(await countRows(checkerBindings, eq(checkerBindings.accountId, c.accountId))).toBe(0);
    // Another account is not affected; the next hour's window is open again.
    expect(await lookupInviteCode(h.db, await newActor(), v.inviteCode, '10.30.0.11', lim, ms(base, 7000))).toMatchObject({ ok: true });
    expect(await lookupInviteCode(h.db, c, v.inviteCode, '10.30.0.12', lim, ms(base, 3_600_000))).toMatchObject({ ok: true });
  });

  it('unknown codes count against the limit too (guessing is bounded)', async () => {
    const c = await newActor();
    const lim: InviteLimits = { ...limits, perAccountPerHour: 3 };
    const base = onCalendar('2026-12-02T05:00:00Z');
    for (let i = 0; i < 3; i++)
      expect(await lookupInviteCode(h.db, c, `ZZZZZZZ${i + 2}`, '10.31.0.1', lim, base)).toEqual({ ok: false, reason: 'unknown_code' });
    expect(await lookupInviteCode(h.db, c, 'ZZZZZZZ9', '10.31.0.1', lim, base)).toMatchObject({ ok: false, reason: 'rate_limited' });
  });

  it('limits one IP across accounts', async () => {
    const v = await newVenue();
    const [a, b, other] = [await newActor(), await newActor(), await newActor()];
    const lim: InviteLimits = { ...limits, perAccountPerHour: 100, perIpPerHour: 5 };
    const base = onCalendar('2026-12-02T07:00:00Z');
    const ip = '10.40.0.1';
    for (let i = 0; i < 3; i++) expect(await lookupInviteCode(h.db, a, v.inviteCode, ip, lim, base)).toMatchObject({ ok: true });
    for (let i = 0; i < 2; i++) expect(await lookupInviteCode(h.db, b, v.inviteCode, ip, lim, base)).toMatchObject({ ok: true });
    expect(await lookupInviteCode(h.db, b, v.inviteCode, ip, lim, base)).toMatchObject({ ok: false, reason: 'rate_limited' });
    expect(await lookupInviteCode(h.db, other, v.inviteCode, ip, lim, base)).toMatchObject({ ok: false, reason: 'rate_limited' });
    expect(await lookupInviteCode(h.db, b, v.inviteCode, '10.40.0.2', lim, base)).toMatchObject({ ok: true });
  });

  it('audits every look-up that reaches the code, found or not, without storing the IP', async () => {
    const v = await newVenue();
    const c = await newActor();
    const base = onCalendar('2026-12-02T09:00:00Z');
    const ip = '10.50.0.77';
    expect(await lookupInviteCode(h.db, c, v.inviteCode, ip, limits, base)).toEqual({
      ok: true,
      venue: { id: v.venueId, name: expect.any(String), type: 'retail', townshipCode: township(), bindingMode: 'approval' },
    });
    expect(await lookupInviteCode(h.db, c, 'ZZZZZZZZ', ip, limits, ms(base, 1000))).toMatchObject({ ok: false, reason: 'unknown_code' });
    expect(await bind(c, v, ms(base, 2000), '小王', ip)).toMatchObject({ ok: true });
    const rows = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'invite_code.lookup'), eq(auditLog.actorAccountId, c.accountId)))
      .orderBy(auditLog.at);
    expect(rows).toHaveLength(3);
    expect(rows.map((r) => r.details)).toEqual([{ found: true }, { found: false }, { found: true }]);
    expect(rows.map((r) => r.targetId)).toEqual([v.venueId, null, v.venueId]);
    expect(JSON.stringify(rows)).not.toContain(ip);
  });

  it('audits every binding change: bind, approve, reject, remove, allow again, unbind self', async () => {
    const v = await newVenue();
    const [x, y, z] = [await newActor(), await newActor(), await newActor()];
    await bind(x, v, at(0));
    const xId = await openBindingId(v.venueId, x.accountId);
    await approveChecker(h.db, v.admin, xId, at(1));
    await bind(y, v, at(2));
    const yId = await openBindingId(v.venueId, y.accountId);
    await rejectChecker(h.db, v.admin, yId, at(3));
    await bind(z, v, at(4));
    const zId = await openBindingId(v.venueId, z.accountId);
    await approveChecker(h.db, v.admin, zId, at(5));
    await removeChecker(h.db, v.admin, zId, at(6));
    await allowCheckerAgain(h.db, v.admin, (await activeRemovalId(v.venueId, z.accountId))!, at(7));
    await unbindSelf(h.db, x, v.venueId, at(8));

    const entries = await h.db
      .select({
        action: auditLog.action,
        actor: auditLog.actorAccountId,
        targetId: auditLog.targetId,
        at: auditLog.at,
        details: auditLog.details,
      })
      .from(auditLog)
      .where(and(eq(auditLog.targetType, 'checker_binding')))
      .orderBy(auditLog.at);
    const mine = entries.filter((e) => [xId, yId, zId].includes(e.targetId!));
    expect(mine.map((e) => [e.action, e.actor, e.targetId, e.at])).toEqual([
      ['checker.bind', x.accountId, xId, at(0)],
      ['checker.approve', v.admin.accountId, xId, at(1)],
      ['checker.bind', y.accountId, yId, at(2)],
      ['checker.reject', v.admin.accountId, yId, at(3)],
      ['checker.bind', z.accountId, zId, at(4)],
      ['checker.approve', v.admin.accountId, zId, at(5)],
      ['checker.remove', v.admin.accountId, zId, at(6)],
      ['checker.unbind_self', x.accountId, xId, at(8)],
    ]);
    for (const e of mine) expect(e.details).toMatchObject({ venueId: v.venueId });
    const allow = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'checker.allow_again'), eq(auditLog.targetId, z.accountId)));
    expect(allow).toHaveLength(1);
    expect(allow[0]).toMatchObject({ actorAccountId: v.admin.accountId, at: at(7), details: { venueId: v.venueId } });
    expect(await auditCount('venue.binding_mode', v.venueId)).toBe(0);
    await setBindingMode(h.db, v.admin, 'immediate');
    expect(await auditCount('venue.binding_mode', v.venueId)).toBe(1);
  });

  it('refused changes are not audited', async () => {
    const v = await newVenue();
    const c = await newActor();
    await bind(c, v, at(0));
    const id = await openBindingId(v.venueId, c.accountId);
    await approveChecker(h.db, v.admin, id, at(1));
    const before = await countRows(auditLog, eq(auditLog.targetId, id));
    expect(await approveChecker(h.db, v.admin, id, at(2))).toMatchObject({ ok: false });
    expect(await rejectChecker(h.db, v.admin, id, at(2))).toMatchObject({ ok: false });
    expect(await countRows(auditLog, eq(auditLog.targetId, id))).toBe(before);
  });
});

describe('concurrent admin actions on one binding', () => {
  it('approve and reject together: exactly one wins', async () => {
    const v = await newVenue();
    const c = await newActor();
    await bind(c, v, at(0));
    const id = await openBindingId(v.venueId, c.accountId);
    const results = await Promise.all([
      approveChecker(h.db, v.admin, id, at(1)),
      rejectChecker(h.db, v.admin, id, at(1)),
      approveChecker(h.db, v.admin, id, at(1)),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const [row] = await bindingsOf(v.venueId, c.accountId);
    expect(Boolean(row.boundFrom) !== Boolean(row.unboundAt)).toBe(true);
    const changes = await h.db.select().from(auditLog).where(eq(auditLog.targetId, id));
    expect(changes.filter((e) => e.action !== 'checker.bind')).toHaveLength(1);
  });
});
