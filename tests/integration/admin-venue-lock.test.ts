// An admin's change and the acceptance of their replacement, at the same moment: the change locks the
// admin's venue row inside its transaction (lib/venues/admin-venue.ts), so once the acceptance holds that
// row the replaced admin is refused. Needs truly concurrent connections: PostgreSQL server only.
import { sql } from 'drizzle-orm';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { accounts, checkerBindings } from '@/db/schema';
import { acceptAdminReplacement, startAdminReplacement } from '@/lib/venues/admin-replacement';
import { allowCheckerAgain, approveChecker, removeChecker } from '@/lib/venues/checkers';
import { setBindingMode } from '@/lib/venues/edit-venue';
import { createFixtures } from '../helpers/fixtures';
import { asOwner } from '../helpers/test-db';

const onServer = Boolean(process.env.DATABASE_URL);
if (!onServer) console.info('admin venue lock skipped: it needs the PostgreSQL server (set DATABASE_URL); PGlite runs one query at a time');

const { h, newActor, newVenue, bindChecker, openBindingId } = createFixtures({
  phone: { prefix: '135', base: 8_100_000, step: 53 },
  ids: { fromYear: 1971, stepDays: 29 },
  venue: { namePrefix: '换管理员锁场所', address: '中山五路 3 号', contactPhone: '020-22223333' },
  checker: { displayName: '门岗锁测', ip: '10.74.0.1', secret: 'test-secret-admin-lock' },
  base: new Date(),
});

const rows = <T>(r: unknown) => (Array.isArray(r) ? r : (r as { rows: T[] }).rows) as T[];

/** Backends of this database waiting for a lock right now (a barrier: polled, never a fixed sleep). */
async function waitersAtLeast(n: number) {
  for (let i = 0; i < 2000; i++) {
    const q = sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`;
    const [{ n: waiting }] = rows<{ n: number }>(await h.db.execute(q));
    if (waiting >= n) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`fewer than ${n} backends ever waited for a lock`);
}

/** Holds the audit log shut (every audited write waits at its audit row) until `open()` is called. */
async function holdAuditLog() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  let held!: () => void;
  const holding = new Promise<void>((resolve) => (held = resolve));
  // LOCK TABLE … EXCLUSIVE needs rights on audit_log the app's role does not have (append-only): the owner holds it.
  const done = asOwner(h, (db) =>
    db.transaction(async (tx) => {
      await tx.execute(sql`lock table audit_log in exclusive mode`);
      held();
      await opened;
    }),
  );
  await Promise.race([holding, done]);
  return { open: async () => (open(), await done) };
}

async function phoneOf(accountId: string) {
  return (await h.db.select({ phone: accounts.phone }).from(accounts).where(eq(accounts.id, accountId)))[0].phone as string;
}

describe.skipIf(!onServer)('admin changes during the acceptance of a replacement (PostgreSQL server)', () => {
  it('the replaced admin’s approval, started while the acceptance is mid-transaction, is refused and changes nothing', async () => {
    const v = await newVenue('approval');
    const pending = await bindChecker(v, new Date(Date.now() - 60_000));
    const bindingId = await openBindingId(v.venueId, pending.accountId);
    const next = await newActor();
    const nextPhone = await phoneOf(next.accountId);
    const started = await startAdminReplacement(h.db, { ...v.admin, phone: await phoneOf(v.admin.accountId) }, nextPhone);
    if (!started.ok) throw new Error(JSON.stringify(started));

    // Lock order: the acceptance updates the venue row, then waits at its audit row (held shut here);
    // only then does the old admin approve, and their change must wait for the venue row.
    const gate = await holdAuditLog();
    const accepting = acceptAdminReplacement(h.db, { ...next, phone: nextPhone }, started.invitationId);
    await waitersAtLeast(1);
    const approving = approveChecker(h.db, v.admin, bindingId);
    const moding = setBindingMode(h.db, v.admin, 'immediate');
    await waitersAtLeast(3);
    await gate.open();

    expect(await accepting).toEqual({ ok: true, venueId: v.venueId });
    expect(await approving).toEqual({ ok: false, reason: 'not_admin' });
    expect(await moding).toEqual({ ok: false, reason: 'not_admin' });
    const [binding] = await h.db
      .select({ boundFrom: checkerBindings.boundFrom })
      .from(checkerBindings)
      .where(eq(checkerBindings.id, bindingId));
    expect(binding.boundFrom).toBeNull();
    // The new admin can.
    expect(await approveChecker(h.db, next, bindingId)).toEqual({ ok: true });
  });

  it('a removal and an allow-again by the replaced admin wait for the acceptance, then are refused', async () => {
    const v = await newVenue('immediate');
    const c = await bindChecker(v, new Date(Date.now() - 60_000));
    const other = await bindChecker(v, new Date(Date.now() - 60_000));
    expect(await removeChecker(h.db, v.admin, await openBindingId(v.venueId, other.accountId))).toEqual({ ok: true });
    const [{ id: removalId }] = rows<{ id: string }>(
      await h.db.execute(sql`select id from checker_removals where venue_id = ${v.venueId} and account_id = ${other.accountId}`),
    );
    const next = await newActor();
    const nextPhone = await phoneOf(next.accountId);
    const started = await startAdminReplacement(h.db, { ...v.admin, phone: await phoneOf(v.admin.accountId) }, nextPhone);
    if (!started.ok) throw new Error(JSON.stringify(started));

    const gate = await holdAuditLog();
    const accepting = acceptAdminReplacement(h.db, { ...next, phone: nextPhone }, started.invitationId);
    await waitersAtLeast(1);
    const removing = removeChecker(h.db, v.admin, await openBindingId(v.venueId, c.accountId));
    const allowing = allowCheckerAgain(h.db, v.admin, removalId);
    await waitersAtLeast(3);
    await gate.open();

    expect(await accepting).toEqual({ ok: true, venueId: v.venueId });
    expect(await removing).toEqual({ ok: false, reason: 'not_admin' });
    expect(await allowing).toEqual({ ok: false, reason: 'not_admin' });
    expect(await openBindingId(v.venueId, c.accountId)).toBeTruthy();
  });
});
