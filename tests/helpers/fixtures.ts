// The set-up shared by the integration tests: one database per test file, accounts, registered people
// with their codes, venues with checkers, door payloads and time helpers. Each file passes its own number
// ranges and names, so the phones, IDs and venue names it creates stay unique and recognisable.
import { randomUUID } from 'node:crypto';
import { and, count, eq, isNull, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, expect } from 'vitest';
import type { DatabaseHandle } from '@/db';
import { findOrCreateAccount } from '@/db/queries/accounts';
import { checkerBindings, checkins } from '@/db/schema';
import { issueQuickToken, openQuickToken, quickCheckin } from '@/lib/checkin/quick-checkin';
import { recordCheckin } from '@/lib/checkin/record';
import type { CheckinPayload, CheckinResult, StoredCheckin } from '@/lib/checkin/record-checkin';
import { getCodeForAccount } from '@/lib/health-code/personal-codes';
import { codeKeysFromEnv, type CodeKeys } from '@/lib/health-code/token';
import { fieldKeysFromEnv, type FieldKeys } from '@/lib/identity/field-crypto';
import { makeResidentIdNumber, type Gender } from '@/lib/identity/id-documents';
import { registerPerson } from '@/lib/identity/register-person';
import { devIdentityVerifier } from '@/lib/identity/verifier';
import { listRegionChildren } from '@/lib/regions/divisions';
import { bindByInviteCode, type InviteLimits } from '@/lib/venues/checkers';
import { setBindingMode } from '@/lib/venues/edit-venue';
import { registerVenue } from '@/lib/venues/register-venue';
import { onCalendar } from './calendar';
import { createTestDb } from './test-db';

export const MIN = 60_000;
export const DAY = 24 * 60 * MIN;
/** 2026-12-01 10:00 CST, moved by whole weeks to stay ahead of the real clock (a whole second: tokens carry seconds). */
export const T = onCalendar('2026-12-01T02:00:00Z');
/** `d` moved by `delta` milliseconds. */
export const ms = (d: Date, delta: number) => new Date(d.getTime() + delta);
/** `minutes` after (or before) `base`. */
export const atFrom = (base: Date) => (minutes: number) => new Date(base.getTime() + minutes * MIN);

export type Actor = { accountId: string };
export type Person = {
  accountId: string;
  personId: string;
  idNumber: string;
  name: string;
  gender: Gender;
  birthDate: string;
  token: string;
  shortCode: string;
};
export type Venue = { admin: Actor; venueId: string; inviteCode: string; name: string };

/** V9: no clear name, ID number or birth date anywhere in `value` (what a venue or visitor gets back). */
export function expectNoClearIdentity(value: unknown, ...people: { name: string; idNumber: string; birthDate: string }[]) {
  const json = JSON.stringify(value);
  expect(json).not.toMatch(/birth/i);
  for (const p of people) {
    expect(json).not.toContain(p.name);
    expect(json).not.toContain(p.name.slice(1));
    expect(json).not.toContain(p.idNumber);
    expect(json).not.toContain(p.idNumber.slice(0, 17));
    expect(json).not.toContain(p.idNumber.slice(6, 14));
    expect(json).not.toContain(p.birthDate);
  }
}

/**
 * A fresh, migrated database for this test file (opened before its tests, closed after them), as a handle
 * usable from the top level of the file: each property reads the open database at the time of use.
 */
export function useTestDb(): DatabaseHandle {
  let handle: DatabaseHandle | undefined;
  beforeAll(async () => {
    handle = await createTestDb();
  });
  afterAll(async () => {
    await handle?.close();
  });
  const open = () => {
    if (!handle) throw new Error('database not open yet (use it inside a test or hook)');
    return handle;
  };
  return {
    get db() {
      return open().db;
    },
    get kind() {
      return open().kind;
    },
    close: () => open().close(),
    notify: (channel, payload) => open().notify(channel, payload),
    listen: (channel, onMessage) => open().listen(channel, onMessage),
  };
}

export type FixtureOptions = {
  /** Phones are `prefix` + 8 digits: `base + n * step` for the n-th account of the file. */
  phone: { prefix: string; base: number; step: number };
  /** Resident IDs: the n-th is born `n * stepDays` days after 1 January of `fromYear` (unless a birth date is given). */
  ids: { fromYear: number; stepDays: number };
  /** Venues: `${namePrefix}${n}` and the rest of the registration form. */
  venue?: { namePrefix: string; type?: 'retail' | 'transport'; address: string; contactPhone: string };
  /** Checker binding: the display name, the client IP and the invite limiter's secret. */
  checker?: { displayName: string; ip: string; secret: string };
  /** Field and code keys (default: the configured ones, development defaults in tests). */
  fieldKeys?: FieldKeys;
  codeKeys?: CodeKeys;
  /** The base time of `at(minutes)` (default `T`). */
  base?: Date;
};

