import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, rowsOf, type DatabaseHandle } from '@/db';
import { findOrCreateAccount } from '@/db/queries/accounts';
import { grantRole } from '@/db/queries/roles';
import { recordCheckin } from '@/lib/checkin/record';
import { publishRecorded } from '@/lib/checkin/publish';
import { issueQuickToken, openQuickToken, quickCheckin } from '@/lib/checkin/quick-checkin';
import type { CheckinResult } from '@/lib/checkin/record-checkin';
import { setColourByOfficial } from '@/lib/health-code/officials';
import { getCodeForAccount } from '@/lib/health-code/personal-codes';
import { codeKeysFromEnv, codeKeysFromSeed } from '@/lib/health-code/token';
import { fieldKeysFromEnv } from '@/lib/identity/field-crypto';
import { makeResidentIdNumber } from '@/lib/identity/id-documents';
import { registerPerson } from '@/lib/identity/register-person';
import { devIdentityVerifier } from '@/lib/identity/verifier';
import { createLiveBus, LIVE_CHANNEL, type LiveBus, type LiveEvent as HeardEvent, type PublishedEvent as LiveEvent } from '@/lib/live/bus';
import { listRegionChildren } from '@/lib/regions/divisions';
import { bindByInviteCode } from '@/lib/venues/checkers';
import { setBindingMode } from '@/lib/venues/edit-venue';
import { registerVenue } from '@/lib/venues/register-venue';
import { onCalendar } from '../helpers/calendar';
import { createTestDb, serverDbUrls } from '../helpers/test-db';

let h: DatabaseHandle;
beforeAll(async () => {
  h = await createTestDb();
});
afterAll(async () => {
  await h.close();
});

