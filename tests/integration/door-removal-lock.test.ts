// Removal at one instant, and a re-issue at one instant, under concurrency (issue #17): the door's write
// (checkin_insert) takes `checker:<venue>:<account>` and `code:<person>` shared; a removal or unbind
// (endBinding) and a re-issue (reissuePersonCodes) take them exclusively and stamp their instant after
// every stored record. Before #17 the removal stamped the app's clock without the lock: a record in flight
// was stored after the removal's instant, and a record arriving during the removal was judged on a
// snapshot that still saw the binding. Needs truly concurrent connections: PostgreSQL server only.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rowsOf } from '@/db';
import { personLockKey } from '@/db/queries/checkins';
import { reissueCodes } from '@/lib/health-code/personal-codes';
import { removeChecker } from '@/lib/venues/checkers';
import { createFixtures } from '../helpers/fixtures';
import { asOwner } from '../helpers/test-db';

const onServer = Boolean(process.env.DATABASE_URL);
if (!onServer)
  console.info('door removal lock skipped: it needs the PostgreSQL server (set DATABASE_URL); PGlite runs one query at a time');

const { h, newPerson, door, scan, record, stored, openBindingId } = createFixtures({
  phone: { prefix: '136', base: 6_400_000, step: 41 },
  ids: { fromYear: 1972, stepDays: 23 },
  venue: { namePrefix: '解绑锁场所', address: '东风中路 5 号', contactPhone: '020-83331111' },
  checker: { displayName: '门岗锁测', ip: '10.78.0.1', secret: 'test-secret-door-removal-lock' },
  base: new Date(),
});

/** Backends of this database waiting for a lock of `kind` right now (a barrier: polled, never a fixed sleep). */
async function waitersAtLeast(n: number, kind?: 'advisory') {
  for (let i = 0; i < 3000; i++) {
    const q = kind
      ? sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and wait_event = ${kind}`
      : sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`;
    const [{ n: waiting }] = rowsOf<{ n: number }>(await h.db.execute(q));
    if (waiting >= n) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`fewer than ${n} backends ever waited for a lock`);
}

/** Holds `lock` (a statement taking a transaction-level lock) in a transaction of its own until `open()`. */
async function hold(lock: ReturnType<typeof sql>, asTheOwner = false) {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  let held!: () => void;
  const holding = new Promise<void>((resolve) => (held = resolve));
  const work = (db: typeof h.db) =>
    db.transaction(async (tx) => {
      await tx.execute(lock);
      held();
      await opened;
    });
  const done = asTheOwner ? asOwner(h, work) : work(h.db);
  await Promise.race([holding, done]);
  let opening: Promise<void> | undefined;
  return { open: () => (opening ??= (open(), done)) };
}

/** Runs `body` with `gate` held; the gate is opened whatever happens (a failed barrier fails the test, not hangs it). */
async function withGate<T>(gate: { open: () => Promise<void> }, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } finally {
    await gate.open();
  }
}

