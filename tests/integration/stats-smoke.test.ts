import { randomUUID } from 'node:crypto';
import { and, count, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf, type DatabaseHandle } from '@/db';
import { pgErrorCode } from '@/db/errors';
import { findOrCreateAccount } from '@/db/queries/accounts';
import { personForScan } from '@/db/queries/persons';
import { grantRole } from '@/db/queries/roles';
import { checkerBindings, checkins } from '@/db/schema';
import { checkerSummaryToday } from '@/lib/checkin/checker-summary';
import { previewAtDoor, recordAtDoor, statusForFailure } from '@/lib/checkin/door';
import { recordCheckin, type CheckinPayload, type CheckinResult, type PersonResolver, type StoredCheckin } from '@/lib/checkin/record-checkin';
import { setColourByOfficial } from '@/lib/health-code/officials';
import { getCodeForAccount, reissueCodes } from '@/lib/health-code/personal-codes';
import { computeShortCodeCheckChar, formatShortCode } from '@/lib/health-code/short-code';
import { codeKeysFromEnv, codeKeysFromSeed, signCodeToken } from '@/lib/health-code/token';
import { fieldKeysFromEnv } from '@/lib/identity/field-crypto';
import { makeResidentIdNumber, type Gender } from '@/lib/identity/id-documents';
import { registerPerson } from '@/lib/identity/register-person';
import { devIdentityVerifier } from '@/lib/identity/verifier';
import { listRegionChildren } from '@/lib/regions/divisions';
import { isUuid } from '@/lib/utils/uuid';
import { approveChecker, bindByInviteCode, rejectChecker, removeChecker, unbindSelf, type InviteLimits } from '@/lib/venues/checkers';
import { setBindingMode } from '@/lib/venues/edit-venue';
import { registerVenue } from '@/lib/venues/register-venue';
import { createTestDb } from '../helpers/test-db';

let h: DatabaseHandle;
beforeAll(async () => {
  h = await createTestDb();
});
afterAll(async () => {
  await h.close();
});

// The door resolves tokens with the configured keys (development defaults in tests).
const fieldKeys = fieldKeysFromEnv();
const codeKeys = codeKeysFromEnv();

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
/** 2026-12-01 10:00 CST. */
const T = new Date('2026-12-01T02:00:00Z');
const at = (minutes: number) => new Date(T.getTime() + minutes * MIN);
const ms = (d: Date, delta: number) => new Date(d.getTime() + delta);

type Actor = { accountId: string };
let phoneSeq = 0;
const newAccount = async () => (await findOrCreateAccount(h.db, `139${String(3_000_000 + (phoneSeq += 1) * 71).padStart(8, '0')}`)).id;
const newActor = async (): Promise<Actor> => ({ accountId: await newAccount() });

// ---- people -------------------------------------------------------------------------------------
type Person = { accountId: string; personId: string; idNumber: string; name: string; gender: Gender; birthDate: string; token: string; shortCode: string };
let idSeq = 0;
async function newPerson(name = '欧阳修远', gender: Gender = 'M', birthDate?: string): Promise<Person> {
  idSeq += 1;
  const birth = birthDate ?? new Date(Date.UTC(1960, 0, 1) + idSeq * 11 * DAY).toISOString().slice(0, 10);
  const idNumber = makeResidentIdNumber({ birthDate: birth, sequence: idSeq % 100, gender });
  const accountId = await newAccount();
  const r = await registerPerson(h.db, { keys: fieldKeys, verifier: devIdentityVerifier }, { accountId }, { idType: 'cn_resident', idNumber, name, relation: 'self' });
  if (!r.ok) throw new Error(JSON.stringify(r));
  const code = await getCodeForAccount(h.db, { codeKeys, fieldKeys }, { accountId }, r.personId, 'personal');
  if (!code) throw new Error('no code');
  return { accountId, personId: r.personId, idNumber, name, gender, birthDate: birth, token: code.token, shortCode: code.shortCode };
}
async function freshCodes(p: Person) {
  const code = await getCodeForAccount(h.db, { codeKeys, fieldKeys }, { accountId: p.accountId }, p.personId, 'personal');
  return { token: code!.token, shortCode: code!.shortCode };
}

