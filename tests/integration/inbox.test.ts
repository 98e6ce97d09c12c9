// The inbox (issue #18): who receives each kind of notice and who must not, read state per account, the
// venue's notices following its admin of the moment, masking, the unread cap, the live channel's events
// (the account id, never a phone) and the prune job.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rowsOf } from '@/db';
import { accountById, findOrCreateAccount } from '@/db/queries/accounts';
import { jobRun } from '@/db/queries/jobs';
import { fanOutNoticeOutbox, insertNotice, listNotices, type Reader } from '@/db/queries/notices';
import { grantRole } from '@/db/queries/roles';
import { LIVE_CHANNEL } from '@/db/live-channel';
import { setColourByOfficial } from '@/lib/health-code/officials';
import { JOBS, NOTICE_RETENTION_DAYS } from '@/lib/jobs/jobs';
import { createJobRunner } from '@/lib/jobs/runner';
import { inboxPage, readAllNotices, readNotice, unreadCount, unreadLabel, unreadNotices } from '@/lib/notices/inbox';
import { newerUnread } from '@/lib/notices/unread-stamp';
import { acceptAdminReplacement, cancelAdminReplacement, startAdminReplacement } from '@/lib/venues/admin-replacement';
import { approveChecker, rejectChecker, removeChecker } from '@/lib/venues/checkers';
import { createFixtures, DAY, expectNoClearIdentity, MIN, type Venue } from '../helpers/fixtures';

const f = createFixtures({
  phone: { prefix: '136', base: 5_200_000, step: 37 },
  ids: { fromYear: 1968, stepDays: 23 },
  venue: { namePrefix: '收件箱场所', address: '北京路 8 号', contactPhone: '020-83339999' },
  checker: { displayName: '门岗小陈', ip: '10.79.0.1', secret: 'test-secret-inbox' },
});
const { h, at } = f;

const reader = async (accountId: string): Promise<Reader> => ({ accountId, phone: (await accountById(h.db, accountId))!.phone });
const kindsOf = async (accountId: string) => (await inboxPage(h.db, await reader(accountId), 0, at(0))).notices.map((n) => n.kind);
const noticesOf = async (accountId: string) => (await inboxPage(h.db, await reader(accountId), 0, at(0))).notices;
const unread = async (accountId: string) => unreadNotices(h.db, await reader(accountId));
const tx = <R>(run: (db: typeof h.db) => Promise<R>) => h.db.transaction((t) => run(t as unknown as typeof h.db));

/** A fever at the venue's door, turned into its venue notice by the notice job. */
async function feverAt(v: Venue, c: { accountId: string }, name = '司马相如', temperature = '38.6', when = at(0)) {
  const p = await f.newPerson(name);
  f.stored(await f.record(c, f.scan(v.venueId, p.token, when, { temperature }), when));
  await h.db.transaction((t) => fanOutNoticeOutbox(t, 500, when));
  return p;
}

/** Everything said on the live channel while `run` runs. */
async function heardDuring(run: () => Promise<unknown>) {
  const heard: string[] = [];
  await h.listen(LIVE_CHANNEL, (payload) => heard.push(payload));
  await run();
  // Notifications arrive after the commit; a marker sent last arrives after them.
  const marker = `marker-${Math.random()}`;
  await h.notify(LIVE_CHANNEL, marker);
  for (let i = 0; i < 200 && !heard.includes(marker); i += 1) await new Promise((r) => setTimeout(r, 10));
  return heard.filter((p) => p !== marker).map((p) => JSON.parse(p) as Record<string, unknown>);
}