/** A promise's state without waiting for it. */
async function settled(p: Promise<unknown>) {
  let state = false;
  void p.then(
    () => (state = true),
    () => (state = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return state;
}

async function unboundAtOf(venueId: string, accountId: string) {
  const [row] = rowsOf<{ unbound_at: string }>(
    await h.db.execute(sql`select to_char(unbound_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as unbound_at
                             from checker_bindings where venue_id = ${venueId}::uuid and account_id = ${accountId}::uuid`),
  );
  return row.unbound_at;
}

describe.skipIf(!onServer)('removal at one instant with the door (PostgreSQL server)', () => {
  it('a door write during the removal waits for it, then is refused when effective after the stamped instant', async () => {
    const { v, c } = await door();
    const p = await newPerson();
    const t0 = new Date();
    // The removal takes its lock and stamps, then waits at its audit row (the audit log held shut here).
    const gate = await hold(sql`lock table audit_log in exclusive mode`, true);
    const bindingId = await openBindingId(v.venueId, c.accountId);
    // A scan effective 2 s after the removal's now: its look-up still sees the binding open (not committed).
    const effective = new Date(t0.getTime() + 2000);
    const { removing, writing } = await withGate(gate, async () => {
      const removing = removeChecker(h.db, v.admin, bindingId, t0);
      await waitersAtLeast(1);
      const writing = record(c, scan(v.venueId, p.token, effective), effective);
      await waitersAtLeast(1, 'advisory');
      expect(await settled(writing)).toBe(false);
      return { removing, writing };
    });

    expect(await removing).toEqual({ ok: true });
    expect(await writing).toEqual({ ok: false, reason: 'not_checker' });
    const [{ n }] = rowsOf<{ n: number }>(
      await h.db.execute(sql`select count(*)::int as n from checkins where venue_id = ${v.venueId}::uuid`),
    );
    expect(n).toBe(0);
    expect(new Date(await unboundAtOf(v.venueId, c.accountId)).getTime()).toBeLessThan(effective.getTime());
  });

  it('a door write in flight (holding the shared lock) delays the removal, whose instant is then after the record', async () => {
    const { v, c } = await door();
    const p = await newPerson();
    const t0 = new Date();
    // The record is effective 20 s after the removal's now (a scanner whose server clock runs ahead).
    const effective = new Date(t0.getTime() + 20_000);
    // Hold the person's lock at the venue: the door write takes the checker lock shared, then waits here.
    const personGate = await hold(sql`select pg_advisory_xact_lock(hashtextextended(${personLockKey(v.venueId, p.personId)}, 0))`);
    const bindingId = await openBindingId(v.venueId, c.accountId);
    const { writing, removing } = await withGate(personGate, async () => {
      const writing = record(c, scan(v.venueId, p.token, effective), effective);
      await waitersAtLeast(1, 'advisory');
      const removing = removeChecker(h.db, v.admin, bindingId, t0);
      await waitersAtLeast(2, 'advisory');
      expect(await settled(removing)).toBe(false);
      return { writing, removing };
    });

    const written = stored(await writing);
    expect(written.checkerUnbound).toBe(false);
    expect(await removing).toEqual({ ok: true });
    // The removal's instant is after the record it waited for: the record stays before the removal.
    const [{ after }] = rowsOf<{ after: boolean }>(
      await h.db.execute(sql`select b.unbound_at > c.effective_at as after from checker_bindings b, checkins c
                              where b.venue_id = ${v.venueId}::uuid and b.account_id = ${c.accountId}::uuid
                                and c.venue_id = ${v.venueId}::uuid and c.id = ${written.id}::uuid`),
    );
    expect(after).toBe(true);
  });

  it('a re-issue waits for a door write in flight with the old code, and ends the code after that record', async () => {
    const { v, c } = await door();
    const p = await newPerson();
    const t0 = new Date();
    const effective = new Date(t0.getTime() + 20_000);
    const personGate = await hold(sql`select pg_advisory_xact_lock(hashtextextended(${personLockKey(v.venueId, p.personId)}, 0))`);
    const { writing, reissuing } = await withGate(personGate, async () => {
      const writing = record(c, scan(v.venueId, p.token, effective), effective);
      await waitersAtLeast(1, 'advisory');
      const reissuing = reissueCodes(h.db, { accountId: p.accountId }, p.personId, t0);
      await waitersAtLeast(2, 'advisory');
      expect(await settled(reissuing)).toBe(false);
      return { writing, reissuing };
    });

    const written = stored(await writing);
    expect(written.codeReissued).toBe(false);
    expect(await reissuing).toEqual({ ok: true, generation: 2 });
    const [{ after }] = rowsOf<{ after: boolean }>(
      await h.db.execute(sql`select h.ended_at > c.effective_at as after from person_code_history h, checkins c
                              where h.person_id = ${p.personId}::uuid and c.venue_id = ${v.venueId}::uuid and c.id = ${written.id}::uuid`),
    );
    expect(after).toBe(true);
  });
});
