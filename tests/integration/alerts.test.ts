// 短信提醒 (issue #18): the digest rules (one message per venue per 10 minutes, counts only, quiet hours,
// daily cap, off switch, the admin of the moment) and exactly-once delivery to a local webhook receiver
// that is down, answers 500 or hangs. Times are passed to the job runner explicitly: no sleeps but the
// receiver's own timeouts.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOrCreateAccount } from '@/db/queries/accounts';
import { fanOutNoticeOutbox } from '@/db/queries/notices';
import { accounts, alertMessages, alertPending, auditLog } from '@/db/schema';
import { updateAlertSettings, type AlertSettingsForm } from '@/lib/alerts/settings';
import { MAX_ATTEMPTS } from '@/lib/alerts/digest';
import { requestSignInCode, verifySignInCode } from '@/lib/auth/sign-in';
import { alertDigestJob, alertSendJob, JOBS } from '@/lib/jobs/jobs';
import { createJobRunner } from '@/lib/jobs/runner';
import { webhookMessageSender } from '@/lib/sms/sender';
import { acceptAdminReplacement, startAdminReplacement } from '@/lib/venues/admin-replacement';
import { createFixtures, type Venue } from '../helpers/fixtures';

const { h, at, newPerson, door, scan, record, stored, newPhone } = createFixtures({
  phone: { prefix: '139', base: 7_100_000, step: 43 },
  ids: { fromYear: 1968, stepDays: 23 },
  venue: { namePrefix: '提醒场所', address: '解放北路 8 号', contactPhone: '020-86661111' },
  checker: { displayName: '门岗小周', ip: '10.79.0.1', secret: 'test-secret-alerts' },
});
// The base time T is 10:00 China time: outside the default quiet hours (22:00–07:00).

// ---- the receiver --------------------------------------------------------------------------------

type Received = { key: string | undefined; body: Record<string, unknown> };
type Mode = 'ok' | '500' | 'hang';
const receiver = {
  mode: 'ok' as Mode,
  got: [] as Received[],
  hanging: [] as ServerResponse[],
  server: undefined as Server | undefined,
  url: '',
};
/** A port nobody listens on: connection refused. */
let deadUrl = '';

beforeAll(async () => {
  receiver.server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      receiver.got.push({ key: req.headers['idempotency-key'] as string | undefined, body: JSON.parse(raw) });
      if (receiver.mode === 'hang') return void receiver.hanging.push(res);
      res.writeHead(receiver.mode === '500' ? 500 : 204).end();
    });
  });
  await new Promise<void>((ok) => receiver.server!.listen(0, '127.0.0.1', ok));
  receiver.url = `http://127.0.0.1:${(receiver.server!.address() as AddressInfo).port}/send`;
  const dead = createServer();
  await new Promise<void>((ok) => dead.listen(0, '127.0.0.1', ok));
  deadUrl = `http://127.0.0.1:${(dead.address() as AddressInfo).port}/send`;
  await new Promise((ok) => dead.close(ok));
});
afterAll(async () => {
  for (const res of receiver.hanging) res.destroy();
  await new Promise((ok) => receiver.server?.close(ok));
});

/** What the receiver keeps of a venue's digests, a retry of a message it already got dropped (by key). */
const digestsOf = (phone: string) => {
  const seen = new Map<string, Received>();
  for (const r of receiver.got) if (r.body.kind === 'venue_digest' && r.body.phone === phone && r.key) seen.set(r.key, r);
  return [...seen.values()];
};
const requestsOf = (phone: string) => receiver.got.filter((r) => r.body.kind === 'venue_digest' && r.body.phone === phone);

// ---- the jobs ------------------------------------------------------------------------------------

let target = () => receiver.url;
const SEND_TIMEOUT_MS = 2500;
const runner = createJobRunner([
  JOBS.find((j) => j.name === 'notice-fanout')!,
  alertDigestJob(() => 'TPL_DIGEST'),
  // Generous for a loaded test machine; a hanging receiver is cut off after it.
  alertSendJob(() => webhookMessageSender(target(), 'tok', SEND_TIMEOUT_MS)),
]);
/** The runner at `minute` (from T) and again a few seconds later, as its 1-second ticks would. */
async function tick(minute: number) {
  await runner.tick(h, at(minute));
  await runner.tick(h, new Date(at(minute).getTime() + 5_000));
}

const phoneOf = async (accountId: string) =>
  (await h.db.select({ phone: accounts.phone }).from(accounts).where(eq(accounts.id, accountId)))[0].phone as string;