describe('venue notices: fever and red code', () => {
  it('reach the venue’s admin only, masked; not another venue’s admin, a checker of the venue or a stranger', async () => {
    const { v, c } = await f.door();
    const other = await f.newVenue();
    const stranger = await f.newAccount();
    const p = await feverAt(v, c, '欧阳娜娜', '38.6');

    const mine = await noticesOf(v.admin.accountId);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ kind: 'fever', audience: 'venue_admin', venueId: v.venueId, venueName: v.name, read: false });
    expect(mine[0].params).toMatchObject({ temp: '38.6', checker: '门岗小陈' });
    expect(String(mine[0].params.name)).toMatch(/^欧\*+$/);
    expectNoClearIdentity(mine, p);
    expect(JSON.stringify(mine)).not.toContain((await accountById(h.db, p.accountId))!.phone);
    expect(await unread(v.admin.accountId)).toBe(1);

    for (const nobody of [other.admin.accountId, c.accountId, stranger]) {
      expect(await kindsOf(nobody)).toEqual([]);
      expect(await unread(nobody)).toBe(0);
    }
  });

  it('a red code at the door is a red_code notice with the temperature, masked', async () => {
    const { v, c } = await f.door();
    const official = await f.newAccount();
    await grantRole(h.db, official, 'health_official', null);
    const p = await f.newPerson('诸葛明亮');
    const set = await setColourByOfficial(
      h.db,
      f.fieldKeys,
      { accountId: official },
      { idType: 'cn_resident', idNumber: p.idNumber, colour: 'red', reason: 'close_contact' },
      at(-60),
    );
    expect(set).toEqual({ ok: true });
    f.stored(await f.record(c, f.scan(v.venueId, p.token, at(0), { temperature: '36.6' }), at(0)));
    await h.db.transaction((t) => fanOutNoticeOutbox(t, 500, at(1)));
    const [n] = await noticesOf(v.admin.accountId);
    expect(n).toMatchObject({ kind: 'red_code', params: { red: true, temp: '36.6' } });
    expectNoClearIdentity(n, p);
  });

  it('belong to the admin of the moment: the replaced admin sees none, the next sees them all, unread for them', async () => {
    const { v, c } = await f.door();
    await feverAt(v, c, '公孙策', '38.1', at(0));
    const a = await reader(v.admin.accountId);
    const [first] = await noticesOf(a.accountId);
    expect(await tx((db) => readNotice(db, a, { noticeId: first.id }, at(1)))).toEqual({ ok: true });
    expect(await unread(a.accountId)).toBe(0);

    const bPhone = f.newPhone();
    const b = (await findOrCreateAccount(h.db, bPhone)).id;
    const started = await startAdminReplacement(h.db, a, bPhone, at(2));
    if (!started.ok) throw new Error(JSON.stringify(started));
    expect(await acceptAdminReplacement(h.db, { accountId: b, phone: bPhone }, started.invitationId, at(3))).toEqual({
      ok: true,
      venueId: v.venueId,
    });

    // The old admin: none of the venue's notices, nothing to count, and cannot mark one read.
    expect((await noticesOf(a.accountId)).filter((n) => n.audience === 'venue_admin')).toEqual([]);
    expect(await unread(a.accountId)).toBe(0);
    expect(await tx((db) => readNotice(db, a, { noticeId: first.id }, at(4)))).toEqual({ ok: false, reason: 'not_found' });
    // The new admin: the notice from before, unread (A's read mark is A's), and the next fever too.
    const bNotices = () => noticesOf(b).then((l) => l.filter((n) => n.audience === 'venue_admin'));
    expect(await bNotices()).toMatchObject([{ id: first.id, kind: 'fever', read: false }]);
    await feverAt(v, c, '包拯', '39.0', at(5));
    expect((await bNotices()).map((n) => n.kind)).toEqual(['fever', 'fever']);
    expect((await noticesOf(a.accountId)).filter((n) => n.audience === 'venue_admin')).toEqual([]);
  });
});

describe('checker_pending', () => {
  it('a request to an approving venue tells its admin (display name only); an immediate venue tells nobody', async () => {
    const v = await f.newVenue('approval');
    const other = await f.newVenue('approval');
    const checker = await f.bindChecker(v, at(0), undefined, '东门小周');
    const [n] = await noticesOf(v.admin.accountId);
    expect(n).toMatchObject({ kind: 'checker_pending', params: { checker: '东门小周', venueName: v.name } });
    expect(JSON.stringify(n)).not.toContain((await accountById(h.db, checker.accountId))!.phone);
    for (const nobody of [other.admin.accountId, checker.accountId]) expect(await kindsOf(nobody)).toEqual([]);

    const w = await f.newVenue('immediate');
    await f.bindChecker(w, at(0));
    expect(await kindsOf(w.admin.accountId)).toEqual([]);
  });
});

describe('binding_approved / binding_removed', () => {
  it('approval, rejection and removal tell the checker only; each once', async () => {
    const v = await f.newVenue('approval');
    const ann = await f.bindChecker(v, at(0), undefined, '小安');
    const bob = await f.bindChecker(v, at(0), undefined, '小宝');
    const annBinding = await f.openBindingId(v.venueId, ann.accountId);
    const bobBinding = await f.openBindingId(v.venueId, bob.accountId);
    expect(await approveChecker(h.db, v.admin, annBinding, at(1))).toEqual({ ok: true });
    expect(await rejectChecker(h.db, v.admin, bobBinding, at(1))).toEqual({ ok: true });
    expect(await noticesOf(ann.accountId)).toMatchObject([
      { kind: 'binding_approved', audience: 'account', params: { venueName: v.name } },
    ]);
    expect(await noticesOf(bob.accountId)).toMatchObject([{ kind: 'binding_removed', params: { outcome: 'rejected' } }]);

    expect(await removeChecker(h.db, v.admin, annBinding, at(2))).toEqual({ ok: true });
    expect((await noticesOf(ann.accountId)).map((n) => [n.kind, n.params.outcome])).toEqual([
      ['binding_removed', 'removed'],
      ['binding_approved', 'approved'],
    ]);
    // The admin's inbox holds the two requests only; the other checker sees nothing of Ann's.
    expect((await kindsOf(v.admin.accountId)).sort()).toEqual(['checker_pending', 'checker_pending']);
    expect(await kindsOf(bob.accountId)).toEqual(['binding_removed']);
  });
});

