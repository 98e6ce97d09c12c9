// Issue #9: every door is locked. Every route handler and every server action in the source tree has a
// row here (the test fails when one is missing), and each row is called in-process as every kind of
// stranger: refused with the right status, and the database is unchanged (every table but the audit log
// and the rate-limit counters, which a refusal may legitimately touch, hashed before and after).
import { desc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { findOrCreateAccount } from '@/db/queries/accounts';
import { grantRole } from '@/db/queries/roles';
import {
  accountPhoneChanges,
  accountRoles,
  accounts,
  auditLog,
  checkerRemovals,
  guardianships,
  identityCorrections,
  notices,
  venueEntrances,
  venues,
} from '@/db/schema';
import { signOutEverywhere } from '@/lib/auth/sign-in';
import { issueQuickToken, openQuickToken } from '@/lib/checkin/quick-checkin';
import { issueQuickLink, openQuickLink } from '@/lib/checkin/quick-link';
import { bootstrapOfficials, setColourByOfficial } from '@/lib/health-code/officials';
import { approveChecker, removeChecker } from '@/lib/venues/checkers';
import { addEntrance } from '@/lib/venues/entrances';
import { startAdminReplacement } from '@/lib/venues/admin-replacement';
import { codeKeysFromEnv } from '@/lib/health-code/token';
import { registerPerson } from '@/lib/identity/register-person';
import { devIdentityVerifier } from '@/lib/identity/verifier';
import { chinaDateOf } from '@/lib/time';
import { openCase } from '@/lib/tracing/cases';
import { createFixtures, MIN, type Person } from '../helpers/fixtures';
import {
  as,
  builtRouteHandlers,
  doorStem,
  builtServerActions,
  snapshot,
  form,
  jsonRequest,
  newSession,
  readResponse,
  routeHandlerDoors,
  runAction,
  serverActionDoors,
  serveFrom,
} from '../helpers/in-process';

vi.mock('next/headers', () => ({
  headers: async () =>
    new Headers({ 'x-forwarded-for': (globalThis as { __requestState?: { ip: string } }).__requestState?.ip ?? '10.90.0.1' }),
  cookies: async () => (await import('../helpers/in-process')).sessionCookieStore(),
}));
vi.mock('next/cache', () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));
vi.mock('next-intl/server', () => ({ getTranslations: async () => (key: string) => key, getLocale: async () => 'zh-CN' }));

const now = new Date(Math.floor(Date.now() / 1000) * 1000);
const f = createFixtures({
  phone: { prefix: '186', base: 7_000_000, step: 41 },
  ids: { fromYear: 1961, stepDays: 17 },
  venue: { namePrefix: '门禁矩阵场所', address: '天河路 9 号', contactPhone: '020-87654321' },
  checker: { displayName: '矩阵门岗', ip: '10.90.0.2', secret: 'test-secret-matrix' },
  base: now,
});
const at = (minutes: number) => new Date(now.getTime() + minutes * MIN);
// Door records are taken at the time of the request: a removal is stamped no earlier than the database's
// clock (#17, removal at one instant), so a record at the file's `now` would be before the removed
// checker's removal — stored, flagged — rather than after it.
const takenNow = () => new Date();

// ---- the cast --------------------------------------------------------------------------------------

const STRANGERS = [
  'anonymous',
  'resident',
  'pendingChecker',
  'removedChecker',
  'otherVenueChecker',
  'otherVenueAdmin',
  'officialElsewhere',
  'officialRevoked',
  'signedOut',
] as const;
type Stranger = (typeof STRANGERS)[number];
type Owner = 'checker' | 'admin' | 'resident' | 'official' | 'invitee';

type Account = { accountId: string; phone: string; sid: string };
const cast = {} as Record<Stranger | Owner, Account> & { signedOutOf: Record<Owner, string> };
const ids = {} as {
  venueId: string;
  inviteCode: string;
  otherVenueId: string;
  person: Person;
  minor: Person;
  pendingBindingId: string;
  checkerBindingId: string;
  removalId: string;
  invitationId: string;
  ticket: string;
  sparePhone: string;
  entranceId: string;
  otherEntranceId: string;
  /** The sunflower code's entrance (not renamed or removed by the entrance rows). */
  quickEntranceId: string;
  /** A notice in V's admin's inbox (a checker waiting for approval). */
  noticeId: string;
  /** V's name (closing it is confirmed by typing it). */
  venueName: string;
  /** A venue V's admin closed before (SPEC L3): its statistics by id, reopening. */
  closedVenueId: string;
  /** A request to link the owner resident's own person as family, waiting for the owner's consent (SPEC L1). */
  linkRequestToOwner: string;
  /** The owner resident's own request to link another resident's person, which the owner may withdraw. */
  linkRequestByOwner: string;
  /** An account guarding the owner resident's own person (我的监护人). */
  ownerGuardian: string;
  /** A pending recovery (找回账号) of the owning resident's account. */
  recoveryId: string;
  /** A red code found at V's door (SPEC T6), for the officials of V's region. */
  redCheckinId: string;
  /** SPEC T1: officials of V's district (天河区) the province official moves and revokes; a phone to grant. */
  tianheOfficial: string;
  tianheOfficialToRevoke: string;
  grantPhone: string;
  /** SPEC L2: a pending identity correction of the owner resident's person (V's visitor: inside 天河区). */
  correctionId: string;
  /** A 流调 case of the owner resident's person, opened by the province official (region 44). */
  caseId: string;
};

async function account(): Promise<Account> {
  const phone = f.newPhone();
  const { id } = await findOrCreateAccount(f.h.db, phone);
  return { accountId: id, phone, sid: await newSession(f.h.db, id) };
}
const withSession = async (a: { accountId: string; phone: string }) => ({ ...a, sid: await newSession(f.h.db, a.accountId) });