/** Whether the venue is marked for the digest job (a trigger on notices marks it). */
const marked = async (venueId: string) => (await h.db.select().from(alertPending).where(eq(alertPending.venueId, venueId))).length === 1;
const messagesOf = (venueId: string) =>
  h.db.select().from(alertMessages).where(eq(alertMessages.venueId, venueId)).orderBy(alertMessages.createdAt);

async function fever(v: Venue, c: { accountId: string }, minute: number, temperature = '38.4') {
  const p = await newPerson('上官婉儿', 'F');
  stored(await record(c, scan(v.venueId, p.token, at(minute), { temperature }), at(minute)));
}

const settings = (s: Partial<AlertSettingsForm> = {}): AlertSettingsForm => ({
  sms: 'on',
  quiet: 'none',
  quietStart: '22:00',
  quietEnd: '07:00',
  dailyCap: '20',
  ...s,
});

// ---- digest rules --------------------------------------------------------------------------------

describe('digests', () => {
  it('one message per venue per 10 minutes with what happened since, counts only, to the admin', async () => {
    const { v, c } = await door();
    const phone = await phoneOf(v.admin.accountId);
    // Two fevers 3 minutes apart, reached by the job together: one message with 2.
    await fever(v, c, 0);
    await fever(v, c, 3);
    await tick(4);
    let got = digestsOf(phone);
    expect(got).toHaveLength(1);
    expect(got[0].body).toMatchObject({
      phone,
      kind: 'venue_digest',
      template: 'TPL_DIGEST',
      params: { venue: v.name, fevers: 2, reds: 0 },
    });
    expect(got[0].body.params).toMatchObject({ since: expect.stringMatching(/10:00$/), until: expect.stringMatching(/10:03$/) });
    // Counts only: no visitor, not even masked.
    expect(JSON.stringify(got[0].body)).not.toMatch(/上官|\*/);
    expect(got[0].key).toBe(got[0].body.idempotencyKey);

    // Another fever 2 minutes later waits for the 10 minutes to pass, then comes alone.
    await fever(v, c, 6);
    await tick(6);
    await tick(13);
    expect(digestsOf(phone)).toHaveLength(1);
    await tick(14.5);
    got = digestsOf(phone);
    expect(got).toHaveLength(2);
    expect(got[1].body.params).toMatchObject({ fevers: 1 });

    // Another 12 minutes later: a third message, right away.
    await fever(v, c, 26.5);
    await tick(26.5);
    expect(digestsOf(phone).map((r) => (r.body.params as { fevers: number }).fevers)).toEqual([2, 1, 1]);
    const rows = await messagesOf(v.venueId);
    expect(rows.map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
    expect(new Set(rows.map((r) => r.windowStart.getTime())).size).toBe(3);
    // Nothing more to send: later ticks send nothing.
    await tick(40);
    expect(requestsOf(phone)).toHaveLength(3);
    // Everything accounted for: the venue is no longer among those the job reads.
    expect(await marked(v.venueId)).toBe(false);
  });

  it('a notice whose transaction commits late (stamped before the last text) is still counted, once', async () => {
    const { v, c } = await door();
    const phone = await phoneOf(v.admin.accountId);
    await fever(v, c, 0);
    await tick(0);
    expect(digestsOf(phone).map((r) => (r.body.params as { fevers: number }).fevers)).toEqual([1]);
    // A fever whose notice is stamped 0.6 s after minute 0 — before the first text went out — and commits only now,
    // as a slow notice job on another server would: no cursor in time skips it.
    await fever(v, c, 11);
    await h.db.transaction((tx) => fanOutNoticeOutbox(tx, 500, at(0.01)));
    await tick(12);
    await tick(30);
    expect(digestsOf(phone).map((r) => (r.body.params as { fevers: number }).fevers)).toEqual([1, 1]);
    expect(await marked(v.venueId)).toBe(false);
  });

  it('quiet hours hold everything for the first message after them', async () => {
    const { v, c } = await door();
    const phone = await phoneOf(v.admin.accountId);
    expect(await updateAlertSettings(h.db, v.admin, settings({ quiet: 'set', quietStart: '22:00', quietEnd: '07:00' }), at(0))).toEqual({
      ok: true,
    });
    // 22:30, 23:15 and 06:40 China time (T is 10:00).
    for (const minute of [750, 795, 1240]) {
      await fever(v, c, minute);
      await tick(minute);
    }
    await tick(1259);
    expect(digestsOf(phone)).toEqual([]);
    expect(await marked(v.venueId)).toBe(true);
    await tick(1260.5); // 07:00:30
    const got = digestsOf(phone);
    expect(got).toHaveLength(1);
    expect(got[0].body.params).toMatchObject({ fevers: 3, since: expect.stringMatching(/22:30$/), until: expect.stringMatching(/06:40$/) });
  });

  it('after the daily cap nothing more is sent that China day; the next day starts afresh', async () => {
    const { v, c } = await door();
    const phone = await phoneOf(v.admin.accountId);
    expect(await updateAlertSettings(h.db, v.admin, settings({ dailyCap: '2' }), at(0))).toEqual({ ok: true });
    for (const minute of [0, 11, 22, 33]) {
      await fever(v, c, minute);
      await tick(minute);
    }
    expect(digestsOf(phone).map((r) => (r.body.params as { fevers: number }).fevers)).toEqual([1, 1]);
    // 00:05 the next China day (T is 10:00): the capped ones are not carried over (the inbox has them).
    await fever(v, c, 845);
    await tick(845);
    expect(digestsOf(phone).map((r) => (r.body.params as { fevers: number }).fevers)).toEqual([1, 1, 1]);
  });

  it('switched off: nothing is queued, and switching on again does not send what happened meanwhile', async () => {
    const { v, c } = await door();
    const phone = await phoneOf(v.admin.accountId);
    expect(await updateAlertSettings(h.db, v.admin, settings({ sms: 'off' }), at(0))).toEqual({ ok: true });
    await fever(v, c, 1);
    await tick(1);
    expect(await messagesOf(v.venueId)).toEqual([]);
    expect(await updateAlertSettings(h.db, v.admin, settings({ sms: 'on' }), at(2))).toEqual({ ok: true });
    await fever(v, c, 3);
    await tick(3);
    expect(digestsOf(phone).map((r) => r.body.params)).toMatchObject([{ fevers: 1 }]);
  });

  it('goes to the admin at sending time: a replaced admin receives nothing more, the new one does', async () => {
    const { v, c } = await door();
    const oldPhone = await phoneOf(v.admin.accountId);
    await fever(v, c, 0);
    await tick(0);
    expect(digestsOf(oldPhone)).toHaveLength(1);

    // A message made while the gateway is down, and the admin replaced before it goes out.
    await fever(v, c, 11);
    target = () => deadUrl;
    await tick(11);
    target = () => receiver.url;
    expect(await messagesOf(v.venueId)).toMatchObject([{ status: 'sent' }, { status: 'pending', attempts: 1 }]);
    const newPhone_ = newPhone();
    const newAdmin = { accountId: (await findOrCreateAccount(h.db, newPhone_)).id, phone: newPhone_ };
    const started = await startAdminReplacement(h.db, { ...v.admin, phone: oldPhone }, newPhone_, at(12));
    if (!started.ok) throw new Error(JSON.stringify(started));
    expect(await acceptAdminReplacement(h.db, newAdmin, started.invitationId, at(12))).toMatchObject({ ok: true });

    await tick(12);
    expect(digestsOf(newPhone_)).toHaveLength(1);
    await fever(v, c, 25);
    await tick(25);
    expect(digestsOf(newPhone_)).toHaveLength(2);
    expect(digestsOf(oldPhone)).toHaveLength(1);
    expect((await messagesOf(v.venueId)).map((m) => m.recipientPhone)).toEqual([oldPhone, newPhone_, newPhone_]);
  });
});

// ---- delivery ------------------------------------------------------------------------------------

describe('delivery', () => {
  it('down, 500 and no answer are retried with back-off: the receiver keeps exactly one message per window', async () => {
    const { v, c } = await door();
    const phone = await phoneOf(v.admin.accountId);
    await fever(v, c, 0);
    target = () => deadUrl;
    await tick(0); // attempt 1: connection refused
    target = () => receiver.url;
    await tick(0.2); // before the back-off (30 s): no attempt
    expect(requestsOf(phone)).toHaveLength(0);
    receiver.mode = '500';
    await tick(0.6); // attempt 2: 500
    receiver.mode = 'hang';
    await tick(1.7); // attempt 3: no answer within the sender's timeout (the receiver did get it)
    receiver.mode = 'ok';
    await tick(4); // attempt 4: accepted
    await tick(20);
    const [row] = await messagesOf(v.venueId);
    expect(row).toMatchObject({ status: 'sent', attempts: 4 });
    // The receiver saw the message three times, always under the same key: one message once de-duplicated.
    expect(requestsOf(phone)).toHaveLength(3);
    expect(new Set(requestsOf(phone).map((r) => r.key))).toEqual(new Set([row.id]));
    expect(digestsOf(phone)).toHaveLength(1);
  });

  it('gives up after the last attempt, logged, and does not try again', async () => {
    const { v, c } = await door();
    const phone = await phoneOf(v.admin.accountId);
    await fever(v, c, 0);
    receiver.mode = '500';
    try {
      for (let minute = 0; minute < 200; minute += 10) await tick(minute);
    } finally {
      receiver.mode = 'ok';
    }
    const [row] = await messagesOf(v.venueId);
    expect(row).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS });
    expect(row.lastError).toMatch(/500/);
    expect(requestsOf(phone)).toHaveLength(MAX_ATTEMPTS);
    await tick(300);
    expect(requestsOf(phone)).toHaveLength(MAX_ATTEMPTS);
  });

  it('the door never waits: a fever is stored while the receiver hangs, and while it is down', async () => {
    const { v, c } = await door();
    await fever(v, c, 0);
    const visitor = await newPerson('慕容复', 'M');
    receiver.mode = 'hang';
    const hanging = receiver.hanging.length;
    let sent = false;
    // One tick makes the notice, the digest and sends it (after the digest's commit).
    const slow = runner.tick(h, at(0)).then(() => (sent = true));
    try {
      // The job is sending now, waiting on the receiver.
      await expect.poll(() => receiver.hanging.length, { interval: 10 }).toBe(hanging + 1);
      const started = Date.now();
      stored(await record(c, scan(v.venueId, visitor.token, at(0.5), { temperature: '39.1' }), at(0.5)));
      expect(Date.now() - started).toBeLessThan(SEND_TIMEOUT_MS / 2); // well before the sender gives up
      expect(sent).toBe(false); // and the job was still waiting on the receiver
    } finally {
      await slow;
      receiver.mode = 'ok';
    }
    target = () => deadUrl;
    try {
      await fever(v, c, 1);
      await tick(1);
    } finally {
      target = () => receiver.url;
    }
    expect((await messagesOf(v.venueId))[0]).toMatchObject({ status: 'pending' });
  });
});

