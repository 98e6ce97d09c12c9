// One live stream per tab (issue #18): the real SSE route with `?topics=`, opened in-process with real
// session cookies. The inbox topic tells the unread count; a venue topic's role taken away ends the stream
// naming that topic, and the stream reopened without it keeps the inbox; signing out ends it all. Nothing
// waits a fixed time: each wait is for an event, bounded only to fail.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { findOrCreateAccount } from '@/db/queries/accounts';
import { fanOutNoticeOutbox, insertNotice } from '@/db/queries/notices';
import { LIVE_CHANNEL, type LiveEvent } from '@/lib/live/bus';
import { startAdminReplacement } from '@/lib/venues/admin-replacement';
import { createFixtures, type Venue } from '../helpers/fixtures';
import { as, newSession, serveFrom } from '../helpers/in-process';
import { readSseStream, type SseStream } from '../helpers/sse-stream';

vi.mock('next/headers', () => ({
  headers: async () =>
    new Headers({ 'x-forwarded-for': (globalThis as { __requestState?: { ip: string } }).__requestState?.ip ?? '10.92.0.1' }),
  cookies: async () => (await import('../helpers/in-process')).sessionCookieStore(),
}));
vi.mock('next/cache', () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));
vi.mock('next-intl/server', () => ({ getTranslations: async () => (key: string) => key, getLocale: async () => 'zh-CN' }));

const now = new Date(Math.floor(Date.now() / 1000) * 1000);
const f = createFixtures({
  phone: { prefix: '135', base: 4_100_000, step: 47 },
  ids: { fromYear: 1966, stepDays: 29 },
  venue: { namePrefix: '多路场所', address: '中山路 18 号', contactPhone: '020-83330001' },
  checker: { displayName: '多路门岗', ip: '10.92.0.2', secret: 'test-secret-topics' },
  base: now,
});
const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000);

beforeAll(() => serveFrom(f.h));

type Stream = SseStream;

async function tryOpen(sid: string, topics: string) {
  const { GET } = await import('@/app/api/live/route');
  return as(sid, () => GET(new Request(`http://localhost/api/live?topics=${topics}`)));
}

async function openStream(label: string, sid: string, topics: string): Promise<Stream> {
  return readSseStream(label, await tryOpen(sid, topics));
}

/** The unread count the inbox topic said last. */
const lastUnread = (s: Stream) => s.of('inbox', 'notice').at(-1)?.d.unread;
const untilUnread = (s: Stream, n: number) => s.until((x) => lastUnread(x) === n, `unread ${n}`);

/** A fever alert on the venue's channel (what the door publishes), heard by the admin topic as `fever`. */
async function probe(venueId: string, checker: string) {
  const event: LiveEvent = {
    v: venueId,
    k: 'alert',
    red: false,
    fever: true,
    name: '探**',
    checker,
    method: 'scan',
    temp: '38.0',
    at: new Date().toISOString(),
  };
  await f.h.notify(LIVE_CHANNEL, JSON.stringify(event));
}

type Who = { accountId: string; phone: string; sid: string };
async function person(): Promise<Who> {
  const phone = f.newPhone();
  const { id } = await findOrCreateAccount(f.h.db, phone);
  return { accountId: id, phone, sid: await newSession(f.h.db, id) };
}
async function venueWithStaff() {
  const v: Venue = await f.newVenue('immediate');
  const { accountById } = await import('@/db/queries/accounts');
  const admin: Who = {
    accountId: v.admin.accountId,
    phone: (await accountById(f.h.db, v.admin.accountId))!.phone,
    sid: await newSession(f.h.db, v.admin.accountId),
  };
  const checker = await person();
  await f.bindChecker(v, at(-60), checker);
  return { v, admin, checker };
}
async function fever(v: Venue, checker: { accountId: string }) {
  const p = await f.newPerson('慕容复');
  f.stored(await f.record(checker, f.scan(v.venueId, p.token, at(0), { temperature: '38.8' }), at(0)));
  await f.h.db.transaction((tx) => fanOutNoticeOutbox(tx, 500, new Date()));
}
const venueActions = () => import('@/app/(venue)/venue/actions');
const settingsActions = () => import('@/app/(account)/settings/actions');
const inboxActions = () => import('@/app/(account)/inbox/actions');