beforeAll(async () => {
  const db = f.h.db;
  serveFrom(f.h);
  // Venue V (approval mode): admin, an active checker, a pending one, a removed one.
  const v = await f.newVenue('approval');
  ids.venueId = v.venueId;
  ids.venueName = v.name;
  ids.inviteCode = v.inviteCode;
  cast.admin = await withSession({ accountId: v.admin.accountId, phone: await phoneOf(v.admin.accountId) });
  for (const who of ['checker', 'pendingChecker', 'removedChecker'] as const) {
    cast[who] = await account();
    await f.bindChecker(v, at(-2 * 24 * 60), cast[who]);
  }
  ids.checkerBindingId = await f.openBindingId(v.venueId, cast.checker.accountId);
  expect(await approveChecker(db, v.admin, ids.checkerBindingId, at(-2 * 24 * 60 + 1))).toEqual({ ok: true });
  const removedBinding = await f.openBindingId(v.venueId, cast.removedChecker.accountId);
  expect(await approveChecker(db, v.admin, removedBinding, at(-2 * 24 * 60 + 1))).toEqual({ ok: true });
  expect(await removeChecker(db, v.admin, removedBinding, at(-60))).toEqual({ ok: true });
  ids.removalId = (
    await db.select({ id: checkerRemovals.id }).from(checkerRemovals).where(eq(checkerRemovals.accountId, cast.removedChecker.accountId))
  )[0].id;
  ids.pendingBindingId = await f.openBindingId(v.venueId, cast.pendingChecker.accountId);
  ids.noticeId = (await db.select({ id: notices.id }).from(notices).where(eq(notices.venueId, v.venueId)).limit(1))[0].id;

  // Venue W (immediate): its admin and its checker.
  const w = await f.newVenue('immediate');
  ids.otherVenueId = w.venueId;
  cast.otherVenueAdmin = await withSession({ accountId: w.admin.accountId, phone: await phoneOf(w.admin.accountId) });
  cast.otherVenueChecker = await account();
  await f.bindChecker(w, at(-2 * 24 * 60), cast.otherVenueChecker);

  // A resident with a family member (a child: eligible for the printed offline code); a stranger resident.
  ids.person = await f.newPerson('欧阳矩阵');
  cast.resident = await withSession({ accountId: ids.person.accountId, phone: await phoneOf(ids.person.accountId) });
  ids.minor = await f.register(ids.person.accountId, '欧阳小矩', 'family', 'F', '2016-05-01');
  const stranger = await f.newPerson('司马路人');
  // SPEC L1: a request about the owner's person, one by the owner, and two guardians of the owner's person.
  const requestOf = async (accountId: string, p: Person) => {
    const r = await registerPerson(
      db,
      { keys: f.fieldKeys, verifier: devIdentityVerifier },
      { accountId },
      { idType: 'cn_resident', idNumber: p.idNumber, name: p.name, relation: 'family' },
    );
    if (r.ok || !('requestId' in r)) throw new Error(JSON.stringify(r));
    return r.requestId;
  };
  ids.linkRequestToOwner = await requestOf(await f.newAccount(), ids.person);
  ids.linkRequestByOwner = await requestOf(ids.person.accountId, stranger);
  ids.ownerGuardian = await f.newAccount();
  await db.insert(guardianships).values([
    { accountId: ids.ownerGuardian, personId: ids.person.personId },
    { accountId: await f.newAccount(), personId: ids.person.personId },
  ]);
  // "resident" in the stranger columns is another resident, not the owner.
  cast.official = await account();
  await bootstrapOfficials(db, [cast.official.phone]);
  // SPEC T1: an official of another district (越秀区; V is in 天河区), and one whose role was revoked.
  cast.officialElsewhere = await account();
  await grantRole(db, cast.officialElsewhere.accountId, 'health_official', cast.official.accountId, '440104');
  cast.officialRevoked = await account();
  await grantRole(db, cast.officialRevoked.accountId, 'health_official', cast.official.accountId, '440106');
  await db.delete(accountRoles).where(eq(accountRoles.accountId, cast.officialRevoked.accountId));
  ids.tianheOfficial = await f.newAccount();
  await grantRole(db, ids.tianheOfficial, 'health_official', cast.official.accountId, '440106');
  ids.tianheOfficialToRevoke = await f.newAccount();
  await grantRole(db, ids.tianheOfficialToRevoke, 'health_official', cast.official.accountId, '440106');
  ids.grantPhone = f.newPhone();
  const [correction] = await db
    .insert(identityCorrections)
    .values({ personId: ids.person.personId, requestedByAccountId: ids.person.accountId, note: '姓名有误' })
    .returning({ id: identityCorrections.id });
  ids.correctionId = correction.id;
  cast.invitee = await account();
  const started = await startAdminReplacement(db, cast.admin, cast.invitee.phone, at(-5));
  if (!started.ok) throw new Error(JSON.stringify(started));
  ids.invitationId = started.invitationId;
  ids.sparePhone = f.newPhone();
  // A venue V's admin closed earlier (one admin ↔ one OPEN venue: the closed one stays theirs).
  const [closedVenue] = await db
    .insert(venues)
    .values({
      name: '矩阵已关闭场所',
      type: 'retail',
      townshipCode: f.township,
      address: '天河路 10 号',
      contactPhone: '020-87654321',
      inviteCode: 'CLSDMTRX',
      adminAccountId: cast.admin.accountId,
      closedAt: at(-24 * 60),
      closedByAccountId: cast.admin.accountId,
    })
    .returning({ id: venues.id });
  ids.closedVenueId = closedVenue.id;
  const entrance = await addEntrance(db, cast.admin, { name: '矩阵东门' }, at(-5));
  if (!('entranceId' in entrance)) throw new Error(JSON.stringify(entrance));
  ids.entranceId = entrance.entranceId;

  // An entrance at each venue (the sunflower code is per entrance).
  ids.quickEntranceId = await newEntrance(v.venueId, '东门');
  ids.otherEntranceId = await newEntrance(w.venueId, '北门');

  const opened = await openQuickToken(db, codeKeysFromEnv(), await issueToken(), now);
  if (!opened.ok) throw new Error(JSON.stringify(opened));
  ids.ticket = opened.ticket;

  // Some check-ins at V, so there is something to leak.
  for (const [i, p] of [ids.person, ids.minor, stranger].entries()) {
    const r = await f.record(
      cast.checker,
      f.scan(v.venueId, p.token, at(-30 + i), { temperature: i === 0 ? '37.8' : '36.4' }),
      at(-29 + i),
    );
    f.stored(r);
  }

  // Each owner also has a device that was signed out everywhere (a fresh session comes after it).
  cast.signedOutOf = {} as Record<Owner, string>;
  for (const owner of ['checker', 'admin', 'resident', 'official', 'invitee'] as const) {
    const old = await newSession(db, cast[owner].accountId);
    await signOutEverywhere(db, cast[owner].accountId);
    cast.signedOutOf[owner] = old;
    cast[owner] = { ...cast[owner], sid: await newSession(db, cast[owner].accountId) };
  }
  cast.resident = await withSession({ accountId: stranger.accountId, phone: await phoneOf(stranger.accountId) });
  ownerResident = { accountId: ids.person.accountId, sid: await newSession(db, ids.person.accountId) };
});

let ownerResident: { accountId: string; sid: string };

beforeAll(async () => {
  const [row] = await f.h.db
    .insert(accountPhoneChanges)
    .values({
      accountId: ids.person.accountId,
      oldPhone: await phoneOf(ids.person.accountId),
      newPhone: f.newPhone(),
      mode: 'recovery',
      status: 'pending',
      requestedAt: now,
      effectiveAt: new Date(now.getTime() + 72 * 60 * MIN),
    })
    .returning({ id: accountPhoneChanges.id });
  ids.recoveryId = row.id;
});

// SPEC T6: a red-coded resident scanned at V (天河区): the door red-code rows act on this record.
beforeAll(async () => {
  const redPerson = await f.newPerson('端木红码');
  const set = await setColourByOfficial(
    f.h.db,
    f.fieldKeys,
    cast.official,
    { idType: 'cn_resident', idNumber: redPerson.idNumber, colour: 'red', reason: 'close_contact' },
    at(-40),
  );
  if (!set.ok) throw new Error(JSON.stringify(set));
  ids.redCheckinId = f.stored(await f.record(cast.checker, f.scan(ids.venueId, redPerson.token, takenNow()), takenNow())).id;
});

beforeAll(async () => {
  const opened = await openCase(
    f.h.db,
    f.fieldKeys,
    cast.official,
    { idType: 'cn_resident', idNumber: ids.person.idNumber, kind: 'confirmed', indexDate: chinaDateOf(now) },
    now,
  );
  if (!opened.ok) throw new Error(JSON.stringify(opened));
  ids.caseId = opened.caseId;
});

async function phoneOf(accountId: string) {
  return (await f.h.db.select({ phone: accounts.phone }).from(accounts).where(eq(accounts.id, accountId)))[0].phone as string;
}

async function newEntrance(venueId: string, name: string) {
  const [row] = await f.h.db.insert(venueEntrances).values({ venueId, name }).returning({ id: venueEntrances.id });
  return row.id;
}

async function issueToken() {
  const r = await issueQuickToken(f.h.db, codeKeysFromEnv(), cast.checker, ids.venueId, now);
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.token;
}

// ---- the matrix ------------------------------------------------------------------------------------

type Call = () => Promise<unknown>;
type Expect = Record<string, unknown>;
type Row = {
  /** Who may do it; a signed-out-everywhere device of this owner is one of the strangers. */
  owner?: Owner;
  /** Public doors (no session needed): why that is right. */
  public?: string;
  /** Variants of the call (one target each). */
  calls?: Record<string, Call>;
  /** What each stranger gets back (a partial match), or `allowed: why` where the stranger may legitimately do it. */
  refuse?: Partial<Record<Stranger, Expect | { allowed: string }>> & { default?: Expect };
  /** Per variant, what replaces `default` (the strangers with their own entry keep it). */
  defaultByVariant?: Record<string, Expect>;
  /** The owner's call succeeds (proves the session plumbing works, so the refusals mean something). */
  ownerSees?: Record<string, Expect>;
};

const route =
  (mod: () => Promise<Record<string, unknown>>, method: string, req: () => Request, ctx?: () => unknown): Call =>
  async () => {
    const handler = (await mod())[method] as (r: Request, c?: unknown) => Promise<Response>;
    return readResponse(await handler(req(), ctx?.()));
  };
const action =
  (fn: () => Promise<unknown>): Call =>
  () =>
    runAction(fn);
const get = (url: string) => () => new Request(`http://localhost${url}`);
const unauth = { status: 401 };
/** Every server action answers a caller without an active session the same way (lib/server/action.ts). */
const unauthenticated = { ok: false, reason: 'unauthenticated' };
const noSession = (e: Expect) => ({ anonymous: e, signedOut: e });