describe('admin_invitation', () => {
  it('goes to the invited phone: seen once its account exists, with the invitation’s state now', async () => {
    const v = await f.newVenue();
    const a = await reader(v.admin.accountId);
    const phone = f.newPhone();
    const stranger = await f.newAccount();
    const started = await startAdminReplacement(h.db, a, phone, at(0));
    if (!started.ok) throw new Error(JSON.stringify(started));
    const stored = rowsOf<{ audience: string; phone: string; account_id: string | null }>(
      await h.db.execute(sql`select audience, phone, account_id from notices where source = ${`invitation:${started.invitationId}`}`),
    );
    expect(stored).toEqual([{ audience: 'phone', phone, account_id: null }]);
    // The inviting admin and a stranger do not see it.
    expect(await kindsOf(a.accountId)).toEqual([]);
    expect(await kindsOf(stranger)).toEqual([]);

    // The invited person signs in later: the notice is there, pending.
    const invited = (await findOrCreateAccount(h.db, phone)).id;
    expect(await noticesOf(invited)).toMatchObject([
      { kind: 'admin_invitation', invitationState: 'pending', params: { venueName: v.name } },
    ]);
    expect(await unread(invited)).toBe(1);
    expect(await acceptAdminReplacement(h.db, { accountId: invited, phone }, started.invitationId, at(1))).toMatchObject({ ok: true });
    expect(await noticesOf(invited)).toMatchObject([{ kind: 'admin_invitation', invitationState: 'accepted' }]);
  });

  it('a cancelled or expired invitation says so when opened', async () => {
    const v = await f.newVenue();
    const a = await reader(v.admin.accountId);
    const phone = f.newPhone();
    const invited = (await findOrCreateAccount(h.db, phone)).id;
    const started = await startAdminReplacement(h.db, a, phone, at(0));
    if (!started.ok) throw new Error(JSON.stringify(started));
    expect(
      (await listNotices(h.db, { accountId: invited, phone }, { limit: 5, offset: 0 }, at(73 * 60)).then((l) => l.notices))[0],
    ).toMatchObject({
      invitationState: 'expired',
    });
    expect(await cancelAdminReplacement(h.db, a, at(1))).toEqual({ ok: true });
    expect(await noticesOf(invited)).toMatchObject([{ invitationState: 'cancelled' }]);
  });
});

describe('read state', () => {
  it('per account: mark one, mark all, and a notice the account may not see is not_found', async () => {
    const { v, c } = await f.door();
    await feverAt(v, c, '上官婉儿', '38.2', at(0));
    await feverAt(v, c, '上官仪', '38.3', at(1));
    const other = await f.door();
    await feverAt(other.v, other.c, '令狐冲', '38.4', at(2));
    const a = await reader(v.admin.accountId);
    const [theirs] = await noticesOf(other.v.admin.accountId);
    expect(await tx((db) => readNotice(db, a, { noticeId: theirs.id }, at(3)))).toEqual({ ok: false, reason: 'not_found' });
    expect(await tx((db) => readNotice(db, a, { noticeId: '00000000-0000-4000-8000-000000000000' }, at(3)))).toEqual({
      ok: false,
      reason: 'not_found',
    });
    const [newest] = await noticesOf(a.accountId);
    expect(await tx((db) => readNotice(db, a, { noticeId: newest.id }, at(3)))).toEqual({ ok: true });
    expect(await unread(a.accountId)).toBe(1);
    expect(await tx((db) => readAllNotices(db, a, null, at(4)))).toEqual({ ok: true, marked: 1 });
    expect(await unread(a.accountId)).toBe(0);
    // Mark-all marked only what A may see: the other venue's notice is still unread for its admin.
    expect(await unread(other.v.admin.accountId)).toBe(1);
  });

  it('the unread count stops at the cap (the bell shows 99+)', async () => {
    const v = await f.newVenue();
    await h.db.execute(sql`
      insert into notices (kind, audience, venue_id, params, source)
      select 'checker_pending', 'venue_admin', ${v.venueId}::uuid, '{}'::jsonb, 'cap-test-' || g from generate_series(1, 130) g`);
    expect(await unread(v.admin.accountId)).toBe(100);
    expect(unreadLabel(100)).toBe('99+');
    expect(unreadLabel(7)).toBe('7');
    const page = await inboxPage(h.db, await reader(v.admin.accountId), 0, at(0));
    expect(page.notices).toHaveLength(20);
    expect(page.more).toBe(true);
  });

  it('a count taken after a notice carries a later database time than one taken before it (the bell keeps the newer)', async () => {
    const { v, c } = await f.door();
    const admin = await reader(v.admin.accountId);
    const before = await unreadCount(h.db, admin);
    await feverAt(v, c);
    const after = await unreadCount(h.db, admin);
    expect(after.unread).toBe(before.unread + 1);
    expect(after.asOf).toBeGreaterThan(before.asOf);
    // Taken by the database: within a minute of this process's clock, whatever the app server's.
    expect(Math.abs(after.asOf - Date.now())).toBeLessThan(60_000);
    // The dashboard's refresh that counted before the notice arrives last: the bell keeps the later count.
    expect(newerUnread(after, before)).toBe(after);
    expect(newerUnread(before, after)).toBe(after);
  });
});

