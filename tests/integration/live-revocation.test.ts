// Issue #16, "revocation ends streams": the real SSE route handler, opened in-process with real session
// cookies, ends a stream as soon as its session, role or binding is taken away (signing out, a checker
// removed or unbinding, an admin replaced by acceptance or by an official's rebind), with an `end` event
// naming the revocation — not the 30 s re-check's 'forbidden' / 'unauthenticated', so the revocation is
// what ended it. Nothing here waits a fixed time: each wait is for an event, bounded only to fail.
// The revocations go through the server actions where there is one, so the NOTIFY sits inside the
// action's own transaction and is heard only when it commits.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { openDatabase, rowsOf, type DatabaseHandle, type Db } from '@/db';
import { findOrCreateAccount } from '@/db/queries/accounts';
import { signOutSession } from '@/lib/auth/sign-in';
import { grantRole } from '@/db/queries/roles';
import { createLiveBus, LIVE_CHANNEL, liveBus, useLiveBus, type LiveEvent } from '@/lib/live/bus';
import { REVOKED_CHANNEL } from '@/lib/live/revocations';
import { removeChecker } from '@/lib/venues/checkers';
import { startAdminReplacement } from '@/lib/venues/admin-replacement';
import { createFixtures, type Venue } from '../helpers/fixtures';
import { as, form, newSession, serveFrom } from '../helpers/in-process';
import { readSseStream, type SseStream } from '../helpers/sse-stream';

vi.mock('next/headers', () => ({
  headers: async () =>
    new Headers({ 'x-forwarded-for': (globalThis as { __requestState?: { ip: string } }).__requestState?.ip ?? '10.90.0.1' }),
  cookies: async () => (await import('../helpers/in-process')).sessionCookieStore(),
}));
vi.mock('next/cache', () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));
vi.mock('next-intl/server', () => ({ getTranslations: async () => (key: string) => key, getLocale: async () => 'zh-CN' }));

const now = new Date(Math.floor(Date.now() / 1000) * 1000);
const f = createFixtures({
  phone: { prefix: '187', base: 3_100_000, step: 43 },
  ids: { fromYear: 1963, stepDays: 19 },
  venue: { namePrefix: '吊销测试场所', address: '中山路 16 号', contactPhone: '020-83330000' },
  checker: { displayName: '吊销门岗', ip: '10.91.0.2', secret: 'test-secret-revocation' },
  base: now,
});
const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000);

beforeAll(() => serveFrom(f.h));

// ---- a stream as a browser reads it ---------------------------------------------------------------

type Stream = SseStream;

/** Calls the real route handler as session `sid` and reads its body in the background, event by event. */
async function openStream(label: string, sid: string, venueId: string, view?: 'admin'): Promise<Stream> {
  return readSseStream(label, await tryOpen(sid, venueId, view));
}

async function tryOpen(sid: string, venueId: string, view?: 'admin') {
  const { GET } = await import('@/app/api/live/route');
  const url = `http://localhost/api/live?venueId=${venueId}${view ? `&view=${view}` : ''}`;
  return as(sid, () => GET(new Request(url)));
}

/**
 * A live event on the venue's channel, sent after whatever revocation the test made has committed: the
 * database hands a listener its notifications in commit order, so once a stream has this event, every
 * revocation before it has reached that stream's process too. A red-code fever alert attributed to
 * `checker`: their own screen shows `alert`, the admin's dashboard `fever`.
 */
async function probe(handle: DatabaseHandle, venueId: string, checker: string) {
  const event: LiveEvent = {
    v: venueId,
    k: 'alert',
    red: true,
    fever: true,
    name: '探***',
    checker,
    method: 'scan',
    temp: '38.0',
    at: new Date().toISOString(),
  };
  await handle.notify(LIVE_CHANNEL, JSON.stringify(event));
}
/** The stream is still open and still delivering: the probe sent now arrives, and no `end` came before it. */
async function stillOpen(s: Stream, handle: DatabaseHandle, venueId: string, checker: string, view: 'admin' | 'checker') {
  const want = view === 'admin' ? 'fever' : 'alert';
  const before = s.events.filter((e) => e.event === want).length;
  await probe(handle, venueId, checker);
  await s.until((x) => x.events.filter((e) => e.event === want).length > before || x.closed, `${want} probe`);
  expect(s.closed, `${s.label} still open`).toBe(false);
  expect(s.events.map((e) => e.event)).not.toContain('end');
}

// ---- the cast -------------------------------------------------------------------------------------

