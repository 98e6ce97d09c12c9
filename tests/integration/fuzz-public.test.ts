// Issue #9, hostile input beyond the door: property-based fuzzing (fast-check; a few hundred cases each
// per run, 10,000 with FUZZ_RUNS=10000) of the status-import API, the quick check-in token and its
// confirmation, sign-in (asking for a code and checking one) and the venue forms, called in-process.
// Limits are off so that every case reaches validation. Never a thrown error (a 500), a clear error
// every time (a reason the form or page has words for in the zh-CN catalogue; the import API names each
// bad field), and nothing stored.
import fc from 'fast-check';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import zh from '@/lib/i18n/messages/zh-CN.json';
import { normalizePhone } from '@/lib/auth/phone';
import { requestSignInCode, verifySignInCode, type SignInConfig } from '@/lib/auth/sign-in';
import { openQuickToken } from '@/lib/checkin/quick-checkin';
import { signQuickToken, signVisitTicket } from '@/lib/checkin/quick-token';
import { checkDocumentNumber } from '@/lib/health-code/document-ref';
import { codeKeysFromEnv, codeKeysFromSeed } from '@/lib/health-code/token';
import { isServedTownship } from '@/lib/regions/divisions';
import { normalizeContactPhone } from '@/lib/venues/venue-info';
import { VENUE_TYPES } from '@/lib/venues/venue-types';
import { captureSender } from '../helpers/capture-sender';
import { DB_RUNS } from '../helpers/fuzz-runs';
import { createFixtures, DAY, MIN, type Person } from '../helpers/fixtures';
import {
  as,
  form,
  jsonRequest,
  MAY_CHANGE_ON_REFUSAL,
  newSession,
  readResponse,
  runAction,
  snapshot,
  serveFrom,
} from '../helpers/in-process';

vi.mock('next/headers', () => ({
  headers: async () =>
    new Headers({ 'x-forwarded-for': (globalThis as { __requestState?: { ip: string } }).__requestState?.ip ?? '10.92.0.1' }),
  cookies: async () => (await import('../helpers/in-process')).sessionCookieStore(),
}));
vi.mock('next/cache', () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

// Database-backed: a few hundred cases per run, FUZZ_RUNS=10000 for the full run (tests/helpers/fuzz-runs.ts).
const RUNS = DB_RUNS;
const now = new Date(Math.floor(Date.now() / 1000) * 1000);
const f = createFixtures({
  phone: { prefix: '188', base: 5_000_000, step: 31 },
  ids: { fromYear: 1965, stepDays: 23 },
  venue: { namePrefix: '模糊表单场所', address: '东风中路 5 号', contactPhone: '020-83335555' },
  checker: { displayName: '模糊小赵', ip: '10.92.0.2', secret: 'test-secret-fuzz-public' },
  base: now,
});

const junk = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
);
const KEEP = Symbol('keep');
/** `bad` once in `keepWeight + 1` cases, otherwise KEEP (the valid value). */
const sometimes = <T>(bad: fc.Arbitrary<T>, keepWeight: number) =>
  fc.oneof({ arbitrary: fc.constant(KEEP), weight: keepWeight }, { arbitrary: bad, weight: 1 });
function apply(base: Record<string, unknown>, r: Record<string, unknown>) {
  const out = { ...base };
  for (const [k, v] of Object.entries(r)) if (v !== KEEP) out[k] = v;
  return out;
}
const someCorrupted = (r: Record<string, unknown>) => Object.values(r).some((v) => v !== KEEP);

async function unchangedAfter(run: () => Promise<void>, except = MAY_CHANGE_ON_REFUSAL) {
  const before = await snapshot(f.h.db, except);
  await run();
  expect(await snapshot(f.h.db, except)).toEqual(before);
}

let venueId: string;
let checker: { accountId: string };
let admin: { accountId: string; sid: string };
let resident: Person & { sid: string };
let stranger: Person;
let newcomerSid: string;