/** The shared helpers, bound to this file's database (`useTestDb`) and number ranges. */
export function createFixtures(opts: FixtureOptions) {
  const h = useTestDb();
  const fieldKeys = opts.fieldKeys ?? fieldKeysFromEnv();
  const codeKeys = opts.codeKeys ?? codeKeysFromEnv();
  const codeDeps = { codeKeys, fieldKeys };
  const base = opts.base ?? T;
  const at = atFrom(base);

  // ---- accounts ---------------------------------------------------------------------------------
  let phoneSeq = 0;
  const newPhone = () => `${opts.phone.prefix}${String(opts.phone.base + (phoneSeq += 1) * opts.phone.step).padStart(8, '0')}`;
  const newAccount = async () => (await findOrCreateAccount(h.db, newPhone())).id;
  const newActor = async (): Promise<Actor> => ({ accountId: await newAccount() });

  // ---- people -----------------------------------------------------------------------------------
  let idSeq = 0;
  /** The next valid resident ID (a different birth date and sequence every call). */
  function nextResident(gender: Gender | ((seq: number) => Gender) = 'M', birthDate?: string) {
    idSeq += 1;
    const birth = birthDate ?? new Date(Date.UTC(opts.ids.fromYear, 0, 1) + idSeq * opts.ids.stepDays * DAY).toISOString().slice(0, 10);
    const g = typeof gender === 'function' ? gender(idSeq) : gender;
    return { idNumber: makeResidentIdNumber({ birthDate: birth, sequence: idSeq % 100, gender: g }), birthDate: birth, gender: g };
  }
  const newResidentId = (gender: Gender = 'M') => nextResident(gender).idNumber;
  async function freshCodes(p: { accountId: string; personId: string }) {
    const code = await getCodeForAccount(h.db, codeDeps, { accountId: p.accountId }, p.personId, 'personal');
    if (!code) throw new Error('no code');
    return { token: code.token, shortCode: code.shortCode };
  }
  /** Registers a person (a fresh cn_resident ID) under `accountId`; returns it with its personal code. */
  async function register(
    accountId: string,
    name: string,
    relation: 'self' | 'family',
    gender: Gender | ((seq: number) => Gender) = 'M',
    birthDate?: string,
  ): Promise<Person> {
    const id = nextResident(gender, birthDate);
    const r = await registerPerson(
      h.db,
      { keys: fieldKeys, verifier: devIdentityVerifier },
      { accountId },
      { idType: 'cn_resident', idNumber: id.idNumber, name, relation },
    );
    if (!r.ok) throw new Error(JSON.stringify(r));
    const code = await freshCodes({ accountId, personId: r.personId });
    return { accountId, personId: r.personId, idNumber: id.idNumber, name, gender: id.gender, birthDate: id.birthDate, ...code };
  }
  /** A person registered as the self of a new account. */
  const newPerson = async (name = '欧阳修远', gender: Gender | ((seq: number) => Gender) = 'M', birthDate?: string) =>
    register(await newAccount(), name, 'self', gender, birthDate);

  // ---- venues and checkers ----------------------------------------------------------------------
  const township = listRegionChildren('440106')[0].code;
  const venueForm = opts.venue ?? { namePrefix: '测试场所', address: '环市东路 1 号', contactPhone: '020-88889999' };
  const checker = opts.checker ?? { displayName: '门岗小王', ip: '10.60.0.1', secret: 'test-secret' };
  const inviteLimits: InviteLimits = { perAccountPerHour: 10_000, perIpPerHour: 10_000, secret: checker.secret };
  let venueSeq = 0;
  async function newVenue(mode: 'immediate' | 'approval' = 'immediate', townshipCode = township, venueName?: string): Promise<Venue> {
    const admin = await newActor();
    const name = venueName ?? `${venueForm.namePrefix}${(venueSeq += 1)}`;
    const r = await registerVenue(h.db, admin, {
      name,
      type: venueForm.type ?? 'retail',
      townshipCode,
      address: venueForm.address,
      contactPhone: venueForm.contactPhone,
    });
    if (!r.ok) throw new Error(JSON.stringify(r));
    if (mode === 'immediate') expect(await setBindingMode(h.db, admin, 'immediate')).toEqual({ ok: true });
    return { admin, venueId: r.venueId, inviteCode: r.inviteCode, name };
  }
  /** A venue (immediate binding) in another township than the default one (天河's first), e.g. for region scoping. */
  const venueIn = (townshipCode: string, name?: string) => newVenue('immediate', townshipCode, name);
  async function bindChecker(v: Venue, when: Date, actor?: Actor, displayName = checker.displayName): Promise<Actor> {
    const c = actor ?? (await newActor());
    const r = await bindByInviteCode(h.db, c, { inviteCode: v.inviteCode, displayName }, checker.ip, inviteLimits, when);
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
  /** A venue (immediate binding) with one checker active since the day before the base time. */
  async function door() {
    const v = await newVenue();
    const c = await bindChecker(v, at(-DAY / MIN));
    return { v, c };
  }

  // ---- payloads and results ---------------------------------------------------------------------
  function scan(venueId: string, code: string, effective: Date, extra: Partial<CheckinPayload> = {}): CheckinPayload {
    return {
      clientId: randomUUID(),
      venueId,
      method: 'scan',
      code,
      temperature: '36.5',
      scannedAt: effective.getTime(),
      clockOffsetMs: 0,
      ...extra,
    };
  }
  const typed = (venueId: string, code: string, effective: Date, extra: Partial<CheckinPayload> = {}) =>
    scan(venueId, code, effective, { method: 'typed', ...extra });
  const record = (actor: Actor, p: CheckinPayload, now: Date) => recordCheckin(h.db, actor, p, now);
  function stored(r: CheckinResult): StoredCheckin {
    if (!r.ok) throw new Error(`refused: ${r.reason}`);
    return r.record;
  }
  /** A scan by `c` stored at `effective` (received a second later, or late when `receivedAt` is given). */
  async function scanStored(c: Actor, v: Venue, p: Person, effective: Date, temperature = '36.5', receivedAt = ms(effective, 1000)) {
    return stored(await record(c, scan(v.venueId, p.token, effective, { temperature }), receivedAt));
  }
  /** The sunflower flow: checker `c` shows the code at `issued` (signed with `keys`); the visitor checks `people` in 30 s later. */
  async function quickStored(keys: CodeKeys, c: Actor, v: Venue, visitor: Actor, people: Person[], issued: Date) {
    const token = await issueQuickToken(h.db, keys, c, v.venueId, issued);
    if (!token.ok) throw new Error(JSON.stringify(token));
    const opened = await openQuickToken(h.db, keys, token.token, ms(issued, 10_000));
    if (!opened.ok) throw new Error(JSON.stringify(opened));
    const r = await quickCheckin(
      h.db,
      keys,
      visitor,
      { ticket: opened.ticket, personIds: people.map((p) => p.personId) },
      ms(issued, 30_000),
    );
    if (!r.ok) throw new Error(JSON.stringify(r));
    return r.results.map(stored);
  }
  async function countCheckins(venueId: string, where?: SQL) {
    const [row] = await h.db
      .select({ n: count() })
      .from(checkins)
      .where(and(eq(checkins.venueId, venueId), where));
    return Number(row.n);
  }
  const rowsOfVenue = (venueId: string) =>
    h.db.select().from(checkins).where(eq(checkins.venueId, venueId)).orderBy(checkins.effectiveAt, checkins.receivedAt);
  /** A venue's records and their supersede links by position, for comparing two venues fed the same records. */
  async function linksOfVenue(venueId: string) {
    const rows = await rowsOfVenue(venueId);
    const index = new Map(rows.map((r, i) => [r.id, i]));
    return rows.map((r) => ({
      t: r.effectiveAt.getTime(),
      temp: r.temperatureDeci,
      colour: r.colour,
      sup: r.supersedesId ? index.get(r.supersedesId) : null,
      by: r.supersededById ? index.get(r.supersededById) : null,
    }));
  }

  return {
    h,
    fieldKeys,
    codeKeys,
    codeDeps,
    at,
    newPhone,
    newAccount,
    newActor,
    nextResident,
    newResidentId,
    register,
    newPerson,
    freshCodes,
    township,
    inviteLimits,
    newVenue,
    venueIn,
    bindChecker,
    openBindingId,
    door,
    scan,
    typed,
    record,
    stored,
    scanStored,
    quickStored,
    countCheckins,
    rowsOfVenue,
    linksOfVenue,
  };
}

export type Fixtures = ReturnType<typeof createFixtures>;

/** What a venue-independent comparison keeps of an answer: everything but ids and the venue. */
export function answerShape(r: CheckinResult) {
  if (!r.ok) return { ok: false, reason: r.reason };
  const { id: _id, clientId: _c, venueId: _v, supersedes, entranceId, ...rest } = r.record;
  return { ok: true, duplicate: r.duplicate, ...rest, supersedes: supersedes !== null, entrance: entranceId !== null };
}