const routes = {
  checkins: () => import('@/app/api/checkins/route'),
  batch: () => import('@/app/api/checkins/batch/route'),
  context: () => import('@/app/api/checkins/context/route'),
  resolve: () => import('@/app/api/checkins/resolve/route'),
  summary: () => import('@/app/api/checkins/summary/route'),
  live: () => import('@/app/api/live/route'),
  statusImport: () => import('@/app/api/status-import/route'),
  exportCsv: () => import('@/app/(venue)/venue/stats/export/route'),
  png: () => import('@/app/(resident)/me/print/[personId]/png/route'),
  caseExport: () => import('@/app/(ops)/ops/cases/[id]/export/route'),
};
const actions = {
  settings: () => import('@/app/(account)/settings/actions'),
  inbox: () => import('@/app/(account)/inbox/actions'),
  quick: () => import('@/app/(checker)/checker/quick/actions'),
  visit: () => import('@/app/(public)/q/v/[ticket]/actions'),
  join: () => import('@/app/(public)/join/actions'),
  me: () => import('@/app/(resident)/me/actions'),
  requests: () => import('@/app/(resident)/me/requests/actions'),
  guardians: () => import('@/app/(resident)/me/guardians/actions'),
  venue: () => import('@/app/(venue)/venue/actions'),
  entrances: () => import('@/app/(venue)/venue/entrances/actions'),
  alerts: () => import('@/app/(venue)/venue/alerts/actions'),
  ops: () => import('@/app/(ops)/ops/actions'),
  redCodes: () => import('@/app/(ops)/ops/red-codes/actions'),
  officials: () => import('@/app/(ops)/ops/officials/actions'),
  corrections: () => import('@/app/(ops)/ops/corrections/actions'),
  correction: () => import('@/app/(resident)/me/correction/actions'),
  documents: () => import('@/app/(resident)/me/documents/actions'),
  cases: () => import('@/app/(ops)/ops/cases/actions'),
  phone: () => import('@/app/(account)/settings/phone/actions'),
  deletion: () => import('@/app/(account)/settings/delete/actions'),
  recoveryStop: () => import('@/app/(account)/account-recovery/[id]/actions'),
  recover: () => import('@/app/(public)/recover/actions'),
};