describe('one stream, several topics', () => {
  it('the admin’s dashboard and inbox on one stream: a fever moves the count and raises the alert', async () => {
    const { v, admin, checker } = await venueWithStaff();
    const tab = await openStream('admin tab', admin.sid, `inbox,admin:${v.venueId}`);
    await untilUnread(tab, 0);
    await fever(v, checker);
    await untilUnread(tab, 1);
    await probe(v.venueId, checker.accountId);
    await tab.until((s) => s.of(`admin:${v.venueId}`, 'fever').length > 0, 'fever alert');
    // Reading it (another tab, the inbox page) brings the count down here too.
    const [{ id }] = (await (await import('@/lib/notices/inbox')).inboxPage(f.h.db, admin, 0, new Date())).notices;
    expect(await as(admin.sid, async () => (await inboxActions()).readNoticeAction(id))).toEqual({ ok: true });
    await untilUnread(tab, 0);
    expect(tab.closed).toBe(false);
  });

  it('the admin replaced: the stream ends naming the admin topic; reopened without it, the inbox goes on without the venue', async () => {
    const { v, admin, checker: successor } = await venueWithStaff();
    await fever(v, successor);
    const tab = await openStream('old admin tab', admin.sid, `inbox,admin:${v.venueId}`);
    await untilUnread(tab, 1);
    const started = await startAdminReplacement(f.h.db, admin, successor.phone, at(-5));
    if (!started.ok) throw new Error(JSON.stringify(started));
    expect(await as(successor.sid, async () => (await venueActions()).acceptInvitationAction(started.invitationId))).toEqual({ ok: true });
    expect(await tab.ended()).toEqual({ reason: 'admin_replaced', topic: `admin:${v.venueId}` });

    // What the tab's provider does next: the same topics minus the one that ended.
    const again = await openStream('old admin, inbox only', admin.sid, 'inbox');
    // The venue's notice is the new admin's now: nothing to count here.
    await untilUnread(again, 0);
    await f.h.db.transaction((tx) =>
      insertNotice(tx, {
        kind: 'binding_approved',
        to: { accountId: admin.accountId },
        params: { venueName: '别处' },
        source: `t-${Date.now()}`,
        at: new Date(),
      }),
    );
    await untilUnread(again, 1);
    // Asking for the lost topic again beside the inbox: the stream ends at once, naming it.
    const refused = await openStream('old admin asks again', admin.sid, `inbox,admin:${v.venueId}`);
    expect(await refused.ended()).toEqual({ reason: 'forbidden', topic: `admin:${v.venueId}` });
    expect(refused.of('inbox', 'notice')).toEqual([]);
    // The successor's own tab: the venue's fever is in their inbox, unread, beside their invitation.
    const theirs = await openStream('new admin tab', successor.sid, `inbox,admin:${v.venueId}`);
    await untilUnread(theirs, 2);
    expect(again.closed).toBe(false);
  });

  it('an account that becomes a venue’s admin while its inbox is open hears that venue’s notices at once', async () => {
    const someone = await person();
    const tab = await openStream('future admin', someone.sid, 'inbox');
    await untilUnread(tab, 0);
    const { registerVenue } = await import('@/lib/venues/register-venue');
    const r = await registerVenue(f.h.db, someone, {
      name: '新开场所',
      type: 'retail',
      townshipCode: f.township,
      address: '中山路 20 号',
      contactPhone: '020-83330002',
    });
    if (!r.ok) throw new Error(JSON.stringify(r));
    const checker = await person();
    const { bindByInviteCode } = await import('@/lib/venues/checkers');
    expect(
      await bindByInviteCode(f.h.db, checker, { inviteCode: r.inviteCode, displayName: '新门岗' }, '10.92.0.3', f.inviteLimits, new Date()),
    ).toMatchObject({ ok: true, status: 'pending' });
    // Well before the 30 s look-up: the registration told the stream.
    await untilUnread(tab, 1);
  });

  it('signing out ends the whole stream, without a topic', async () => {
    const { v, checker } = await venueWithStaff();
    const tab = await openStream('checker tab', checker.sid, `inbox,checker:${v.venueId}`);
    await tab.until((s) => s.of(`checker:${v.venueId}`, 'summary').length > 0, 'summary');
    await untilUnread(tab, 0);
    expect(await as(checker.sid, async () => (await settingsActions()).signOutEverywhereAction())).toMatchObject({ ok: true });
    expect(await tab.ended()).toEqual({ reason: 'signed_out' });
    expect((await tryOpen(checker.sid, 'inbox')).status).toBe(401);
  });

  it('a stranger’s venue topic beside the inbox ends the stream naming it, before any venue event; alone it is refused', async () => {
    const { v } = await venueWithStaff();
    const stranger = await person();
    for (const topic of [`checker:${v.venueId}`, `admin:${v.venueId}`]) {
      const s = await openStream(`stranger ${topic}`, stranger.sid, `inbox,${topic}`);
      expect(await s.ended()).toEqual({ reason: 'forbidden', topic });
      expect(s.events.filter((e) => e.event === 'live')).toEqual([]);
      expect((await tryOpen(stranger.sid, topic)).status).toBe(403);
    }
    for (const bad of ['', 'inbox,nope', `admin:${v.venueId.slice(0, 8)}`, 'inbox,inbox,a,b,c']) {
      expect((await tryOpen(stranger.sid, bad)).status, bad).toBe(400);
    }
  });
});