describe('live events', () => {
  it('a notice tells the venue or the account, never a phone; a phone notice tells its account once it exists', async () => {
    const v = await f.newVenue();
    const acc = await f.newAccount();
    const noAccountPhone = f.newPhone();
    const phone = f.newPhone();
    const owner = (await findOrCreateAccount(h.db, phone)).id;
    const heard = await heardDuring(async () => {
      await tx((db) => insertNotice(db, { kind: 'checker_pending', to: { venueId: v.venueId }, params: {}, source: 'live-1', at: at(0) }));
      await tx((db) => insertNotice(db, { kind: 'binding_approved', to: { accountId: acc }, params: {}, source: 'live-2', at: at(0) }));
      await tx((db) =>
        insertNotice(db, { kind: 'admin_invitation', to: { phone: noAccountPhone }, params: {}, source: 'live-3', at: at(0) }),
      );
      await tx((db) => insertNotice(db, { kind: 'admin_invitation', to: { phone }, params: {}, source: 'live-4', at: at(0) }));
      // Exactly once: the same source again makes nothing and says nothing.
      expect(
        await tx((db) => insertNotice(db, { kind: 'binding_approved', to: { accountId: acc }, params: {}, source: 'live-2', at: at(0) })),
      ).toBeNull();
    });
    expect(heard).toEqual([
      { v: v.venueId, k: 'notice' },
      { a: acc, k: 'notice' },
      { a: owner, k: 'notice' },
    ]);
    expect(JSON.stringify(heard)).not.toContain(phone);
    expect(JSON.stringify(heard)).not.toContain(noAccountPhone);
  });
});

describe('the prune-notices job', () => {
  it('deletes notices older than 180 days with their read marks, keeps the rest', async () => {
    const v = await f.newVenue();
    const T0 = new Date('2027-06-01T00:00:00Z');
    const old = new Date(T0.getTime() - (NOTICE_RETENTION_DAYS + 1) * DAY);
    const young = new Date(T0.getTime() - (NOTICE_RETENTION_DAYS - 1) * DAY);
    const oldId = await tx((db) =>
      insertNotice(db, { kind: 'checker_pending', to: { venueId: v.venueId }, params: {}, source: 'prune-old', at: old }),
    );
    await tx((db) =>
      insertNotice(db, { kind: 'checker_pending', to: { venueId: v.venueId }, params: {}, source: 'prune-young', at: young }),
    );
    await h.db.execute(sql`insert into notice_reads (account_id, notice_id) values (${v.admin.accountId}::uuid, ${oldId}::uuid)`);
    await createJobRunner([JOBS.find((j) => j.name === 'prune-notices')!]).tick(h, new Date(T0.getTime() + 5 * MIN));
    const left = rowsOf<{ source: string }>(await h.db.execute(sql`select source from notices where source like 'prune-%'`));
    expect(left.map((r) => r.source)).toEqual(['prune-young']);
    const reads = rowsOf<{ n: number }>(
      await h.db.execute(sql`select count(*)::int as n from notice_reads where notice_id = ${oldId}::uuid`),
    );
    expect(reads[0].n).toBe(0);
    expect(await jobRun(h.db, 'prune-notices', T0)).toMatchObject({ status: 'done' });
  });
});