const MATRIX: Record<string, Row> = {
  // -- route handlers --
  'app/api/checkins/route.ts#POST': {
    owner: 'checker',
    calls: {
      record: route(routes.checkins, 'POST', () => jsonRequest('/api/checkins', f.scan(ids.venueId, ids.person.token, takenNow()))),
    },
    refuse: { anonymous: unauth, signedOut: unauth, default: { status: 403, body: { error: 'not_checker' } } },
  },
  'app/api/checkins/batch/route.ts#POST': {
    owner: 'checker',
    calls: {
      batch: route(routes.batch, 'POST', () =>
        jsonRequest('/api/checkins/batch', {
          records: [f.scan(ids.venueId, ids.person.token, takenNow()), f.scan(ids.venueId, ids.minor.token, takenNow())],
        }),
      ),
      // Records the device says the checker took: any other account is refused before anything is read.
      asChecker: route(routes.batch, 'POST', () =>
        jsonRequest('/api/checkins/batch', {
          checkerAccountId: cast.checker.accountId,
          records: [f.scan(ids.venueId, ids.person.token, takenNow())],
        }),
      ),
    },
    // Each record is answered on its own: the request succeeds, every record in it is refused.
    refuse: {
      anonymous: unauth,
      signedOut: unauth,
      default: {
        status: 200,
        body: {
          results: [
            { status: 403, error: 'not_checker' },
            { status: 403, error: 'not_checker' },
          ],
        },
      },
    },
    defaultByVariant: { asChecker: { status: 403, body: { error: 'wrong_account' } } },
  },
  'app/api/checkins/context/route.ts#GET': {
    owner: 'checker',
    calls: { context: route(routes.context, 'GET', () => new Request(`http://localhost/api/checkins/context?venueId=${ids.venueId}`)) },
    refuse: { anonymous: unauth, signedOut: unauth, default: { status: 403, body: { error: 'not_checker' } } },
    ownerSees: { context: { status: 200, body: { venue: { id: expect.any(String) } } } },
  },
  'app/api/checkins/resolve/route.ts#POST': {
    owner: 'checker',
    calls: {
      preview: route(routes.resolve, 'POST', () =>
        jsonRequest('/api/checkins/resolve', { venueId: ids.venueId, code: ids.person.token, method: 'scan' }),
      ),
    },
    refuse: { anonymous: unauth, signedOut: unauth, default: { status: 403, body: { error: 'not_checker' } } },
    ownerSees: { preview: { status: 200, body: { ok: true } } },
  },
  'app/api/checkins/summary/route.ts#GET': {
    owner: 'checker',
    calls: { summary: route(routes.summary, 'GET', () => new Request(`http://localhost/api/checkins/summary?venueId=${ids.venueId}`)) },
    refuse: { anonymous: unauth, signedOut: unauth, default: { status: 403, body: { error: 'not_checker' } } },
    ownerSees: { summary: { status: 200 } },
  },
  'app/api/live/route.ts#GET': {
    owner: 'checker',
    calls: {
      checkerView: route(routes.live, 'GET', () => new Request(`http://localhost/api/live?venueId=${ids.venueId}`)),
      adminView: route(routes.live, 'GET', () => new Request(`http://localhost/api/live?venueId=${ids.venueId}&view=admin`)),
      // The multiplexed form: a venue topic alone is refused outright (with the inbox beside it, the stream
      // ends naming the topic: tests/integration/live-topics.test.ts).
      checkerTopic: route(routes.live, 'GET', () => new Request(`http://localhost/api/live?topics=checker:${ids.venueId}`)),
      adminTopic: route(routes.live, 'GET', () => new Request(`http://localhost/api/live?topics=admin:${ids.venueId}`)),
    },
    refuse: {
      anonymous: unauth,
      signedOut: unauth,
      default: { status: 403 },
    },
  },
  'app/api/status-import/route.ts#POST': {
    public: 'no session: the health authority calls it with the API key; a session without the key is refused',
    calls: {
      noKey: route(routes.statusImport, 'POST', () =>
        jsonRequest('/api/status-import', {
          items: [{ idType: 'cn_resident', idNumber: ids.person.idNumber, colour: 'red', reason: 'close_contact' }],
        }),
      ),
      wrongKey: route(routes.statusImport, 'POST', () =>
        jsonRequest(
          '/api/status-import',
          { items: [{ idType: 'cn_resident', idNumber: ids.person.idNumber, colour: 'red', reason: 'close_contact' }] },
          { authorization: 'Bearer not-the-key' },
        ),
      ),
    },
    refuse: { default: { status: 401, body: { error: 'unauthorized' } } },
  },
  'app/(venue)/venue/stats/export/route.ts#GET': {
    owner: 'admin',
    calls: {
      fevers: route(routes.exportCsv, 'GET', get('/venue/stats/export?kind=fevers')),
      daily: route(routes.exportCsv, 'GET', get('/venue/stats/export?kind=daily')),
      hourly: route(routes.exportCsv, 'GET', get('/venue/stats/export?kind=hourly')),
      entrances: route(routes.exportCsv, 'GET', get('/venue/stats/export?kind=entrances')),
      checkers: route(routes.exportCsv, 'GET', get('/venue/stats/export?kind=checkers')),
      demographics: route(routes.exportCsv, 'GET', get('/venue/stats/export?kind=demographics')),
    },
    refuse: {
      otherVenueAdmin: { allowed: 'acts on the caller’s own venue only (it takes no venue id)' },
      anonymous: unauth,
      signedOut: unauth,
      default: { status: 403, body: { error: 'not_admin' } },
    },
    ownerSees: { fevers: { status: 200 }, entrances: { status: 200 }, checkers: { status: 200 }, demographics: { status: 200 } },
  },
  'app/(ops)/ops/cases/[id]/export/route.ts#GET': {
    owner: 'official',
    calls: {
      csv: route(
        routes.caseExport,
        'GET',
        () => get(`/ops/cases/${ids.caseId}/export`)(),
        () => ({ params: Promise.resolve({ id: ids.caseId }) }),
      ),
    },
    refuse: {
      anonymous: unauth,
      signedOut: unauth,
      // Another district's official, a revoked one, venue roles, residents: the case does not exist for them.
      default: { status: 404, body: { error: 'not_found' } },
    },
    ownerSees: { csv: { status: 200, body: expect.stringContaining('欧阳矩阵') } },
  },
  'app/(resident)/me/print/[personId]/png/route.ts#GET': {
    owner: 'resident',
    calls: {
      png: route(
        routes.png,
        'GET',
        () => new Request('http://localhost/me/print/x/png'),
        () => ({ params: Promise.resolve({ personId: ids.minor.personId }) }),
      ),
    },
    // Not 403: a stranger learns nothing, not even that the person exists.
    refuse: { anonymous: unauth, signedOut: unauth, default: { status: 404, body: { error: 'not_found' } } },
    ownerSees: { png: { status: 200 } },
  },
  'app/api/auth/[...nextauth]/route.ts#GET': {
    public: 'Auth.js itself: sign-in pages, CSRF token, session; the OTP limits are tested in sign-in tests',
  },
  'app/api/auth/[...nextauth]/route.ts#POST': { public: 'Auth.js itself: the phone-code credentials check (limits in sign-in tests)' },
  'app/icons/[size]/route.tsx#GET': { public: 'the home-screen icon, drawn; no data' },
  'app/manifest.ts#GET': { public: 'the web app manifest; no data' },
  'app/sw.js/route.ts#GET': { public: 'the service worker script: static code and the build’s asset list, no data' },
  'app/api/time/route.ts#GET': { public: 'the server clock, for the scanner to measure its offset; no data' },
  'app/api/bench/floor/route.ts#POST': {
    public: 'the benchmark’s framework floor: validates a body, touches no data; 404 unless BENCH_ROUTES=1',
  },

  // -- server actions --
  'app/(account)/settings/actions.ts#signOutEverywhereAction': {
    owner: 'resident',
    calls: { signOut: action(async () => (await actions.settings()).signOutEverywhereAction()) },
    refuse: {
      ...noSession({ ok: false, reason: 'unauthenticated' }),
      default: { allowed: 'acts on the caller’s own sessions only' },
    },
  },
  'app/(checker)/checker/quick/actions.ts#quickCodeAction': {
    owner: 'checker',
    calls: {
      issue: action(async () => (await actions.quick()).quickCodeAction(ids.venueId, null)),
      atEntrance: action(async () => (await actions.quick()).quickCodeAction(ids.venueId, ids.quickEntranceId)),
      // The other venue's checker naming their own venue's entrance at this venue: still not this venue's checker.
      otherVenuesEntrance: action(async () => (await actions.quick()).quickCodeAction(ids.venueId, ids.otherEntranceId)),
    },
    refuse: { ...noSession({ ok: false, reason: 'unauthenticated' }), default: { ok: false, reason: 'not_checker' } },
    ownerSees: { issue: { ok: true }, atEntrance: { ok: true, url: expect.stringMatching(/\/q\/[A-HJ-NP-Z2-9]{10}$/) } },
  },
  'app/(public)/q/v/[ticket]/actions.ts#quickCheckinAction': {
    owner: 'resident',
    calls: {
      confirm: action(async () =>
        (await actions.visit()).quickCheckinAction(
          ids.ticket,
          { selected: [] },
          form({ personId: [ids.person.personId, ids.minor.personId] }),
        ),
      ),
    },
    refuse: { ...noSession({ error: 'unauthenticated' }), default: { error: 'not_yours' } },
  },
  'app/(public)/sign-in/actions.ts#requestCodeAction': {
    public: 'anyone may ask for a code: the per-phone and per-IP limits are the gate (sign-in tests)',
  },
  'app/(public)/join/actions.ts#joinVenueAction': {
    calls: {
      join: action(async () =>
        (await actions.join()).joinVenueAction({ code: '', displayName: '' }, form({ code: ids.inviteCode, displayName: '路人' })),
      ),
    },
    refuse: {
      ...noSession({ error: 'unauthenticated' }),
      removedChecker: { error: 'removed' },
      pendingChecker: { error: 'already_pending' },
      default: { allowed: 'any account may ask to bind (V8, V11): the binding waits for the admin’s approval' },
    },
  },
  'app/(public)/join/actions.ts#findVenueAction': {
    calls: { find: action(async () => (await actions.join()).findVenueAction({ code: '' }, form({ code: ids.inviteCode }))) },
    refuse: {
      ...noSession({ error: 'unauthenticated' }),
      default: { allowed: 'any account may look a code up: rate-limited per account and IP, audited' },
    },
  },
  'app/(resident)/me/actions.ts#registerPersonAction': {
    calls: {
      family: action(async () =>
        (await actions.me()).registerPersonAction(
          'family',
          { values: {} },
          form({ idType: 'cn_resident', name: '欧阳矩阵', idNumber: ids.person.idNumber }),
        ),
      ),
    },
    refuse: {
      ...noSession({ error: 'unauthenticated' }),
      default: {
        allowed:
          'any account registers its own family (real-name checked by the verifier); a registered document only makes a link request that waits for consent (tests/integration/consent.test.ts)',
      },
    },
  },
  'app/(resident)/me/requests/actions.ts#answerLinkRequestAction': {
    owner: 'resident',
    calls: {
      accept: action(async () => (await actions.requests()).answerLinkRequestAction(ids.linkRequestToOwner, 'accept')),
      refuse: action(async () => (await actions.requests()).answerLinkRequestAction(ids.linkRequestToOwner, 'refuse')),
    },
    // Not "forbidden": a request the caller may not answer is as absent as one that does not exist.
    refuse: { ...noSession(unauthenticated), default: { ok: false, reason: 'not_found' } },
    ownerSees: { accept: { ok: true, outcome: 'accepted' } },
  },
  'app/(resident)/me/requests/actions.ts#cancelLinkRequestAction': {
    owner: 'resident',
    calls: { cancel: action(async () => (await actions.requests()).cancelLinkRequestAction(ids.linkRequestByOwner)) },
    // The other resident is the person asked about: they answer it, they do not withdraw it.
    refuse: { ...noSession(unauthenticated), default: { ok: false, reason: 'not_found' } },
    ownerSees: { cancel: { ok: true } },
  },
  'app/(resident)/me/guardians/actions.ts#removeGuardianAction': {
    owner: 'resident',
    calls: { remove: action(async () => (await actions.guardians()).removeGuardianAction(ids.ownerGuardian)) },
    refuse: { ...noSession(unauthenticated), default: { ok: false, reason: 'not_found' } },
    ownerSees: { remove: { ok: true } },
  },
  'app/(resident)/me/guardians/actions.ts#endAllGuardianshipsAction': {
    owner: 'resident',
    calls: { endAll: action(async () => (await actions.guardians()).endAllGuardianshipsAction()) },
    // Acts on the caller's own person only: a stranger without one is not_found, the other resident has no guardians.
    refuse: { ...noSession(unauthenticated), resident: { ok: false, reason: 'no_guardians' }, default: { ok: false, reason: 'not_found' } },
    ownerSees: { endAll: { ok: true } },
  },
  'app/(resident)/me/actions.ts#recordDisplayAction': {
    owner: 'resident',
    calls: { display: action(async () => (await actions.me()).recordDisplayAction(ids.minor.personId, 'offline')) },
    refuse: { ...noSession(unauthenticated), default: { ok: false } },
  },
  'app/(resident)/me/actions.ts#stopGuardingAction': {
    owner: 'resident',
    calls: { stop: action(async () => (await actions.me()).stopGuardingAction(ids.minor.personId)) },
    refuse: { ...noSession(unauthenticated), default: { ok: false } },
  },
  'app/(resident)/me/actions.ts#reissueCodesAction': {
    owner: 'resident',
    calls: {
      reissue: action(async () => (await actions.me()).reissueCodesAction(ids.minor.personId)),
      // The owner's own person, whom two accounts guard (they may not re-issue it: tests/integration/consent.test.ts).
      ownPerson: action(async () => (await actions.me()).reissueCodesAction(ids.person.personId)),
    },
    refuse: { ...noSession(unauthenticated), default: { ok: false, reason: 'not_found' } },
    ownerSees: { reissue: { ok: true }, ownPerson: { ok: true } },
  },
  'app/(venue)/venue/actions.ts#regionChildrenAction': { public: 'the GB/T 2260 division list: public data' },
  'app/(venue)/venue/actions.ts#registerVenueAction': {
    calls: {
      register: action(async () =>
        (await actions.venue()).registerVenueAction(
          { values: {} },
          form({ name: '冒名场所', type: 'retail', townshipCode: f.township, address: '某路 1 号', contactPhone: '020-12345678' }),
        ),
      ),
    },
    refuse: {
      ...noSession({ error: 'unauthenticated' }),
      otherVenueAdmin: { error: 'already_admin' },
      default: { allowed: 'any account without a venue may register one (V2, V4)' },
    },
  },
  'app/(venue)/venue/actions.ts#editVenueAction': {
    owner: 'admin',
    calls: {
      edit: action(async () =>
        (await actions.venue()).editVenueAction(
          { values: {} },
          form({ name: '被改名场所', type: 'retail', townshipCode: f.township, address: '某路 2 号', contactPhone: '020-12345678' }),
        ),
      ),
    },
    refuse: {
      ...noSession({ error: 'unauthenticated' }),
      otherVenueAdmin: { allowed: 'acts on the caller’s own venue only (it takes no venue id)' },
      default: { error: 'not_admin' },
    },
  },
  'app/(venue)/venue/actions.ts#setBindingModeAction': {
    owner: 'admin',
    calls: { mode: action(async () => (await actions.venue()).setBindingModeAction('immediate')) },
    refuse: {
      ...noSession(unauthenticated),
      otherVenueAdmin: { allowed: 'acts on the caller’s own venue only (it takes no venue id)' },
      default: { ok: false, reason: 'not_admin' },
    },
  },
  'app/(venue)/venue/actions.ts#memberAction': {
    owner: 'admin',
    calls: {
      approve: action(async () => (await actions.venue()).memberAction('approve', ids.pendingBindingId)),
      reject: action(async () => (await actions.venue()).memberAction('reject', ids.pendingBindingId)),
      remove: action(async () => (await actions.venue()).memberAction('remove', ids.checkerBindingId)),
      allow: action(async () => (await actions.venue()).memberAction('allow', ids.removalId)),
    },
    // The other venue's admin is an admin, but not of this binding: the ownership check is in the query.
    refuse: {
      ...noSession(unauthenticated),
      otherVenueAdmin: { ok: false, reason: 'not_found' },
      default: { ok: false, reason: 'not_admin' },
    },
  },
  'app/(venue)/venue/actions.ts#startReplacementAction': {
    owner: 'admin',
    calls: { start: action(async () => (await actions.venue()).startReplacementAction(ids.sparePhone)) },
    refuse: {
      ...noSession(unauthenticated),
      otherVenueAdmin: { allowed: 'replaces the admin of their own venue only' },
      default: { ok: false, reason: 'not_admin' },
    },
  },
  'app/(venue)/venue/actions.ts#cancelReplacementAction': {
    owner: 'admin',
    calls: { cancel: action(async () => (await actions.venue()).cancelReplacementAction()) },
    refuse: {
      ...noSession(unauthenticated),
      otherVenueAdmin: { ok: false, reason: 'none_pending' },
      default: { ok: false, reason: 'not_admin' },
    },
  },
  'app/(venue)/venue/actions.ts#acceptInvitationAction': {
    owner: 'invitee',
    calls: { accept: action(async () => (await actions.venue()).acceptInvitationAction(ids.invitationId)) },
    refuse: { ...noSession({ ok: false, reason: 'unauthenticated' }), default: { ok: false, reason: 'not_found' } },
  },
  'app/(venue)/venue/actions.ts#unbindSelfAction': {
    calls: { unbind: action(async () => (await actions.venue()).unbindSelfAction(ids.venueId)) },
    refuse: {
      ...noSession({ ok: false, reason: 'unauthenticated' }),
      pendingChecker: { allowed: 'withdraws their own binding request' },
      default: { ok: false, reason: 'not_found' },
    },
  },
  'app/(venue)/venue/actions.ts#closeVenueAction': {
    owner: 'admin',
    // The owner's success is tests/integration/venue-close.test.ts (closing V here would end the matrix's venue).
    calls: {
      close: action(async () => (await actions.venue()).closeVenueAction({ confirmName: '' }, form({ confirmName: ids.venueName }))),
    },
    refuse: {
      ...noSession({ error: 'unauthenticated' }),
      // An admin acts on their own venue only (no venue id is taken): V's name is not their venue's.
      otherVenueAdmin: { error: 'name_mismatch' },
      default: { error: 'not_admin' },
    },
  },
  'app/(venue)/venue/actions.ts#reopenVenueAction': {
    owner: 'admin',
    calls: { reopen: action(async () => (await actions.venue()).reopenVenueAction(ids.closedVenueId)) },
    refuse: { ...noSession(unauthenticated), default: { ok: false, reason: 'not_found' } },
    // The owner reaches the service: refused only because they run an open venue (V) already.
    ownerSees: { reopen: { ok: false, reason: 'has_open_venue' } },
  },
  'app/(venue)/venue/entrances/actions.ts#addEntranceAction': {
    owner: 'admin',
    calls: { add: action(async () => (await actions.entrances()).addEntranceAction('矩阵西门')) },
    refuse: {
      ...noSession(unauthenticated),
      otherVenueAdmin: { allowed: 'adds to the caller’s own venue only (it takes no venue id)' },
      default: { ok: false, reason: 'not_admin' },
    },
    ownerSees: { add: { ok: true } },
  },
  'app/(venue)/venue/entrances/actions.ts#renameEntranceAction': {
    owner: 'admin',
    calls: { rename: action(async () => (await actions.entrances()).renameEntranceAction(ids.entranceId, '矩阵南门')) },
    // Another venue's admin is an admin, but not of this entrance: the ownership check is in the query.
    refuse: {
      ...noSession(unauthenticated),
      otherVenueAdmin: { ok: false, reason: 'not_found' },
      default: { ok: false, reason: 'not_admin' },
    },
    ownerSees: { rename: { ok: true } },
  },
  'app/(venue)/venue/entrances/actions.ts#removeEntranceAction': {
    owner: 'admin',
    calls: { remove: action(async () => (await actions.entrances()).removeEntranceAction(ids.entranceId)) },
    refuse: {
      ...noSession(unauthenticated),
      otherVenueAdmin: { ok: false, reason: 'not_found' },
      default: { ok: false, reason: 'not_admin' },
    },
  },
  'app/(venue)/venue/alerts/actions.ts#saveAlertsAction': {
    owner: 'admin',
    calls: {
      save: action(async () =>
        (await actions.alerts()).saveAlertsAction(
          { values: {} },
          form({ sms: 'on', quiet: 'set', quietStart: '21:00', quietEnd: '08:00', dailyCap: '7' }),
        ),
      ),
    },
    refuse: {
      ...noSession({ error: 'unauthenticated' }),
      otherVenueAdmin: { allowed: 'sets the alerts of the caller’s own venue only (it takes no venue id)' },
      default: { error: 'not_admin' },
    },
    ownerSees: { save: { saved: true } },
  },
  // SPEC T1: an official of another district (越秀区) is a stranger to V's visitors and venue (天河区).
  'app/(ops)/ops/actions.ts#officialDocumentAction': {
    owner: 'official',
    calls: {
      lookup: action(async () =>
        (await actions.ops()).officialDocumentAction(
          { values: {} },
          form({ idType: 'cn_resident', idNumber: ids.person.idNumber, purpose: '矩阵协查' }),
        ),
      ),
      set: action(async () =>
        (await actions.ops()).officialDocumentAction(
          { values: {} },
          form({
            intent: 'set',
            idType: 'cn_resident',
            idNumber: ids.person.idNumber,
            colour: 'red',
            reason: 'close_contact',
            purpose: '矩阵协查',
          }),
        ),
      ),
    },
    refuse: {
      ...noSession({ error: 'unauthenticated' }),
      officialElsewhere: { error: 'not_in_region' },
      default: { error: 'forbidden' },
    },
    ownerSees: { lookup: { result: { registered: true } } },
  },
  'app/(ops)/ops/officials/actions.ts#grantOfficialAction': {
    owner: 'official',
    calls: {
      grant: action(async () =>
        (await actions.officials()).grantOfficialAction(
          { values: {} },
          form({ phone: ids.grantPhone, region: '440106', reason: '矩阵授权' }),
        ),
      ),
    },
    refuse: {
      ...noSession({ error: 'unauthenticated' }),
      officialElsewhere: { error: 'outside_region' },
      default: { error: 'forbidden' },
    },
    ownerSees: { grant: { done: 'granted' } },
  },
  'app/(ops)/ops/officials/actions.ts#changeOfficialAction': {
    owner: 'official',
    calls: {
      change: action(async () =>
        (await actions.officials()).changeOfficialAction(
          { values: {} },
          form({ accountId: ids.tianheOfficial, region: f.township, reason: '矩阵调整' }),
        ),
      ),
    },
    refuse: {
      ...noSession({ error: 'unauthenticated' }),
      // Another district's official is not told who holds the role in 天河区.
      officialElsewhere: { error: 'not_found' },
      default: { error: 'forbidden' },
    },
    ownerSees: { change: { done: 'changed' } },
  },
  'app/(ops)/ops/officials/actions.ts#revokeOfficialAction': {
    owner: 'official',
    calls: {
      revoke: action(async () =>
        (await actions.officials()).revokeOfficialAction(
          { values: {} },
          form({ accountId: ids.tianheOfficialToRevoke, reason: '矩阵撤销' }),
        ),
      ),
    },
    refuse: {
      ...noSession({ error: 'unauthenticated' }),
      officialElsewhere: { error: 'not_found' },
      default: { error: 'forbidden' },
    },
    ownerSees: { revoke: { done: 'revoked' } },
  },
  'app/(ops)/ops/corrections/actions.ts#resolveCorrectionAction': {
    owner: 'official',
    calls: {
      refuse: action(async () =>
        (await actions.corrections()).resolveCorrectionAction(
          { values: {} },
          form({ requestId: ids.correctionId, decision: 'refuse', reason: '矩阵答复' }),
        ),
      ),
    },
    refuse: {
      ...noSession({ error: 'unauthenticated' }),
      // A request of a person outside the region is as absent as one that does not exist.
      officialElsewhere: { error: 'not_found' },
      default: { error: 'forbidden' },
    },
    ownerSees: { refuse: { done: 'refused' } },
  },
  'app/(resident)/me/correction/actions.ts#requestCorrectionAction': {
    owner: 'resident',
    calls: {
      request: action(async () =>
        (await actions.correction()).requestCorrectionAction(ids.person.personId, { note: '' }, form({ note: '出生日期有误' })),
      ),
    },
    refuse: { ...noSession({ error: 'unauthenticated' }), default: { error: 'not_found' } },
    // The owner's person holds a mainland ID: past the ownership check, refused for the document kind
    // (a passport holder's request: tests/integration/officials.test.ts).
    ownerSees: { request: { error: 'not_correctable' } },
  },
  'app/(resident)/me/documents/actions.ts#renewPassportAction': {
    owner: 'resident',
    calls: {
      renew: action(async () =>
        (await actions.documents()).renewPassportAction(
          ids.person.personId,
          { values: { idNumber: '', nationality: '' } },
          form({ idNumber: 'E55500001', nationality: 'GBR' }),
        ),
      ),
    },
    refuse: { ...noSession({ error: 'unauthenticated' }), default: { error: 'not_found' } },
    // The owner's person holds a mainland ID: past the ownership check, refused for the document kind
    // (a passport holder's renewal: tests/integration/person-documents.test.ts).
    ownerSees: { renew: { error: 'not_passport' } },
  },
  'app/(ops)/ops/actions.ts#rebindAdminAction': {
    owner: 'official',
    calls: {
      find: action(async () => (await actions.ops()).rebindAdminAction({ values: {} }, form({ inviteCode: ids.inviteCode }))),
      rebind: action(async () =>
        (await actions.ops()).rebindAdminAction(
          { values: {} },
          form({ intent: 'rebind', inviteCode: ids.inviteCode, phone: cast.resident.phone, reason: '冒充' }),
        ),
      ),
    },
    refuse: {
      ...noSession({ error: 'unauthenticated' }),
      officialElsewhere: { error: 'not_in_region' },
      default: { error: 'forbidden' },
    },
  },
  'app/(ops)/ops/red-codes/actions.ts#followUpRedCodeAction': {
    owner: 'official',
    calls: {
      verify: action(async () =>
        (await actions.redCodes()).followUpRedCodeAction(
          { note: '' },
          form({ venueId: ids.venueId, checkinId: ids.redCheckinId, status: 'verified', note: '已联系社区' }),
        ),
      ),
    },
    refuse: {
      ...noSession({ error: 'unauthenticated' }),
      // SPEC T6: an official of another district finds no such red code.
      officialElsewhere: { error: 'not_found' },
      default: { error: 'forbidden' },
    },
    ownerSees: { verify: { saved: true, status: 'verified' } },
  },
  'app/(ops)/ops/red-codes/actions.ts#revealRedCodeAction': {
    owner: 'official',
    calls: {
      reveal: action(async () =>
        (await actions.redCodes()).revealRedCodeAction(
          { reason: '' },
          form({ venueId: ids.venueId, checkinId: ids.redCheckinId, reason: '核实红码人员身份' }),
        ),
      ),
    },
    refuse: {
      ...noSession({ error: 'unauthenticated' }),
      officialElsewhere: { error: 'not_found' },
      default: { error: 'forbidden' },
    },
    ownerSees: { reveal: { person: { name: '端木红码', idType: 'cn_resident' } } },
  },
  // -- 流调 cases (SPEC T2–T4): the rules in tests/integration/tracing-cases.test.ts. The case is the province
  // official's (region 44): an official of another district, a revoked one and everyone else get not_found. --
  'app/(ops)/ops/cases/actions.ts#openCaseAction': {
    owner: 'official',
    calls: {
      open: action(async () =>
        (await actions.cases()).openCaseAction(
          { values: {} },
          form({ idType: 'cn_resident', idNumber: ids.person.idNumber, kind: 'confirmed', indexDate: chinaDateOf(new Date()) }),
        ),
      ),
    },
    refuse: {
      ...noSession({ error: 'unauthenticated' }),
      // The owner's person checked in at V (天河区) only: outside 越秀区 (SPEC T1).
      officialElsewhere: { error: 'not_in_region' },
      default: { error: 'forbidden' },
    },
    ownerSees: { open: { redirect: expect.stringMatching(/^\/ops\/cases\/[0-9a-f-]{36}$/) } },
  },
  'app/(ops)/ops/cases/actions.ts#changeWindowAction': {
    owner: 'official',
    calls: {
      window: action(async () =>
        (await actions.cases()).changeWindowAction({ values: {} }, form({ caseId: ids.caseId, windowMinutes: '20' })),
      ),
    },
    refuse: { ...noSession({ error: 'unauthenticated' }), default: { error: 'not_found' } },
    ownerSees: { window: { done: 'window' } },
  },
  'app/(ops)/ops/cases/actions.ts#markContactsAction': {
    owner: 'official',
    calls: {
      mark: action(async () =>
        (await actions.cases()).markContactsAction({ values: {} }, form({ caseId: ids.caseId, personIds: [ids.minor.personId] })),
      ),
    },
    refuse: { ...noSession({ error: 'unauthenticated' }), default: { error: 'not_found' } },
    ownerSees: { mark: { done: 'marked', counts: { marked: 1 } } },
  },
  'app/(ops)/ops/cases/actions.ts#handOffAction': {
    owner: 'official',
    calls: {
      handOff: action(async () =>
        (await actions.cases()).handOffAction(
          { values: {} },
          form({ caseId: ids.caseId, checkinId: '00000000-0000-4000-8000-000000000000' }),
        ),
      ),
    },
    refuse: { ...noSession({ error: 'unauthenticated' }), default: { error: 'not_found' } },
    // The province official's region holds every visit: nothing to hand off, and no such visit.
    ownerSees: { handOff: { error: 'not_found' } },
  },
  'app/(ops)/ops/cases/actions.ts#clearContactsAction': {
    owner: 'official',
    calls: { clear: action(async () => (await actions.cases()).clearContactsAction({ values: {} }, form({ caseId: ids.caseId }))) },
    refuse: { ...noSession({ error: 'unauthenticated' }), default: { error: 'not_found' } },
    ownerSees: { clear: { done: 'cleared' } },
  },
  'app/(ops)/ops/cases/actions.ts#closeCaseAction': {
    owner: 'official',
    calls: { close: action(async () => (await actions.cases()).closeCaseAction({ values: {} }, form({ caseId: ids.caseId }))) },
    refuse: { ...noSession({ error: 'unauthenticated' }), default: { error: 'not_found' } },
    ownerSees: { close: { done: 'closed' } },
  },
  'app/(account)/inbox/actions.ts#readNoticeAction': {
    owner: 'admin',
    calls: { read: action(async () => (await actions.inbox()).readNoticeAction(ids.noticeId)) },
    // Not "forbidden": a notice the caller may not see is as absent as one that does not exist.
    refuse: { ...noSession(unauthenticated), default: { ok: false, reason: 'not_found' } },
  },
  'app/(account)/inbox/actions.ts#readAllNoticesAction': {
    owner: 'admin',
    calls: { readAll: action(async () => (await actions.inbox()).readAllNoticesAction()) },
    refuse: {
      ...noSession(unauthenticated),
      default: { allowed: 'marks only the caller’s own notices read (which ones: tests/integration/inbox.test.ts)' },
    },
  },
  'lib/i18n/actions.ts#setLocale': { public: 'sets the caller’s own language cookie; no data' },
  // -- accounts (SPEC L2, #19): the rules and their refused actors in tests/integration/account-life.test.ts --
  'app/(account)/settings/phone/actions.ts#requestPhoneChangeCodeAction': {
    owner: 'resident',
    calls: { code: action(async () => (await actions.phone()).requestPhoneChangeCodeAction(ids.sparePhone)) },
    refuse: {
      ...noSession(unauthenticated),
      default: { allowed: 'a code bound to the caller’s own account, within the sign-in limits per phone and IP' },
    },
  },
  'app/(account)/settings/phone/actions.ts#changePhoneAction': {
    owner: 'resident',
    // No code was ever sent to this number for anyone: every caller is refused, nothing changes.
    calls: { change: action(async () => (await actions.phone()).changePhoneAction(ids.sparePhone, '123456')) },
    refuse: { ...noSession(unauthenticated), default: { ok: false, reason: 'no_code' } },
  },
  'app/(account)/settings/delete/actions.ts#requestDeletionAction': {
    owner: 'resident',
    calls: { request: action(async () => (await actions.deletion()).requestDeletionAction([])) },
    refuse: {
      ...noSession(unauthenticated),
      otherVenueAdmin: { ok: false, reason: 'open_venue' },
      default: { allowed: 'asks to delete the caller’s own account only (the account is the session’s), cancellable' },
    },
  },
  'app/(account)/settings/delete/actions.ts#cancelDeletionAction': {
    owner: 'resident',
    calls: { cancel: action(async () => (await actions.deletion()).cancelDeletionAction()) },
    // The owner's pending deletion is not anyone else's to cancel: they have none of their own.
    refuse: { ...noSession(unauthenticated), default: { ok: false, reason: 'not_pending' } },
  },
  'app/(account)/account-recovery/[id]/actions.ts#stopRecoveryAction': {
    owner: 'resident',
    calls: { stop: action(async () => (await actions.recoveryStop()).stopRecoveryAction(ids.recoveryId)) },
    // Not "forbidden": a request the caller may not see is as absent as one that does not exist.
    refuse: { ...noSession(unauthenticated), default: { ok: false, reason: 'not_found' } },
  },
  'app/(public)/recover/actions.ts#requestRecoveryCodeAction': {
    public: 'the old number is lost, so nobody is signed in: the sign-in limits per phone and IP are the gate (account-life tests)',
  },
  'app/(public)/recover/actions.ts#requestRecoveryAction': {
    public:
      'the old number is lost: a code to the new number plus the real-name check; limited per number and per document, audited, the same answer for an unknown document and a wrong name (account-life tests)',
  },
};