// ---- venues and checkers ------------------------------------------------------------------------
const township = listRegionChildren('440106')[0].code;
const IP = '10.60.0.1';
const inviteLimits: InviteLimits = { perAccountPerHour: 10_000, perIpPerHour: 10_000, secret: 'test-secret-checkins' };
let venueSeq = 0;
async function newVenue(mode: 'immediate' | 'approval' = 'immediate') {
  const admin = await newActor();
  const r = await registerVenue(h.db, admin, { name: `打卡测试场所${(venueSeq += 1)}`, type: 'retail', townshipCode: township, address: '环市东路 1 号', contactPhone: '020-88889999' });
  if (!r.ok) throw new Error(JSON.stringify(r));
  if (mode === 'immediate') expect(await setBindingMode(h.db, admin, 'immediate')).toEqual({ ok: true });
  return { admin, venueId: r.venueId, inviteCode: r.inviteCode };
}
type Venue = Awaited<ReturnType<typeof newVenue>>;
async function bindChecker(v: Venue, when: Date, actor?: Actor): Promise<Actor> {
  const c = actor ?? (await newActor());
  const r = await bindByInviteCode(h.db, c, { inviteCode: v.inviteCode, displayName: '门岗小王' }, IP, inviteLimits, when);
  if (!r.ok) throw new Error(JSON.stringify(r));
  return c;
}
async function openBindingId(venueId: string, accountId: string) {
  const [row] = await h.db
    .select({ id: checkerBindings.id })
    .from(checkerBindings)
    .where(and(eq(checkerBindings.venueId, venueId), eq(checkerBindings.accountId, accountId), isNull(checkerBindings.unboundAt)));
  return row.id;
}
/** A venue with one checker active since the day before T. */
async function door() {
  const v = await newVenue();
  const c = await bindChecker(v, at(-DAY / MIN));
  return { v, c };
}

// ---- payloads and results -----------------------------------------------------------------------
function scan(venueId: string, code: string, effective: Date, extra: Partial<CheckinPayload> = {}): CheckinPayload {
  return { clientId: randomUUID(), venueId, method: 'scan', code, temperature: '36.5', scannedAt: effective.getTime(), clockOffsetMs: 0, ...extra };
}
const typed = (venueId: string, code: string, effective: Date, extra: Partial<CheckinPayload> = {}) => scan(venueId, code, effective, { method: 'typed', ...extra });
const record = (actor: Actor, p: CheckinPayload, now: Date) => recordAtDoor(h.db, actor, p, now);
function stored(r: CheckinResult): StoredCheckin {
  if (!r.ok) throw new Error(`refused: ${r.reason}`);
  return r.record;
}

async function countCheckins(venueId: string, where?: SQL) {
  const [row] = await h.db.select({ n: count() }).from(checkins).where(and(eq(checkins.venueId, venueId), where));
  return Number(row.n);
}
const rowsOfVenue = (venueId: string) => h.db.select().from(checkins).where(eq(checkins.venueId, venueId)).orderBy(checkins.effectiveAt, checkins.receivedAt);
async function rowById(venueId: string, id: string) {
  const [row] = await h.db.select().from(checkins).where(and(eq(checkins.venueId, venueId), eq(checkins.id, id)));
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

import { drainAll } from '@/lib/stats/drain';
import { rebuildVenueStats } from '@/lib/stats/rebuild';
import { checkerStats, dailyStats, demographics, feverList, hourlyStats, inSnapshot, totalFevers } from '@/lib/stats/dashboard-queries';

describe('statistics smoke', () => {
  it('rollups drained, undrained and rebuilt agree', async () => {
    const { v, c } = await door();
    const p1 = await newPerson();
    const p2 = await newPerson('李四', 'F', '2012-05-05');
    const r1 = await record(c, scan(v.venueId, p1.token, at(0), { temperature: '38.0' }), at(1));
    const r2 = await record(c, scan(v.venueId, p1.token, at(10), { temperature: '36.5' }), at(11));
    const r3 = await record(c, scan(v.venueId, p2.token, at(20), { temperature: '36.6' }), at(21));
    expect(r1.ok && r2.ok && r3.ok).toBe(true);
    const d = { venue: v };
    const read = () => inSnapshot(h.db, async (tx) => ({
      days: await dailyStats(tx, d.venue.venueId, '2026-11-30', '2026-12-02'),
      hours: await hourlyStats(tx, d.venue.venueId, '2026-12-01'),
      demo: await demographics(tx, d.venue.venueId, '2026-11-30', '2026-12-02'),
      checkers: await checkerStats(tx, d.venue.venueId, '2026-12-01'),
      fevers: await totalFevers(tx, d.venue.venueId),
      list: await feverList(tx, d.venue.venueId, { limit: 10, offset: 0 }),
    }));
    const before = await read();
    await drainAll(h.db);
    const after = await read();
    await rebuildVenueStats(h.db, d.venue.venueId);
    const rebuilt = await read();
    expect(after).toEqual(before);
    expect(rebuilt).toEqual(before);
  });
});