beforeAll(async () => {
  serveFrom(f.h);
  const d = await f.door();
  venueId = d.v.venueId;
  checker = d.c;
  admin = { ...d.v.admin, sid: await newSession(f.h.db, d.v.admin.accountId) };
  const p = await f.newPerson('上官模糊');
  resident = { ...p, sid: await newSession(f.h.db, p.accountId) };
  stranger = await f.newPerson('东方路人');
  newcomerSid = await newSession(f.h.db, await f.newAccount());
});

describe(`fuzzing public inputs (${RUNS} cases each)`, () => {
  it('status import: a batch with any bad item or a bad envelope is refused whole, naming the fault', { timeout: 600_000 }, async () => {
    const { POST } = await import('@/app/api/status-import/route');
    const auth = { authorization: 'Bearer dev-status-import-key' };
    const validId = f.newResidentId();
    const goodItem = { idType: 'cn_resident', idNumber: validId, colour: 'green', asOf: '2026-05-01T08:00:00+08:00' };
    const badItem = fc
      .record({
        idType: sometimes(fc.oneof(junk, fc.constantFrom('passport', 'CN_RESIDENT', 'id', '')), 4),
        idNumber: sometimes(
          fc.oneof(junk, fc.string({ maxLength: 20 }), fc.constant(validId.slice(0, 17) + (validId[17] === '0' ? '1' : '0'))),
          4,
        ),
        colour: sometimes(fc.oneof(junk, fc.constantFrom('yellow', 'Red', 'GREEN', '')), 4),
        reason: sometimes(fc.oneof(fc.string({ minLength: 1, maxLength: 40 }), fc.integer()), 5),
        asOf: sometimes(
          fc.oneof(
            junk,
            fc.constantFrom(
              '2026-05-01',
              '2026-05-01T08:00:00',
              '2026-02-30T08:00:00Z',
              '2099-01-01T00:00:00Z',
              '2026-05-01T24:00:00Z',
              'yesterday',
            ),
          ),
          4,
        ),
        extra: fc.constant(KEEP),
      })
      .filter(someCorrupted)
      // Only definitely-bad items: a changed idType alone must leave the number invalid for that type.
      .filter(
        (r) =>
          Object.entries(r).some(([k, v]) => k !== 'idType' && v !== KEEP) ||
          typeof r.idType !== 'string' ||
          !checkDocumentNumber({ idType: r.idType, idNumber: validId }).ok,
      )
      .map((r) => apply(goodItem, r));
    const body = fc.oneof(
      { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 1 },
      {
        arbitrary: fc.record({
          batchId: fc
            .oneof(junk, fc.constantFrom('', 'a b', 'x'.repeat(101), 'ü'))
            .filter((b) => typeof b !== 'string' || !/^[\w.:-]{1,100}$/.test(b)),
          items: fc.constant([goodItem]),
        }),
        weight: 1,
      },
      {
        arbitrary: fc.record({
          batchId: fc.stringMatching(/^[\w.:-]{1,40}$/),
          items: fc.oneof(
            junk.filter((v) => !Array.isArray(v) || v.length === 0),
            fc.constant([]),
          ),
        }),
        weight: 1,
      },
      {
        arbitrary: fc.record({
          batchId: fc.stringMatching(/^[\w.:-]{1,40}$/),
          items: fc
            .tuple(fc.array(fc.constant(goodItem), { maxLength: 3 }), fc.array(fc.oneof(badItem, junk), { minLength: 1, maxLength: 3 }))
            .map(([a, b]) => [...a, ...b]),
        }),
        weight: 5,
      },
    );
    const seen = new Map<string, number>();
    await unchangedAfter(async () => {
      await fc.assert(
        fc.asyncProperty(body, async (b) => {
          const res = await readResponse(await POST(jsonRequest('/api/status-import', b, auth)));
          expect([400, 422], JSON.stringify({ b, res })).toContain(res.status);
          const out = res.body as { error: string; issues?: string[]; items?: { index: number; errors: string[] }[] };
          seen.set(out.error, (seen.get(out.error) ?? 0) + 1);
          if (out.error === 'invalid_batch') expect(out.issues!.length).toBeGreaterThan(0);
          else {
            expect(out.error).toBe('invalid_items');
            for (const item of out.items!) expect(item.errors.length).toBeGreaterThan(0);
          }
        }),
        { numRuns: RUNS },
      );
      const tooMany = { batchId: 'too-many', items: Array.from({ length: 10_001 }, () => goodItem) };
      expect(await readResponse(await POST(jsonRequest('/api/status-import', tooMany, auth)))).toMatchObject({
        status: 400,
        body: { error: 'invalid_batch' },
      });
    });
    if (RUNS >= 300) expect([...seen.keys()].sort()).toEqual(['invalid_batch', 'invalid_items']);
  });

  it('quick check-in token: anything but a fresh code of an active checker opens nothing', { timeout: 600_000 }, async () => {
    const keys = codeKeysFromEnv();
    const other = codeKeysFromSeed(Buffer.alloc(32, 11).toString('base64'));
    const real = signQuickToken(keys, { venueId, checkerAccountId: checker.accountId, issuedAt: now.getTime() });
    const token = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.string({ unit: 'binary', maxLength: 100 }),
      fc.nat().map((n) => mutateMiddle(real, n)),
      // Expired by at least a second (issue times are whole seconds, rounded up: see quick-token.ts).
      fc
        .integer({ min: 10 * MIN + 1000, max: 365 * DAY })
        .map((age) => signQuickToken(keys, { venueId, checkerAccountId: checker.accountId, issuedAt: now.getTime() - age })),
      fc.uuid().map((v) => signQuickToken(keys, { venueId: v, checkerAccountId: checker.accountId, issuedAt: now.getTime() })),
      fc.constant(signQuickToken(other, { venueId, checkerAccountId: checker.accountId, issuedAt: now.getTime() })),
      fc.constant(signVisitTicket(keys, { venueId, checkerAccountId: checker.accountId, issuedAt: now.getTime() })),
    );
    await unchangedAfter(async () => {
      await fc.assert(
        fc.asyncProperty(token, async (t) => {
          const r = await openQuickToken(f.h.db, keys, t, now);
          expect(r.ok).toBe(false);
          if (!r.ok) expect(Object.keys(zh.quick.errors)).toContain(r.reason);
        }),
        { numRuns: RUNS },
      );
    });
  });

  it('quick check-in confirmation: a bad ticket or someone else’s people record nothing', { timeout: 600_000 }, async () => {
    const { quickCheckinAction } = await import('@/app/(public)/q/v/[ticket]/actions');
    const keys = codeKeysFromEnv();
    const good = () => signVisitTicket(keys, { venueId, checkerAccountId: checker.accountId, issuedAt: Date.now() });
    const ticket = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.nat().map((n) => mutateMiddle(good(), n)),
      fc
        .integer({ min: 10 * MIN + 1000, max: 365 * DAY })
        .map((age) => signVisitTicket(keys, { venueId, checkerAccountId: checker.accountId, issuedAt: Date.now() - age })),
      fc.constant(KEEP),
    );
    const personIds = fc.oneof(
      fc.array(fc.string({ maxLength: 40 }), { maxLength: 4 }),
      fc.array(fc.uuid(), { minLength: 1, maxLength: 3 }),
      fc.constant([stranger.personId]),
      fc.constant([resident.personId, stranger.personId]),
      fc.array(fc.constant(resident.personId), { minLength: 51, maxLength: 60 }).map((a) => a.map((p, i) => (i === 0 ? p : `${p}${i}`))),
      fc.constant([]),
    );
    const input = fc
      .tuple(ticket, personIds)
      .filter(([t, p]) => t !== KEEP || !(p.length >= 1 && p.length <= 50 && p.every((x) => x === resident.personId)));
    await unchangedAfter(async () => {
      await fc.assert(
        fc.asyncProperty(input, async ([t, p]) => {
          const state = (await as(resident.sid, () =>
            runAction(() => quickCheckinAction(t === KEEP ? good() : (t as string), { selected: [] }, form({ personId: [...p] }))),
          )) as { error?: string; done?: unknown };
          expect(state.done).toBeUndefined();
          expect(Object.keys(zh.quick.errors)).toContain(state.error);
        }),
        { numRuns: RUNS },
      );
    });
  });

  it('sign-in: asking for a code with anything but a mainland mobile number stores nothing', { timeout: 600_000 }, async () => {
    const { requestCodeAction } = await import('@/app/(public)/sign-in/actions');
    const phone = fc
      .oneof(
        fc.string({ maxLength: 32 }),
        fc.string({ unit: 'binary', maxLength: 32 }),
        fc.stringMatching(/^\+?[0-9 -]{0,20}$/),
        fc.constantFrom('12345678901', '1380013800', '138001380000', '+1 415 555 0100', '１３８００１３８０００'),
      )
      .filter((p) => normalizePhone(p.slice(0, 32)) === null);
    await unchangedAfter(async () => {
      await fc.assert(
        fc.asyncProperty(phone, async (p) => {
          const state = await as(null, () => requestCodeAction({ phone: '' }, form({ phone: p })));
          expect(state.sent).toBeUndefined();
          expect(state.error?.reason).toBe('invalid_phone');
          expect(Object.keys(zh.signIn.errors)).toContain(state.error!.reason);
        }),
        { numRuns: RUNS },
      );
    });
  });

  it('sign-in: no wrong, malformed, foreign or absent code ever opens a session', { timeout: 600_000 }, async () => {
    const cfg: SignInConfig = {
      secret: 'fuzz-sign-in-secret',
      limits: { codeTtlSeconds: 300, maxAttempts: 5, resendSeconds: 0, dailyPerPhone: 1_000_000, hourlyPerIp: 1_000_000 },
    };
    const sender = captureSender();
    const phones = Array.from({ length: 40 }, () => f.newPhone());
    for (const p of phones) expect(await requestSignInCode(f.h.db, cfg, sender, { phone: p, ip: '10.92.1.1' })).toMatchObject({ ok: true });
    const live = new Map(sender.sent.map((s) => [s.phone, s.code]));
    const withoutCode = f.newPhone();
    const input = fc.record({
      phone: fc.oneof(
        { arbitrary: fc.constantFrom(...phones), weight: 6 },
        { arbitrary: fc.constant(withoutCode), weight: 1 },
        { arbitrary: fc.string({ maxLength: 20 }), weight: 1 },
      ),
      code: fc.oneof(
        { arbitrary: fc.stringMatching(/^\d{6}$/), weight: 6 },
        { arbitrary: fc.string({ maxLength: 10 }), weight: 1 },
        { arbitrary: fc.stringMatching(/^ ?\d{5,7} ?$/), weight: 1 },
      ),
    });
    // Wrong tries are counted on the code row (that is the point), so sign_in_codes may change; nothing else.
    await unchangedAfter(
      async () => {
        await fc.assert(
          fc.asyncProperty(
            input.filter((i) => live.get(i.phone) !== i.code.trim()),
            async (i) => {
              const r = await verifySignInCode(f.h.db, cfg, { phone: i.phone, code: i.code });
              expect(r.ok).toBe(false);
              if (!r.ok) expect(Object.keys(zh.signIn.errors)).toContain(r.reason);
            },
          ),
          { numRuns: RUNS },
        );
      },
      new Set([...MAY_CHANGE_ON_REFUSAL, 'sign_in_codes']),
    );
  });

  const venueValues = {
    name: '模糊测试新场所',
    type: 'retail',
    townshipCode: f.township,
    address: '东风中路 6 号',
    contactPhone: '020-83336666',
  };
  const badVenueForm = fc
    .record({
      name: sometimes(
        fc.oneof(
          fc.constantFrom('', ' ', '名', ' 名 '),
          fc.string({ minLength: 51, maxLength: 80 }).map((s) => `${'名'.repeat(51)}${s}`),
        ),
        4,
      ),
      type: sometimes(fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('Retail', 'shop', ' retail_x')), 4).filter(
        (t) => t === KEEP || !VENUE_TYPES.includes((t as string).trim() as never),
      ),
      townshipCode: sometimes(
        fc.oneof(fc.string({ maxLength: 12 }), fc.stringMatching(/^44\d{4,10}$/), fc.constantFrom('440106', '4401', '44', '110101001000')),
        4,
      ).filter((c) => c === KEEP || !isServedTownship((c as string).trim())),
      address: sometimes(
        fc.oneof(
          fc.constantFrom('', ' ', '路'),
          fc.string({ minLength: 101, maxLength: 150 }).map((s) => `${'路'.repeat(101)}${s}`),
        ),
        4,
      ),
      contactPhone: sometimes(fc.oneof(fc.string({ maxLength: 20 }), fc.stringMatching(/^[0-9-]{1,16}$/)), 4).filter(
        (p) => p === KEEP || !normalizeContactPhone((p as string).trim().replace(/\s+/g, ' ')),
      ),
    })
    .filter(someCorrupted)
    .map((r) => apply(venueValues, r) as Record<string, string>);

  it('venue registration form: bad fields come back as field errors with words, no venue is created', { timeout: 600_000 }, async () => {
    const { registerVenueAction } = await import('@/app/(venue)/venue/actions');
    await unchangedAfter(async () => {
      await fc.assert(
        fc.asyncProperty(badVenueForm, async (values) => {
          const state = (await as(newcomerSid, () => runAction(() => registerVenueAction({ values: {} }, form(values))))) as {
            fieldErrors?: Record<string, string>;
            redirect?: string;
          };
          expect(state.redirect, JSON.stringify(values)).toBeUndefined();
          expect(Object.keys(state.fieldErrors ?? {}).length).toBeGreaterThan(0);
          for (const e of Object.values(state.fieldErrors!)) expect(Object.keys(zh.venue.errors)).toContain(e);
        }),
        { numRuns: RUNS },
      );
    });
  });

  it('venue edit form: bad fields change nothing (and do not use up the weekly edit)', { timeout: 600_000 }, async () => {
    const { editVenueAction } = await import('@/app/(venue)/venue/actions');
    await unchangedAfter(async () => {
      await fc.assert(
        fc.asyncProperty(badVenueForm, async (values) => {
          const state = (await as(admin.sid, () => runAction(() => editVenueAction({ values: {} }, form(values))))) as {
            fieldErrors?: Record<string, string>;
            redirect?: string;
          };
          expect(state.redirect, JSON.stringify(values)).toBeUndefined();
          for (const e of Object.values(state.fieldErrors ?? {})) expect(Object.keys(zh.venue.errors)).toContain(e);
          expect(Object.keys(state.fieldErrors ?? {}).length).toBeGreaterThan(0);
        }),
        { numRuns: RUNS },
      );
    });
  });
});

/** One character in the middle of a signed text changed (never the last of a segment: base64 padding bits). */
function mutateMiddle(t: string, n: number): string {
  const positions = [...t].map((_, i) => i).filter((i) => i > 5 && t[i] !== '.' && t[i + 1] !== '.' && i < t.length - 1);
  const i = positions[n % positions.length];
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let c = alphabet[n % alphabet.length];
  if (c === t[i]) c = alphabet[(n + 1) % alphabet.length];
  return t.slice(0, i) + c + t.slice(i + 1);
}