// ---- the tests -------------------------------------------------------------------------------------

describe('every door has a row', () => {
  it('the matrix lists exactly the route handlers and server actions in the source tree', () => {
    const scanned = serverActionDoors();
    expect(scanned.inline, 'inline "use server" functions: move them to an actions.ts file so the matrix can list them').toEqual([]);
    const doors = [...routeHandlerDoors(), ...scanned.doors].sort();
    expect(doors.length).toBeGreaterThan(20);
    const missing = doors.filter((d) => !(d in MATRIX));
    const stale = Object.keys(MATRIX).filter((d) => !doors.includes(d));
    expect(missing, 'doors without a row in the authorization matrix').toEqual([]);
    expect(stale, 'rows for doors that no longer exist').toEqual([]);
  });

  it('every server action the production build registered is in the matrix', (ctx) => {
    const built = builtServerActions();
    if (!built) {
      ctx.skip(true, 'no production build (.next/server/server-reference-manifest.json): run `npx next build` to cross-check the manifest');
      return;
    }
    const sourceActions = serverActionDoors().doors;
    if (built.doors.length === 0) {
      // An older manifest format without names: at least the counts must agree.
      expect(built.withoutNames).toBeGreaterThanOrEqual(sourceActions.length);
      return;
    }
    expect(
      built.doors.filter((d) => !(d in MATRIX)),
      'built server actions without a matrix row',
    ).toEqual([]);
    // And every route handler the build compiled has rows (a .js handler would show up here too).
    const routeFiles = builtRouteHandlers() ?? [];
    const rowFiles = new Set(Object.keys(MATRIX).map((d) => doorStem(d.split('#')[0])));
    expect(
      routeFiles.filter((file) => !rowFiles.has(doorStem(file))),
      'built route handlers without a matrix row',
    ).toEqual([]);
  });

  it('every row says who owns it, or why it is public, and covers every stranger', () => {
    for (const [door, row] of Object.entries(MATRIX)) {
      if (row.public && !row.calls) continue;
      expect(row.calls, door).toBeDefined();
      for (const s of STRANGERS) expect(row.refuse?.[s] ?? row.refuse?.default, `${door}: no expectation for ${s}`).toBeDefined();
    }
  });
});