describe('sign-in codes', () => {
  it('are still delivered through the same webhook, with the old fields kept and an idempotency key', async () => {
    const phone = newPhone();
    const cfg = {
      secret: 'alerts-test-secret',
      limits: { codeTtlSeconds: 300, maxAttempts: 5, resendSeconds: 60, dailyPerPhone: 10, hourlyPerIp: 30 },
    };
    const sender = webhookMessageSender(receiver.url);
    expect(await requestSignInCode(h.db, cfg, sender, { phone, ip: '10.79.0.9', now: at(0) })).toMatchObject({ ok: true });
    const got = receiver.got.filter((r) => r.body.phone === phone);
    expect(got).toHaveLength(1);
    const body = got[0].body as {
      kind: string;
      template: string;
      params: { code: string };
      code: string;
      purpose: string;
      idempotencyKey: string;
    };
    expect(body).toMatchObject({ kind: 'sign_in', template: 'SMS_SIGN_IN', purpose: 'sign-in' });
    expect(body.code).toBe(body.params.code);
    expect(got[0].key).toBe(body.idempotencyKey);
    expect(await verifySignInCode(h.db, cfg, { phone, code: body.params.code, now: at(1) })).toMatchObject({ ok: true });
  });
});

describe('settings', () => {
  it('bad input gets a reason per field and changes nothing; a change is audited', async () => {
    const { v } = await door();
    const bad: [Partial<AlertSettingsForm>, Record<string, string>][] = [
      [{ dailyCap: '0' }, { dailyCap: 'daily_cap' }],
      [{ dailyCap: '51' }, { dailyCap: 'daily_cap' }],
      [{ dailyCap: 'abc' }, { dailyCap: 'daily_cap' }],
      [{ quiet: 'set', quietStart: '25:00' }, { quietStart: 'time' }],
      [{ quiet: 'set', quietStart: '08:00', quietEnd: '08:00' }, { quietEnd: 'same_time' }],
      [{ sms: 'maybe' }, { sms: 'choice' }],
    ];
    for (const [input, fieldErrors] of bad) {
      expect(await updateAlertSettings(h.db, v.admin, settings(input), at(0))).toEqual({ ok: false, fieldErrors });
    }
    const audits = () => h.db.select().from(auditLog).where(eq(auditLog.venueId, v.venueId));
    const before = (await audits()).length;
    expect(await updateAlertSettings(h.db, v.admin, settings({ dailyCap: '5' }), at(0))).toEqual({ ok: true });
    const after = await audits();
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)).toMatchObject({ action: 'venue.alerts', details: { to: { sms: true, quiet: null, cap: 5 } } });
    // A checker or a stranger is not the admin.
    const stranger = { accountId: (await findOrCreateAccount(h.db, newPhone())).id };
    expect(await updateAlertSettings(h.db, stranger, settings(), at(0))).toEqual({ ok: false, reason: 'not_admin' });
  });
});