/** Polls until the condition holds; the timeout only bounds a failure, nothing here measures time. */
async function until(condition: () => boolean, what = 'condition', timeoutMs = 10_000) {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Lets queued promise callbacks run (the bus hands an event to notify a microtask after publish). */
const flushed = () => new Promise((resolve) => setImmediate(resolve));

/**
 * A hand-driven clock for the coalescing windows: no window ends until the test moves it on, so
 * "at once" means "before any window ended" and "about one per second" is counted in windows, not
 * measured in milliseconds.
 */
function manualClock() {
  let now = 0;
  const due: { at: number; run: () => void }[] = [];
  return {
    schedule: (ms: number, run: () => void) => void due.push({ at: now + ms, run }),
    pending: () => due.length,
    /** Moves time on by `ms`, ending every window due by then. */
    advance(ms: number) {
      now += ms;
      for (const d of due.filter((x) => x.at <= now).sort((a, b) => a.at - b.at)) {
        due.splice(due.indexOf(d), 1);
        d.run();
      }
    },
  };
}

/**
 * A bus on the test database, as the app builds one on the process's database, on a manual clock; `sent`
 * is every event the bus put on the channel (so "nothing more" is exact, without waiting to see).
 */
function newBus(handle: DatabaseHandle = h) {
  const clock = manualClock();
  const sent: LiveEvent[] = [];
  const bus = createLiveBus(
    async () => ({
      notify: (channel: string, payload: string) => {
        sent.push(JSON.parse(payload) as LiveEvent);
        return handle.notify(channel, payload);
      },
      listen: handle.listen,
    }),
    clock.schedule,
  );
  return { bus, clock, sent };
}
/** Subscribes and collects what arrives. */
async function collect(bus: LiveBus, venueId: string) {
  const events: { event: HeardEvent }[] = [];
  const unsubscribe = await bus.subscribe(venueId, (event) => events.push({ event }));
  return { events, list: () => events.map((e) => e.event), unsubscribe };
}
const alert = (v: string, extra: Partial<Extract<LiveEvent, { k: 'alert' }>> = {}): LiveEvent => ({
  v,
  k: 'alert',
  red: true,
  fever: false,
  name: '欧***',
  checker: randomUUID(),
  method: 'scan',
  temp: '36.5',
  at: new Date().toISOString(),
  ...extra,
});

describe('the live bus on a real database handle', () => {
  it('delivers a venue’s events to its subscriber, through NOTIFY', async () => {
    const { bus } = newBus();
    const A = randomUUID();
    const a = await collect(bus, A);
    bus.publish({ v: A, k: 'checkins', n: 1 });
    await until(() => a.events.length === 1, 'the first event');
    expect(a.list()).toEqual([{ v: A, k: 'checkins', n: 1 }]);
    a.unsubscribe();
  });

  it('events travel over the database channel: a raw NOTIFY reaches the subscriber', async () => {
    const { bus } = newBus();
    const A = randomUUID();
    const a = await collect(bus, A);
    await h.notify(LIVE_CHANNEL, JSON.stringify({ v: A, k: 'checkins', n: 7 }));
    // Garbage on the channel is ignored, not a crash.
    await h.notify(LIVE_CHANNEL, 'not json');
    await h.notify(LIVE_CHANNEL, JSON.stringify({ v: A, k: 'checkins', n: 8 }));
    await until(() => a.events.length === 2, 'two events');
    expect(a.list()).toEqual([
      { v: A, k: 'checkins', n: 7 },
      { v: A, k: 'checkins', n: 8 },
    ]);
    a.unsubscribe();
  });

  it('does not deliver venue B’s events to venue A’s listener', async () => {
    const { bus, sent } = newBus();
    const A = randomUUID();
    const B = randomUUID();
    const a = await collect(bus, A);
    const b = await collect(bus, B);
    bus.publish({ v: B, k: 'checkins', n: 1 });
    bus.publish(alert(B));
    bus.publish({ v: A, k: 'checkins', n: 1 });
    await flushed();
    expect(sent).toHaveLength(3);
    // Each notification is handed to all of its venue's listeners at once: when both have what was
    // meant for them, every notification has been handed out, and anything misrouted would show.
    await until(() => b.events.length >= 2 && a.events.length >= 1, 'every event sent');
    expect(a.list()).toEqual([{ v: A, k: 'checkins', n: 1 }]);
    expect(
      b
        .list()
        .map((e) => e.k)
        .sort(),
    ).toEqual(['alert', 'checkins']);
    a.unsubscribe();
    b.unsubscribe();
  });

  it('coalesces a burst of routine events: the leading one at once, one more when the window ends with the rest', async () => {
    const { bus, clock, sent } = newBus();
    const A = randomUUID();
    const a = await collect(bus, A);
    for (let i = 0; i < 10; i++) bus.publish({ v: A, k: 'checkins', n: 1 });
    // The leading event goes before any window ends; the other nine wait.
    await flushed();
    expect(sent).toEqual([{ v: A, k: 'checkins', n: 1 }]);
    await until(() => a.events.length >= 1, 'the leading event');
    // The window is one second: not over a millisecond before.
    clock.advance(999);
    await flushed();
    expect(sent).toHaveLength(1);
    clock.advance(1);
    await flushed();
    expect(sent).toEqual([
      { v: A, k: 'checkins', n: 1 },
      { v: A, k: 'checkins', n: 9 },
    ]);
    await until(() => a.events.length >= 2, 'the trailing event');
    expect(a.list()).toEqual(sent);
    // Nothing more after the window closed: no window open, nothing else sent.
    expect(clock.pending()).toBe(0);
    clock.advance(5_000);
    await flushed();
    expect(sent).toHaveLength(2);
    a.unsubscribe();
  });

  it('keeps a window per venue and sums counts; a quiet window sends no trailing event', async () => {
    const { bus, clock, sent } = newBus();
    const A = randomUUID();
    const B = randomUUID();
    const a = await collect(bus, A);
    const b = await collect(bus, B);
    bus.publish({ v: A, k: 'checkins', n: 2 });
    bus.publish({ v: B, k: 'checkins', n: 1 });
    bus.publish({ v: A, k: 'checkins', n: 3 });
    bus.publish({ v: A, k: 'checkins', n: 4 });
    // A burst at one venue does not hold back the other's leading event.
    await flushed();
    expect(sent).toEqual([
      { v: A, k: 'checkins', n: 2 },
      { v: B, k: 'checkins', n: 1 },
    ]);
    // A second passes (the leading events arrive; each NOTIFY may take another pooled connection, so
    // only events a window apart arrive in order).
    await until(() => a.events.length >= 1 && b.events.length >= 1, 'the leading events');
    clock.advance(1000);
    // A's window carried 3 + 4; B's had nothing: no trailing event.
    await flushed();
    expect(sent.slice(2)).toEqual([{ v: A, k: 'checkins', n: 7 }]);
    await until(() => a.events.length >= 2 && b.events.length >= 1, 'every event sent');
    expect(a.list()).toEqual([
      { v: A, k: 'checkins', n: 2 },
      { v: A, k: 'checkins', n: 7 },
    ]);
    expect(b.list()).toEqual([{ v: B, k: 'checkins', n: 1 }]);
    // After the window, the next one goes out at once again.
    bus.publish({ v: B, k: 'checkins', n: 1 });
    await flushed();
    expect(sent).toHaveLength(4);
    await until(() => b.events.length === 2, 'a new leading event');
    a.unsubscribe();
    b.unsubscribe();
  });

  it('delivers alerts at once, each of them, even inside a coalescing window', async () => {
    const { bus, clock, sent } = newBus();
    const A = randomUUID();
    const a = await collect(bus, A);
    bus.publish({ v: A, k: 'checkins', n: 1 });
    bus.publish({ v: A, k: 'checkins', n: 1 });
    const alerts = [
      alert(A, { name: '李*' }),
      alert(A, { name: '王*', red: false, fever: true, temp: '37.8' }),
      alert(A, { name: '张**' }),
    ];
    for (const e of alerts) bus.publish(e);
    // All three alerts are sent while the routine window is still open.
    await flushed();
    expect(sent.filter((e) => e.k === 'alert')).toEqual(alerts);
    await flushed();
    expect(sent.filter((e) => e.k === 'checkins')).toEqual([{ v: A, k: 'checkins', n: 1 }]);
    await until(() => a.events.length === 4, 'three alerts and the leading event');
    // Each NOTIFY may take another pooled connection, so their order among themselves is not promised.
    expect(a.list().filter((e) => e.k === 'alert')).toEqual(expect.arrayContaining(alerts));
    expect(a.list().filter((e) => e.k === 'checkins')).toEqual([{ v: A, k: 'checkins', n: 1 }]);
    clock.advance(1000);
    await until(() => a.list().filter((e) => e.k === 'checkins').length === 2, 'the trailing event');
    expect(a.list().filter((e) => e.k === 'checkins')).toEqual([
      { v: A, k: 'checkins', n: 1 },
      { v: A, k: 'checkins', n: 1 },
    ]);
    a.unsubscribe();
  });

  it('stops delivering after unsubscribe; other subscribers of the venue still get events', async () => {
    const { bus } = newBus();
    const A = randomUUID();
    const first = await collect(bus, A);
    const second = await collect(bus, A);
    bus.publish(alert(A, { name: '甲*' }));
    await until(() => first.events.length === 1 && second.events.length === 1, 'both subscribers');
    first.unsubscribe();
    bus.publish(alert(A, { name: '乙*' }));
    // Handed to every listener of the venue at once: when second has it, first would have too.
    await until(() => second.events.length === 2, 'the remaining subscriber');
    expect(first.list().map((e) => (e.k === 'alert' ? e.name : null))).toEqual(['甲*']);
    second.unsubscribe();
    // Unsubscribing twice is harmless.
    second.unsubscribe();
    // A fresh subscriber shows the events did go out.
    const probe = await collect(bus, A);
    bus.publish(alert(A, { name: '丙*' }));
    bus.publish(alert(A, { name: '丁*' }));
    await until(() => probe.events.length === 2, 'the probe');
    expect(second.events).toHaveLength(2);
    expect(first.events).toHaveLength(1);
    probe.unsubscribe();
  });

  it('subscribing many times opens one listener per bus, and all of a venue’s subscribers get each event once', async () => {
    let listens = 0;
    const bus = createLiveBus(async () => ({
      notify: h.notify,
      listen: async (channel: string, onMessage: (payload: string) => void) => {
        listens += 1;
        await h.listen(channel, onMessage);
      },
    }));
    const A = randomUUID();
    const subs = await Promise.all([1, 2, 3, 4].map(() => collect(bus, A)));
    expect(listens).toBe(1);
    bus.publish(alert(A));
    // One LISTEN hands each notification to the venue's listeners in one go: when all have it, all got it once.
    await until(() => subs.every((s) => s.events.length >= 1), 'all subscribers');
    for (const s of subs) {
      expect(s.events).toHaveLength(1);
      s.unsubscribe();
    }
  });
});

// ---- publishRecorded on real records ------------------------------------------------------------
const fieldKeys = fieldKeysFromEnv();
const codeKeys = codeKeysFromEnv();
const quickKeys = codeKeysFromSeed(Buffer.alloc(32, 5).toString('base64'));
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const T = onCalendar('2026-12-01T02:00:00Z');
const at = (minutes: number) => new Date(T.getTime() + minutes * MIN);
let phoneSeq = 0;
const newAccount = async () => (await findOrCreateAccount(h.db, `136${String(5_000_000 + (phoneSeq += 1) * 37).padStart(8, '0')}`)).id;
let idSeq = 0;
async function newPerson(name: string) {
  idSeq += 1;
  const birthDate = new Date(Date.UTC(1970, 0, 1) + idSeq * 17 * DAY).toISOString().slice(0, 10);
  const idNumber = makeResidentIdNumber({ birthDate, sequence: idSeq % 100, gender: 'M' });
  const accountId = await newAccount();
  const r = await registerPerson(
    h.db,
    { keys: fieldKeys, verifier: devIdentityVerifier },
    { accountId },
    { idType: 'cn_resident', idNumber, name, relation: 'self' },
  );
  if (!r.ok) throw new Error(JSON.stringify(r));
  const code = await getCodeForAccount(h.db, { codeKeys, fieldKeys }, { accountId }, r.personId, 'personal');
  return { accountId, personId: r.personId, idNumber, name, birthDate, token: code!.token };
}
async function door() {
  const admin = { accountId: await newAccount() };
  const r = await registerVenue(h.db, admin, {
    name: '实时测试场所',
    type: 'retail',
    townshipCode: listRegionChildren('440106')[0].code,
    address: '北京路 3 号',
    contactPhone: '020-88886666',
  });
  if (!r.ok) throw new Error(JSON.stringify(r));
  expect(await setBindingMode(h.db, admin, 'immediate')).toEqual({ ok: true });
  const c = { accountId: await newAccount() };
  const b = await bindByInviteCode(
    h.db,
    c,
    { inviteCode: r.inviteCode, displayName: '门岗' },
    '10.62.0.1',
    { perAccountPerHour: 1e4, perIpPerHour: 1e4, secret: 's' },
    at(-DAY / MIN),
  );
  if (!b.ok) throw new Error(JSON.stringify(b));
  return { venueId: r.venueId, c };
}
const scan = (c: { accountId: string }, venueId: string, token: string, temperature: string, when: Date, clientId = randomUUID()) =>
  recordCheckin(
    h.db,
    c,
    { clientId, venueId, method: 'scan', code: token, temperature, scannedAt: when.getTime(), clockOffsetMs: 0 },
    when,
  );

/** A bus that records what is published, for checking publishRecorded's decisions exactly. */
function spyBus() {
  const published: LiveEvent[] = [];
  const bus: LiveBus = { subscribe: async () => () => {}, publish: (e) => void published.push(e) };
  return { bus, published };
}

describe('publishRecorded', () => {
  it('a normal new record publishes one routine event; a duplicate or a refusal publishes nothing', async () => {
    const { venueId, c } = await door();
    const p = await newPerson('欧阳修远');
    const clientId = randomUUID();
    const first = await scan(c, venueId, p.token, '36.5', at(0), clientId);
    const resend = await scan(c, venueId, p.token, '36.5', at(0), clientId);
    expect(resend).toMatchObject({ ok: true, duplicate: true });
    const refused = await scan(c, venueId, p.token, '45', at(1));
    expect(refused).toMatchObject({ ok: false });

    const spy = spyBus();
    publishRecorded(first, c.accountId, spy.bus);
    expect(spy.published).toEqual([{ v: venueId, k: 'checkins', n: 1 }]);
    publishRecorded(resend, c.accountId, spy.bus);
    publishRecorded(refused, c.accountId, spy.bus);
    expect(spy.published).toHaveLength(1);

    // Through a real bus: the subscriber sees the one event and nothing for the duplicate.
    const { bus, clock, sent } = newBus();
    const sub = await collect(bus, venueId);
    publishRecorded(first, c.accountId, bus);
    publishRecorded(resend, c.accountId, bus);
    publishRecorded(refused, c.accountId, bus);
    // The window ends with nothing in it: the duplicate and the refusal added nothing.
    clock.advance(1000);
    await flushed();
    expect(sent).toEqual([{ v: venueId, k: 'checkins', n: 1 }]);
    await until(() => sub.events.length === 1, 'the event');
    expect(sub.list()).toEqual([{ v: venueId, k: 'checkins', n: 1 }]);
    sub.unsubscribe();
  });

  it('a duplicate of a red or fever record publishes no alert again', async () => {
    const { venueId, c } = await door();
    const p = await newPerson('诸葛孔明');
    const clientId = randomUUID();
    const hot = await scan(c, venueId, p.token, '38.2', at(0), clientId);
    const again = await scan(c, venueId, p.token, '38.2', at(0), clientId);
    expect(again).toMatchObject({ ok: true, duplicate: true, record: { fever: true } });
    const spy = spyBus();
    publishRecorded(again, c.accountId, spy.bus);
    expect(spy.published).toEqual([]);
    publishRecorded(hot, c.accountId, spy.bus);
    expect(spy.published.map((e) => e.k)).toEqual(['checkins', 'alert']);
  });

  it('a fever publishes an alert at once, with the masked name only', async () => {
    const { venueId, c } = await door();
    const p = await newPerson('欧阳修远');
    const hot = await scan(c, venueId, p.token, '37.8', at(0));
    if (!hot.ok) throw new Error(hot.reason);
    const { bus, sent } = newBus();
    const sub = await collect(bus, venueId);
    publishRecorded(hot, c.accountId, bus);
    // Both go out at once (no window has ended).
    await flushed();
    expect(sent.map((e) => e.k)).toEqual(['checkins', 'alert']);
    await until(() => sub.events.length === 2, 'event and alert');
    expect(sub.list()).toEqual(
      expect.arrayContaining([
        { v: venueId, k: 'checkins', n: 1 },
        {
          v: venueId,
          k: 'alert',
          red: false,
          fever: true,
          name: '欧***',
          checker: c.accountId,
          method: 'scan',
          temp: '37.8',
          at: at(0).toISOString(),
        },
      ]),
    );
    expectNoClearIdentity(sub.list(), p);
    sub.unsubscribe();
  });

  it('a red code (quick check-in) publishes an alert with the masked name only, attributed to the code’s checker', async () => {
    const official = await newAccount();
    await grantRole(h.db, official, 'health_official', null);
    const { venueId, c } = await door();
    const p = await newPerson('司马相如');
    const q = await newPerson('张三');
    expect(
      await setColourByOfficial(
        h.db,
        fieldKeys,
        { accountId: official },
        { idType: 'cn_resident', idNumber: p.idNumber, colour: 'red', reason: 'close_contact' },
        at(-60),
      ),
    ).toEqual({ ok: true });
    const issued = await issueQuickToken(h.db, quickKeys, c, venueId, at(0));
    if (!issued.ok) throw new Error('not issued');
    const opened = await openQuickToken(h.db, quickKeys, issued.token, at(0));
    if (!opened.ok) throw new Error('not opened');
    const red = await quickCheckin(h.db, quickKeys, { accountId: p.accountId }, { ticket: opened.ticket, personIds: [p.personId] }, at(1));
    const green = await quickCheckin(
      h.db,
      quickKeys,
      { accountId: q.accountId },
      { ticket: opened.ticket, personIds: [q.personId] },
      at(1),
    );
    if (!red.ok || !green.ok) throw new Error('refused');

    const spy = spyBus();
    for (const r of red.results) publishRecorded(r, red.checkerAccountId, spy.bus);
    expect(spy.published).toEqual([
      { v: venueId, k: 'checkins', n: 1 },
      {
        v: venueId,
        k: 'alert',
        red: true,
        fever: false,
        name: '司***',
        checker: c.accountId,
        method: 'quick',
        temp: null,
        at: at(0).toISOString(),
      },
    ]);
    for (const r of green.results) publishRecorded(r, green.checkerAccountId, spy.bus);
    expect(spy.published.filter((e) => e.k === 'alert')).toHaveLength(1);
    expectNoClearIdentity(spy.published, p, q);

    // A resend of the same confirmation publishes nothing.
    const resend = await quickCheckin(
      h.db,
      quickKeys,
      { accountId: p.accountId },
      { ticket: opened.ticket, personIds: [p.personId] },
      at(2),
    );
    if (!resend.ok) throw new Error('refused');
    const spy2 = spyBus();
    for (const r of resend.results as CheckinResult[]) publishRecorded(r, resend.checkerAccountId, spy2.bus);
    expect(spy2.published).toEqual([]);

    // Through the real bus the alert arrives at once.
    const { bus, sent } = newBus();
    const sub = await collect(bus, venueId);
    for (const r of red.results) publishRecorded(r, red.checkerAccountId, bus);
    // At once: sent before any coalescing window ended.
    await flushed();
    expect(sent.some((e) => e.k === 'alert')).toBe(true);
    await until(() => sub.list().some((e) => e.k === 'alert'), 'the alert');
    expectNoClearIdentity(sub.list(), p);
    sub.unsubscribe();
  });
});

function expectNoClearIdentity(value: unknown, ...people: { name: string; idNumber: string; birthDate: string }[]) {
  const json = JSON.stringify(value);
  for (const p of people) {
    expect(json).not.toContain(p.name);
    expect(json).not.toContain(p.name.slice(1));
    expect(json).not.toContain(p.idNumber);
    expect(json).not.toContain(p.idNumber.slice(6, 14));
    expect(json).not.toContain(p.birthDate);
  }
}

// ---- two app processes on one PostgreSQL database ----------------------------------------------
describe.skipIf(!process.env.DATABASE_URL)('across processes (PostgreSQL server)', () => {
  let h2: DatabaseHandle;
  beforeAll(async () => {
    expect(h.kind).toBe('postgres');
    const [{ name }] = rowsOf<{ name: string }>(await h.db.execute('select current_database() as name'));
    // A second handle to the same database, as a second app process would hold (as the app's role).
    h2 = await openDatabase({ kind: 'postgres', url: serverDbUrls(name).app, poolMax: 2 });
  });
  afterAll(async () => {
    await h2?.close();
  });

  it('a publish on one process’s bus reaches a subscriber on the other’s, both ways', async () => {
    const { bus: bus1 } = newBus(h);
    const { bus: bus2 } = newBus(h2);
    const A = randomUUID();
    const B = randomUUID();
    const on2 = await collect(bus2, A);
    const on1 = await collect(bus1, B);
    bus1.publish({ v: A, k: 'checkins', n: 1 });
    bus1.publish(alert(A, { name: '欧***' }));
    await until(() => on2.events.length === 2, 'events on process 2');
    expect(on2.list()).toHaveLength(2);
    expect(on2.list()).toEqual(
      expect.arrayContaining([{ v: A, k: 'checkins', n: 1 }, expect.objectContaining({ v: A, k: 'alert', name: '欧***' })]),
    );
    bus2.publish({ v: B, k: 'checkins', n: 1 });
    await until(() => on1.events.length === 1, 'the event on process 1');
    expect(on1.list()).toEqual([{ v: B, k: 'checkins', n: 1 }]);
    on1.unsubscribe();
    on2.unsubscribe();
  });

  it('coalescing is per process: the trailing count also crosses over', async () => {
    const { bus: bus1, clock, sent } = newBus(h);
    const { bus: bus2 } = newBus(h2);
    const A = randomUUID();
    const on2 = await collect(bus2, A);
    const on1 = await collect(bus1, A);
    for (let i = 0; i < 5; i++) bus1.publish({ v: A, k: 'checkins', n: 1 });
    await until(() => on2.events.length >= 1 && on1.events.length >= 1, 'the leading event on both');
    clock.advance(1000);
    await flushed();
    expect(sent).toEqual([
      { v: A, k: 'checkins', n: 1 },
      { v: A, k: 'checkins', n: 4 },
    ]);
    await until(() => on2.events.length >= 2 && on1.events.length >= 2, 'leading and trailing events on both');
    expect(on2.list()).toEqual([
      { v: A, k: 'checkins', n: 1 },
      { v: A, k: 'checkins', n: 4 },
    ]);
    // The publishing process hears its own events through the database too.
    expect(on1.list()).toEqual(on2.list());
    on1.unsubscribe();
    on2.unsubscribe();
  });
});