function actorSid(s: Stranger, row: Row): string | null {
  if (s === 'anonymous') return null;
  if (s === 'signedOut') return cast.signedOutOf[row.owner ?? 'resident'];
  return cast[s].sid;
}

describe('strangers are refused and change nothing', () => {
  for (const [door, row] of Object.entries(MATRIX)) {
    if (!row.calls) continue;
    it(door, async () => {
      const db = f.h.db;
      for (const [variant, call] of Object.entries(row.calls!)) {
        for (const s of STRANGERS) {
          const expected = row.refuse?.[s] ?? row.defaultByVariant?.[variant] ?? row.refuse?.default;
          if (!expected || 'allowed' in expected) continue;
          const before = await snapshot(db);
          const got = await as(actorSid(s, row), call);
          expect(got, `${door} ${variant} as ${s}`).toMatchObject(expected);
          expect(await snapshot(db), `${door} ${variant} as ${s} changed the database`).toEqual(before);
        }
      }
    });
  }
});

describe('owners get through (so the refusals above are not a broken session)', () => {
  for (const [door, row] of Object.entries(MATRIX)) {
    if (!row.ownerSees) continue;
    it(door, async () => {
      for (const [variant, expected] of Object.entries(row.ownerSees!)) {
        const sid = row.owner === 'resident' ? ownerResident.sid : cast[row.owner!].sid;
        expect(await as(sid, row.calls![variant]), `${door} ${variant} as ${row.owner}`).toMatchObject(expected);
      }
    });
  }
});