type Who = { accountId: string; phone: string; sid: string };
async function person(): Promise<Who> {
  const phone = f.newPhone();
  const { id } = await findOrCreateAccount(f.h.db, phone);
  return { accountId: id, phone, sid: await newSession(f.h.db, id) };
}
async function adminOf(v: Venue): Promise<Who> {
  const { accountById } = await import('@/db/queries/accounts');
  const account = await accountById(f.h.db, v.admin.accountId);
  return { accountId: v.admin.accountId, phone: account!.phone, sid: await newSession(f.h.db, v.admin.accountId) };
}
/** A venue with its admin and two active checkers, each signed in. */
async function venueWithStaff() {
  const v = await f.newVenue('immediate');
  const admin = await adminOf(v);
  const checker = await person();
  const colleague = await person();
  await f.bindChecker(v, at(-60), checker);
  await f.bindChecker(v, at(-60), colleague);
  return { v, admin, checker, colleague };
}

const venueActions = () => import('@/app/(venue)/venue/actions');
const settingsActions = () => import('@/app/(account)/settings/actions');
const opsActions = () => import('@/app/(ops)/ops/actions');

// ---- on this database (PGlite by default, the server with DATABASE_URL) ---------------------------

describe('a revocation ends the live streams that depended on it, at once', () => {
  it('sign out everywhere: every stream of the account ends (checker and admin); others stay open', async () => {
    const { v, admin, checker, colleague } = await venueWithStaff();
    const secondDevice = await newSession(f.h.db, checker.accountId);
    const phoneScreen = await openStream('checker, phone', checker.sid, v.venueId);
    const tabletScreen = await openStream('checker, tablet', secondDevice, v.venueId);
    const dashboard = await openStream('admin', admin.sid, v.venueId, 'admin');
    const other = await openStream('colleague', colleague.sid, v.venueId);

    const r = await as(checker.sid, async () => (await settingsActions()).signOutEverywhereAction());
    expect(r).toMatchObject({ ok: true, revoked: 2 });
    expect((await phoneScreen.ended()).reason).toBe('signed_out');
    expect((await tabletScreen.ended()).reason).toBe('signed_out');
    await stillOpen(dashboard, f.h, v.venueId, colleague.accountId, 'admin');
    await stillOpen(other, f.h, v.venueId, colleague.accountId, 'checker');
    // And the signed-out device cannot open a new one.
    expect((await tryOpen(checker.sid, v.venueId)).status).toBe(401);

    await as(admin.sid, async () => (await settingsActions()).signOutEverywhereAction());
    expect((await dashboard.ended()).reason).toBe('signed_out');
    await stillOpen(other, f.h, v.venueId, colleague.accountId, 'checker');
  });

  it('signing one device out ends that device’s stream only', async () => {
    const { v, checker } = await venueWithStaff();
    const secondDevice = await newSession(f.h.db, checker.accountId);
    const phoneScreen = await openStream('checker, phone', checker.sid, v.venueId);
    const tabletScreen = await openStream('checker, tablet', secondDevice, v.venueId);
    // What next-auth's signOut event calls (lib/auth/options.ts), in its own transaction.
    await signOutSession(f.h.db, checker.sid);
    expect((await phoneScreen.ended()).reason).toBe('signed_out');
    await stillOpen(tabletScreen, f.h, v.venueId, checker.accountId, 'checker');
  });

  it('a checker removed by the admin: their stream at that venue ends; the admin’s, a colleague’s and their own elsewhere stay', async () => {
    const { v, admin, checker, colleague } = await venueWithStaff();
    const w = await f.newVenue('immediate');
    await f.bindChecker(w, at(-60), checker);
    const here = await openStream('checker at V', checker.sid, v.venueId);
    const elsewhere = await openStream('checker at W', checker.sid, w.venueId);
    const dashboard = await openStream('admin', admin.sid, v.venueId, 'admin');
    const other = await openStream('colleague', colleague.sid, v.venueId);

    const bindingId = await f.openBindingId(v.venueId, checker.accountId);
    expect(await as(admin.sid, async () => (await venueActions()).memberAction('remove', bindingId))).toEqual({ ok: true });
    expect((await here.ended()).reason).toBe('removed');
    await stillOpen(elsewhere, f.h, w.venueId, checker.accountId, 'checker');
    await stillOpen(dashboard, f.h, v.venueId, colleague.accountId, 'admin');
    await stillOpen(other, f.h, v.venueId, colleague.accountId, 'checker');
    expect((await tryOpen(checker.sid, v.venueId)).status).toBe(403);
  });

  it('a checker who unbinds themselves: their stream ends', async () => {
    const { v, checker, colleague } = await venueWithStaff();
    const mine = await openStream('checker', checker.sid, v.venueId);
    const other = await openStream('colleague', colleague.sid, v.venueId);
    expect(await as(checker.sid, async () => (await venueActions()).unbindSelfAction(v.venueId))).toEqual({ ok: true });
    expect((await mine.ended()).reason).toBe('unbound');
    await stillOpen(other, f.h, v.venueId, colleague.accountId, 'checker');
  });

  it('an admin replaced by acceptance: the old admin’s dashboard ends, and the new admin’s checker screen there', async () => {
    const { v, admin, checker: successor, colleague } = await venueWithStaff();
    const oldDashboard = await openStream('old admin', admin.sid, v.venueId, 'admin');
    const successorScreen = await openStream('successor as checker', successor.sid, v.venueId);
    const other = await openStream('colleague', colleague.sid, v.venueId);
    const started = await startAdminReplacement(f.h.db, admin, successor.phone, at(-5));
    if (!started.ok) throw new Error(JSON.stringify(started));

    const r = await as(successor.sid, async () => (await venueActions()).acceptInvitationAction(started.invitationId));
    expect(r).toEqual({ ok: true });
    expect((await oldDashboard.ended()).reason).toBe('admin_replaced');
    expect((await successorScreen.ended()).reason).toBe('became_admin');
    await stillOpen(other, f.h, v.venueId, colleague.accountId, 'checker');
    // The new admin's own dashboard opens and is not ended by what came before it.
    const newDashboard = await openStream('new admin', successor.sid, v.venueId, 'admin');
    await stillOpen(newDashboard, f.h, v.venueId, colleague.accountId, 'admin');
    expect((await tryOpen(admin.sid, v.venueId, 'admin')).status).toBe(403);
  });

  it('an admin replaced by an official’s rebind: the old admin’s dashboard ends', async () => {
    const { v, admin, colleague } = await venueWithStaff();
    const official = await person();
    await grantRole(f.h.db, (await findOrCreateAccount(f.h.db, official.phone)).id, 'health_official', null, '44');
    const oldDashboard = await openStream('old admin', admin.sid, v.venueId, 'admin');
    const other = await openStream('colleague', colleague.sid, v.venueId);
    const state = await as(official.sid, async () =>
      (await opsActions()).rebindAdminAction(
        { values: {} },
        form({ intent: 'rebind', inviteCode: v.inviteCode, phone: f.newPhone(), reason: '原管理员手机丢失' }),
      ),
    );
    expect(state).toMatchObject({ done: true });
    expect((await oldDashboard.ended()).reason).toBe('admin_replaced');
    await stillOpen(other, f.h, v.venueId, colleague.accountId, 'checker');
  });

  it('an official whose role is revoked (SPEC T1): the ops topic ends at once, naming it; a non-official is refused it', async () => {
    const { GET } = await import('@/app/api/live/route');
    const openTopics = (sid: string, topics: string) => as(sid, () => GET(new Request(`http://localhost/api/live?topics=${topics}`)));
    const province = await person();
    await grantRole(f.h.db, province.accountId, 'health_official', null, '44');
    const official = await person();
    await grantRole(f.h.db, official.accountId, 'health_official', province.accountId, '440106');
    const stranger = await person();
    expect((await openTopics(stranger.sid, 'ops')).status).toBe(403);

    const s = readSseStream('official', await openTopics(official.sid, 'inbox,ops'));
    await s.until((x) => x.events.some((e) => e.event === 'live'), 'the inbox count');
    const officials = await import('@/app/(ops)/ops/officials/actions');
    const state = await as(province.sid, () =>
      officials.revokeOfficialAction({ values: {} }, form({ accountId: official.accountId, reason: '岗位调整' })),
    );
    expect(state).toMatchObject({ done: 'revoked' });
    expect((await s.ended()).reason).toBe('official_revoked');
    expect(s.events.at(-1)?.data).toEqual({ reason: 'official_revoked', topic: 'ops' });
    // Reopened: refused the topic now.
    expect((await openTopics(official.sid, 'ops')).status).toBe(403);
  });

  it('a revocation whose transaction rolls back ends nothing', async () => {
    const { v, admin, checker } = await venueWithStaff();
    const screen = await openStream('checker', checker.sid, v.venueId);
    const bindingId = await f.openBindingId(v.venueId, checker.accountId);
    const rollback = new Error('rolled back on purpose');
    await expect(
      f.h.db.transaction(async (tx) => {
        expect(await removeChecker(tx as unknown as Db, admin, bindingId)).toEqual({ ok: true });
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    await stillOpen(screen, f.h, v.venueId, checker.accountId, 'checker');
  });

  it('the revocation channel carries ids and a reason only, and ignores garbage', async () => {
    const heard: string[] = [];
    await f.h.listen(REVOKED_CHANNEL, (payload) => heard.push(payload));
    const { v, admin, checker } = await venueWithStaff();
    const screen = await openStream('checker', checker.sid, v.venueId);
    // Garbage and other accounts' revocations first: the stream stays.
    await f.h.notify(REVOKED_CHANNEL, 'not json');
    await f.h.notify(REVOKED_CHANNEL, JSON.stringify({ a: checker.accountId, why: 'no_such_reason' }));
    await f.h.notify(REVOKED_CHANNEL, JSON.stringify({ a: randomUUID(), why: 'signed_out' }));
    await f.h.notify(REVOKED_CHANNEL, JSON.stringify({ a: checker.accountId, v: randomUUID(), r: 'checker', why: 'removed' }));
    await f.h.notify(REVOKED_CHANNEL, JSON.stringify({ a: checker.accountId, v: v.venueId, r: 'admin', why: 'admin_replaced' }));
    await stillOpen(screen, f.h, v.venueId, checker.accountId, 'checker');

    const bindingId = await f.openBindingId(v.venueId, checker.accountId);
    expect(await as(admin.sid, async () => (await venueActions()).memberAction('remove', bindingId))).toEqual({ ok: true });
    expect((await screen.ended()).reason).toBe('removed');
    const sent = heard
      .filter((p) => p.startsWith('{'))
      .map((p) => JSON.parse(p) as Record<string, unknown>)
      .filter((p) => p.why === 'removed' && p.v === v.venueId);
    expect(sent).toEqual([{ a: checker.accountId, v: v.venueId, r: 'checker', why: 'removed' }]);
    expect(JSON.stringify(heard)).not.toContain(checker.phone);
  });
});

// ---- two app servers on one PostgreSQL database ---------------------------------------------------

describe.skipIf(!process.env.DATABASE_URL)('across app servers (PostgreSQL: one LISTEN connection each)', () => {
  let h2: DatabaseHandle;
  let bus2: ReturnType<typeof createLiveBus>;
  beforeAll(async () => {
    expect(f.h.kind).toBe('postgres');
    const [{ name }] = rowsOf<{ name: string }>(await f.h.db.execute('select current_database() as name'));
    const tmpl = inject('dbTemplate');
    if (tmpl.kind !== 'postgres') throw new Error('expected a server template');
    const url = new URL(tmpl.adminUrl);
    url.pathname = `/${name}`;
    // A second pool on the same database, as a second app process holds: its own LISTEN connection.
    h2 = await openDatabase({ kind: 'postgres', url: url.toString(), poolMax: 2 });
    bus2 = createLiveBus(async () => h2);
  });
  afterAll(async () => {
    await h2?.close();
  });

  /** Opens the stream with server 2's bus (its own LISTEN connection); the route's queries share the database. */
  async function openOnServer2(label: string, sid: string, venueId: string, view?: 'admin') {
    const bus1 = liveBus();
    useLiveBus(bus2);
    try {
      return await openStream(label, sid, venueId, view);
    } finally {
      useLiveBus(bus1);
    }
  }

  it('a revocation made on one server ends the account’s streams on both; others stay open on both', async () => {
    const { v, admin, checker, colleague } = await venueWithStaff();
    const on1 = await openStream('checker on 1', checker.sid, v.venueId);
    const on2 = await openOnServer2('checker on 2', checker.sid, v.venueId);
    const dashboardOn2 = await openOnServer2('admin on 2', admin.sid, v.venueId, 'admin');
    const otherOn2 = await openOnServer2('colleague on 2', colleague.sid, v.venueId);

    const bindingId = await f.openBindingId(v.venueId, checker.accountId);
    expect(await as(admin.sid, async () => (await venueActions()).memberAction('remove', bindingId))).toEqual({ ok: true });
    expect((await on1.ended()).reason).toBe('removed');
    expect((await on2.ended()).reason).toBe('removed');
    await stillOpen(dashboardOn2, f.h, v.venueId, colleague.accountId, 'admin');
    await stillOpen(otherOn2, f.h, v.venueId, colleague.accountId, 'checker');
  });

  it('a revocation committed through the other server’s pool reaches this one’s streams', async () => {
    const { v, admin, checker } = await venueWithStaff();
    const dashboardOn1 = await openStream('admin on 1', admin.sid, v.venueId, 'admin');
    const dashboardOn2 = await openOnServer2('admin on 2', admin.sid, v.venueId, 'admin');
    const checkerOn1 = await openStream('checker on 1', checker.sid, v.venueId);
    // Server 2 commits the sign-out.
    const { signOutEverywhere } = await import('@/lib/auth/sign-in');
    await signOutEverywhere(h2.db, admin.accountId);
    expect((await dashboardOn1.ended()).reason).toBe('signed_out');
    expect((await dashboardOn2.ended()).reason).toBe('signed_out');
    await stillOpen(checkerOn1, h2, v.venueId, checker.accountId, 'checker');
  });
});