describe('a closed venue’s statistics by id (SPEC L3): its admin only', () => {
  const exportOf = (kind: string) => route(routes.exportCsv, 'GET', get(`/venue/stats/export?kind=${kind}&venue=${ids.closedVenueId}`));
  it('every stranger (another venue’s admin too) is refused and changes nothing; the admin gets the file', async () => {
    for (const kind of ['daily', 'fevers', 'checkers', 'entrances', 'demographics', 'hourly']) {
      for (const s of STRANGERS) {
        const before = await snapshot(f.h.db);
        const expected = s === 'anonymous' || s === 'signedOut' ? unauth : { status: 403, body: { error: 'not_admin' } };
        expect(await as(actorSid(s, { owner: 'admin' }), exportOf(kind)), `${kind} as ${s}`).toMatchObject(expected);
        expect(await snapshot(f.h.db), `${kind} as ${s} changed the database`).toEqual(before);
      }
      expect(await as(cast.admin.sid, exportOf(kind)), `${kind} as the admin`).toMatchObject({ status: 200 });
    }
  });
  it('the venue’s checker cannot close it, nor reopen the closed one', async () => {
    const before = await snapshot(f.h.db);
    const close = action(async () => (await actions.venue()).closeVenueAction({ confirmName: '' }, form({ confirmName: ids.venueName })));
    expect(await as(cast.checker.sid, close)).toMatchObject({ error: 'not_admin' });
    const reopen = action(async () => (await actions.venue()).reopenVenueAction(ids.closedVenueId));
    expect(await as(cast.checker.sid, reopen)).toMatchObject({ ok: false, reason: 'not_found' });
    expect(await snapshot(f.h.db)).toEqual(before);
  });
});

describe('the entrances of a venue: its own checker is not its admin', () => {
  it('the venue’s active checker is refused every entrance action and changes nothing', async () => {
    const calls = [
      action(async () => (await actions.entrances()).addEntranceAction('门岗自建门')),
      action(async () => (await actions.entrances()).renameEntranceAction(ids.entranceId, '门岗改名')),
      action(async () => (await actions.entrances()).removeEntranceAction(ids.entranceId)),
    ];
    for (const call of calls) {
      const before = await snapshot(f.h.db);
      expect(await as(cast.checker.sid, call)).toMatchObject({ ok: false, reason: 'not_admin' });
      expect(await snapshot(f.h.db)).toEqual(before);
    }
  });

  it('bad input gets its reason and changes nothing', async () => {
    const cases: [() => Promise<unknown>, string][] = [
      [async () => (await actions.entrances()).addEntranceAction('   '), 'entrance_name'],
      [async () => (await actions.entrances()).addEntranceAction('门'.repeat(21)), 'entrance_name'],
      [async () => (await actions.entrances()).renameEntranceAction('not-a-uuid', '东门'), 'invalid'],
      [async () => (await actions.entrances()).removeEntranceAction('not-a-uuid'), 'invalid'],
    ];
    for (const [fn, reason] of cases) {
      const before = await snapshot(f.h.db);
      expect(await as(cast.admin.sid, action(fn))).toMatchObject({ ok: false, reason });
      expect(await snapshot(f.h.db)).toEqual(before);
    }
  });
});

describe('input the wrapper refuses before any service runs', () => {
  it('memberAction with a kind that is not one of the four (an inherited key such as "constructor") is invalid', async () => {
    for (const kind of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const before = await snapshot(f.h.db);
      const got = await as(
        cast.admin.sid,
        action(async () => (await actions.venue()).memberAction(kind as 'approve', ids.pendingBindingId)),
      );
      expect(got, kind).toMatchObject({ ok: false, reason: 'invalid' });
      expect(await snapshot(f.h.db)).toEqual(before);
    }
  });
});

describe('the sunflower code: entrances and short links', () => {
  it('the venue’s own checker naming another venue’s entrance is refused (unknown_entrance) and nothing is stored', async () => {
    // Refused, not swapped for the main entrance: the screen names the entrance it asked for, and a code
    // silently made for another door would put records at the wrong entrance. (The page itself falls back
    // to the main entrance before it asks: tests/integration/quick-links.test.ts.)
    const before = await snapshot(f.h.db);
    const got = await as(
      cast.checker.sid,
      action(async () => (await actions.quick()).quickCodeAction(ids.venueId, ids.otherEntranceId)),
    );
    expect(got).toEqual({ ok: false, reason: 'unknown_entrance' });
    expect(await snapshot(f.h.db)).toEqual(before);
  });

  it('a malformed entrance id is refused by the wrapper (invalid), nothing stored', async () => {
    const before = await snapshot(f.h.db);
    const quick = await actions.quick();
    const got = await as(
      cast.checker.sid,
      action(async () => quick.quickCodeAction(ids.venueId, 'east-gate' as unknown as string)),
    );
    expect(got).toMatchObject({ ok: false, reason: 'invalid' });
    expect(await snapshot(f.h.db)).toEqual(before);
  });

  it('/q/<short id> is public (a visitor’s camera app opens it, no session): it gives a visit ticket and nothing else; a miss changes only the rate-limit counter', async () => {
    const issued = await issueQuickLink(
      f.h.db,
      codeKeysFromEnv(),
      cast.checker,
      { venueId: ids.venueId, entranceId: ids.quickEntranceId, origin: 'http://localhost' },
      now,
    );
    if (!issued.ok) throw new Error(JSON.stringify(issued));
    const limits = { missesPerIpPerMinute: 60, secret: 'test-secret-matrix' };
    const before = await snapshot(f.h.db);
    expect(await openQuickLink(f.h.db, codeKeysFromEnv(), issued.shortId, '10.90.0.9', limits, now)).toEqual({
      ok: true,
      ticket: expect.stringMatching(/^Q1\./),
      venueName: expect.any(String),
    });
    expect(await openQuickLink(f.h.db, codeKeysFromEnv(), 'ABCDEFGHJK', '10.90.0.9', limits, now)).toEqual({
      ok: false,
      reason: 'expired',
    });
    // An unknown client address is refused, not one shared bucket.
    expect(await openQuickLink(f.h.db, codeKeysFromEnv(), issued.shortId, null, limits, now)).toMatchObject({
      ok: false,
      reason: 'rate_limited',
    });
    expect(await snapshot(f.h.db)).toEqual(before);
  });
});

describe('the printable daily report (a page, not a door): only the venue’s admin, audited', () => {
  const open = (query: Record<string, string> = {}) =>
    action(async () => (await import('@/app/(venue)/venue/stats/report/page')).default({ searchParams: Promise.resolve(query) }));
  /** The page's element tree as text (its child components are not rendered: their props are enough here). */
  const text = (tree: unknown) => {
    const seen = new WeakSet();
    return JSON.stringify(tree, (_k, v: unknown) => {
      if (typeof v === 'object' && v !== null) {
        if (seen.has(v)) return undefined;
        seen.add(v);
      }
      return typeof v === 'function' ? undefined : v;
    });
  };
  const reportRows = async () =>
    (await f.h.db.select({ id: auditLog.id }).from(auditLog).where(eq(auditLog.action, 'stats.report'))).length;

  it('every stranger and the venue’s own checker are sent away, and nothing is written', async () => {
    for (const s of [...STRANGERS.filter((x) => x !== 'otherVenueAdmin'), 'checker'] as const) {
      const sid = s === 'anonymous' ? null : s === 'signedOut' ? cast.signedOutOf.admin : cast[s].sid;
      const before = await snapshot(f.h.db, new Set(['rate_limits']));
      const got = await as(sid, open());
      const to = s === 'anonymous' || s === 'signedOut' ? expect.stringMatching(/^\/sign-in/) : '/venue';
      expect(got, s).toEqual({ redirect: to });
      // Not even the audit log changes: nothing was read.
      expect(await snapshot(f.h.db, new Set(['rate_limits'])), s).toEqual(before);
    }
  });

  it('another venue’s admin gets their own venue’s report (the page takes no venue id)', async () => {
    const before = await reportRows();
    const page = text(await as(cast.otherVenueAdmin.sid, open()));
    expect(page).toContain('"generatedAt"');
    expect(await reportRows()).toBe(before + 1);
    const [row] = await f.h.db.select().from(auditLog).where(eq(auditLog.action, 'stats.report')).orderBy(desc(auditLog.at)).limit(1);
    expect(row).toMatchObject({ actorAccountId: cast.otherVenueAdmin.accountId, venueId: ids.otherVenueId });
  });

  it('the admin gets the report, one audit row; a bad or too long range gets a message, nothing read or written', async () => {
    const before = await reportRows();
    expect(text(await as(cast.admin.sid, open()))).toContain('"generatedAt"');
    expect(await reportRows()).toBe(before + 1);
    for (const [query, message] of [
      [{ day: '2026-02-30' }, 'badDay'],
      [{ from: '2019-12-31' }, 'badDay'],
      [{ from: '2026-11-01', to: '2026-11-08' }, 'tooLong'],
    ] as const) {
      const page = text(await as(cast.admin.sid, open(query)));
      expect(page, JSON.stringify(query)).toContain(`"children":"${message}"`);
      expect(page).not.toContain('"generatedAt"');
    }
    expect(await reportRows()).toBe(before + 1);
  });
});

describe('提醒设置 (/venue/alerts): only the venue’s current admin', () => {
  const save = action(async () =>
    (await actions.alerts()).saveAlertsAction(
      { values: {} },
      form({ sms: 'off', quiet: 'none', quietStart: '', quietEnd: '', dailyCap: '3' }),
    ),
  );
  it('the venue’s own checker is refused and changes nothing; the page shows them nothing', async () => {
    const before = await snapshot(f.h.db);
    expect(await as(cast.checker.sid, save)).toMatchObject({ error: 'not_admin' });
    expect(await snapshot(f.h.db)).toEqual(before);
    const { alertsPageOf } = await import('@/lib/alerts/settings');
    expect(await alertsPageOf(f.h.db, cast.checker)).toBeNull();
    expect(await alertsPageOf(f.h.db, cast.resident)).toBeNull();
  });

  it('another venue’s admin changes their own venue’s alerts, never this venue’s', async () => {
    const { alertSettingsOf } = await import('@/db/queries/alerts');
    const mine = await alertSettingsOf(f.h.db, ids.venueId);
    expect(await as(cast.otherVenueAdmin.sid, save)).toMatchObject({ saved: true });
    expect(await alertSettingsOf(f.h.db, ids.venueId)).toEqual(mine);
    expect(await alertSettingsOf(f.h.db, ids.otherVenueId)).toMatchObject({ smsEnabled: false, dailyCap: 3, quietStartMin: null });
  });

  it('bad input gets a zh-CN field reason and changes nothing', async () => {
    const before = await snapshot(f.h.db);
    const bad = action(async () =>
      (await actions.alerts()).saveAlertsAction(
        { values: {} },
        form({ sms: 'on', quiet: 'set', quietStart: '7点', quietEnd: '07:00', dailyCap: '99' }),
      ),
    );
    expect(await as(cast.admin.sid, bad)).toMatchObject({ fieldErrors: { quietStart: 'time', dailyCap: 'daily_cap' } });
    expect(await snapshot(f.h.db)).toEqual(before);
  });
});

describe('the printable case (a page, not a door): officials with access only, audited', () => {
  const open = () =>
    action(async () => (await import('@/app/(ops)/ops/cases/[id]/print/page')).default({ params: Promise.resolve({ id: ids.caseId }) }));
  const exports = async () => (await f.h.db.select({ id: auditLog.id }).from(auditLog).where(eq(auditLog.action, 'case.export'))).length;

  it('every stranger gets not found (signed out: sign in), and nothing is written', async () => {
    for (const s of STRANGERS) {
      const sid = s === 'anonymous' ? null : s === 'signedOut' ? cast.signedOutOf.official : cast[s].sid;
      const before = await snapshot(f.h.db, new Set(['rate_limits']));
      const got = await as(sid, async () => {
        try {
          return await open()();
        } catch (error) {
          const digest = String((error as { digest?: unknown })?.digest ?? '');
          if (digest.startsWith('NEXT_HTTP_ERROR_FALLBACK;404')) return 'not found';
          throw error;
        }
      });
      if (s === 'anonymous' || s === 'signedOut') expect(got, s).toEqual({ redirect: expect.stringMatching(/^\/sign-in/) });
      else expect(got, s).toBe('not found');
      expect(await snapshot(f.h.db, new Set(['rate_limits'])), s).toEqual(before);
    }
  });

  it('the official gets the page, with one audit row', async () => {
    const before = await exports();
    const page = await as(cast.official.sid, open());
    const seen = new WeakSet();
    const tree = JSON.stringify(page, (_k, v: unknown) => {
      if (typeof v === 'object' && v !== null) {
        if (seen.has(v)) return undefined;
        seen.add(v);
      }
      return typeof v === 'function' ? undefined : v;
    });
    expect(tree).toContain('case-print');
    expect(tree).toContain('欧阳矩阵');
    expect(await exports()).toBe(before + 1);
  });
});
