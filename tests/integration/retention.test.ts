// SPEC L4 (#19): the retention job cuts the person link of old check-ins and deletes personal traces past
// their time; every dashboard number, report and export stays exactly the same, before and after.
// The owner's cut function computes its cutoff from the database clock, so this file's data is dated
// from the real time of the run (records older than 30 days, between 15 and 30, and recent).
process.env.TZ = 'UTC';

import { and, eq, inArray, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rowsOf } from '@/db';
import { pgErrorCode } from '@/db/errors';
import { authSessions, checkins, codeDisplays, persons, signInCodes, venueVisitorDays } from '@/db/schema';
import { drainAll } from '@/db/queries/stats-rollups';
import { codeKeysFromSeed } from '@/lib/health-code/token';
import { createJobRunner, periodStartOf } from '@/lib/jobs/runner';
import { retentionJob } from '@/lib/retention/retention-job';
import { dailyReportOfMyVenue } from '@/lib/stats/daily-report';
import { allFeversOfMyVenue, checkersOverRangeOfMyVenue, venueDashboard } from '@/lib/stats/venue-dashboard';
import { addChinaDays, chinaDateOf } from '@/lib/time';
import { statisticsMismatches } from '../helpers/direct-stats';
import { asOwner } from '../helpers/test-db';
import { DAY, MIN, ms, type Actor, type Person, type Venue, createFixtures } from '../helpers/fixtures';

/** The run's real time, to the second (tokens carry seconds): the cut function reads the database clock. */
const NOW = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
const fx = createFixtures({
  phone: { prefix: '149', base: 3_100_000, step: 41 },
  ids: { fromYear: 1958, stepDays: 13 },
  venue: { namePrefix: '留存测试场所', address: '中山五路 9 号', contactPhone: '020-88881234' },
  checker: { displayName: '门岗阿强', ip: '10.71.0.1', secret: 'test-secret-retention' },
  base: NOW,
});
const { h, newPerson, newVenue, bindChecker } = fx;
const quickKeys = codeKeysFromSeed(Buffer.alloc(32, 9).toString('base64'));
const daysAgo = (d: number, minutes = 0) => ms(NOW, -d * DAY + minutes * MIN);

const door = fx.scanStored;
const quick = (c: Actor, v: Venue, visitor: Actor, people: Person[], issued: Date) =>
  fx.quickStored(quickKeys, c, v, visitor, people, issued);

const today = chinaDateOf(NOW);
const FROM = addChinaDays(today, -45);
type Name = string | null;

/** Every number a venue's admin can see or export, fever rows without their (masked) names, which go apart. */
async function everything(v: Venue) {
  const names: Name[] = [];
  const stripped = <T extends { nameMasked: Name }>(rows: T[]) =>
    rows.map(({ nameMasked, ...rest }) => {
      names.push(nameMasked);
      return rest;
    });
  const boards = [];
  for (const feverKind of ['standing', 'corrected'] as const) {
    for (const day of [today, addChinaDays(today, -40), addChinaDays(today, -20), addChinaDays(today, -3)]) {
      const d = await venueDashboard(h.db, v.admin, { from: FROM, to: today, day, feverScope: 'all', feverKind }, NOW);
      if (!d) throw new Error('not admin');
      boards.push({ ...d, fevers: { ...d.fevers, rows: stripped(d.fevers.rows) } });
    }
  }
  const fevers = await allFeversOfMyVenue(h.db, v.admin);
  const checkers = await checkersOverRangeOfMyVenue(h.db, v.admin, { from: FROM, to: today }, NOW);
  const report = await dailyReportOfMyVenue(h.db, v.admin, { from: addChinaDays(today, -42), to: today }, NOW);
  return {
    numbers: {
      boards,
      fevers: stripped(fevers!.rows),
      checkers,
      report: { ...report!, days: report!.days.map((day) => ({ ...day, fevers: { ...day.fevers, rows: stripped(day.fevers.rows) } })) },
    },
    names,
  };
}

/** Direct counts on the facts kept on the records (not the person link): per venue and China day. */
async function directFacts(venueIds: string[]) {
  return rowsOf(
    await h.db.execute(sql`
      select c.venue_id, (c.effective_at at time zone 'Asia/Shanghai')::date::text as day, count(*)::int as checkins,
             (count(*) filter (where fever))::int as fevers, (count(*) filter (where colour = 'red'))::int as reds,
             (count(*) filter (where method = 'quick'))::int as quick, string_agg(coalesce(gender, '?') || age_band, ',' order by c.effective_at) as facts
        from checkins c
       where c.venue_id in (${sql.join(
         venueIds.map((id) => sql`${id}::uuid`),
         sql`, `,
       )}) and c.superseded_by_id is null
         and not exists (select 1 from checkins s where s.venue_id = c.venue_id and s.supersedes_id = c.id)
       group by 1, 2 order by 1, 2`),
  );
}

async function refusal(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return 'allowed';
  } catch (error) {
    return pgErrorCode(error) ?? String(error);
  }
}

const linkOf = async (id: string) => (await h.db.select({ p: checkins.personId }).from(checkins).where(eq(checkins.id, id)))[0].p;

describe('retention (SPEC L4)', () => {
  it('cuts old person links and keeps every number, report and export identical', async () => {
    const A = await newVenue();
    const B = await newVenue();
    const ca = await bindChecker(A, daysAgo(50));
    const cb = await bindChecker(B, daysAgo(50), undefined, '门岗阿珍');
    const people = [
      await newPerson('欧阳春晓', 'F', '1990-03-04'),
      await newPerson('司徒志远', 'M', '1975-07-21'),
      await newPerson('上官婉清', 'F', '2012-01-15'),
      await newPerson('诸葛明亮', 'M', '1950-11-30'),
    ];
    const [p1, p2, p3, p4] = people;
    const visitor = { accountId: p1.accountId };
    const ids: Record<string, string[]> = { old: [], middle: [], recent: [] };
    for (const [d, bucket] of [
      [40, 'old'],
      [36, 'old'],
      [31, 'old'],
      [20, 'middle'],
      [16, 'middle'],
      [10, 'recent'],
      [3, 'recent'],
    ] as const) {
      const at = (m: number) => daysAgo(d, m);
      const got = [
        await door(ca, A, p1, at(0)),
        // A fever, remeasured normal 10 minutes later (发热后复测正常).
        await door(ca, A, p2, at(5), '38.2'),
        await door(ca, A, p2, at(15), '36.6'),
        // A standing fever, and the same person again hours later (one visitor-day, two records).
        await door(ca, A, p3, at(20), '37.9'),
        await door(ca, A, p3, at(240), '36.4'),
        // The same persons at the other venue; a superseding rescan within the window.
        await door(cb, B, p1, at(30), '37.5'),
        await door(cb, B, p4, at(35), '36.2'),
        await door(cb, B, p4, at(40), '36.3'),
        // A record sent late (two days after it was taken).
        await door(cb, B, p2, at(60), '38.5', at(60 + 2 * 24 * 60)),
        // Quick check-ins (sunflower code), each visitor with their own account.
        ...(await quick(ca, A, visitor, [p1], at(300))),
        ...(await quick(ca, A, { accountId: p4.accountId }, [p4], at(301))),
      ];
      ids[bucket].push(...got.map((r) => r.id));
    }
    await drainAll(h.db);
    // One recent record still queued: its numbers come from the queue on both sides of the job.
    ids.recent.push((await door(ca, A, p4, daysAgo(0, -30))).id);

    expect(await statisticsMismatches(h.db, [A.venueId, B.venueId], NOW)).toEqual([]);
    // Migration 0019 filled venue_visitor_days.fevers for existing data with this count (drained records
    // only): it agrees with what the drain keeps.
    const fill = sql`
      select c.venue_id::text as v, (c.effective_at at time zone 'Asia/Shanghai')::date::text as day, c.person_id::text as p, count(*)::int as n
        from checkins c
       where c.fever and c.superseded_by_id is null and c.person_id is not null
         and not exists (select 1 from checkin_rollup_queue q where q.venue_id = c.venue_id and q.checkin_id = c.id)
         and not exists (select 1 from checkins s where s.venue_id = c.venue_id and s.supersedes_id = c.id
                           and not exists (select 1 from checkin_rollup_queue q where q.venue_id = s.venue_id and q.checkin_id = s.id))
         and c.venue_id in (${A.venueId}::uuid, ${B.venueId}::uuid)
       group by 1, 2, 3 order by 1, 2, 3`;
    const kept = sql`select venue_id::text as v, day::text as day, person_id::text as p, fevers as n from venue_visitor_days
                      where fevers > 0 and venue_id in (${A.venueId}::uuid, ${B.venueId}::uuid) order by 1, 2, 3`;
    expect(rowsOf(await h.db.execute(fill))).toEqual(rowsOf(await h.db.execute(kept)));
    const facts = await directFacts([A.venueId, B.venueId]);
    const beforeA = await everything(A);
    const beforeB = await everything(B);
    expect(beforeA.names.every((n) => n !== null)).toBe(true);
    expect(beforeA.numbers.boards[0].daily.some((d) => d.feverPersons > 0)).toBe(true);

    // The daily job, in slices of 7 rows (many transactions), with the default 30 days.
    await createJobRunner([retentionJob(() => 30, 7)]).tick(h, NOW);

    for (const id of ids.old) expect(await linkOf(id)).toBeNull();
    for (const id of [...ids.middle, ...ids.recent]) expect(await linkOf(id)).not.toBeNull();
    const oldDay = addChinaDays(today, -36);
    const linkedOld = await h.db
      .select({ n: venueVisitorDays.personId })
      .from(venueVisitorDays)
      .where(and(eq(venueVisitorDays.day, oldDay), eq(venueVisitorDays.anonymous, false)));
    expect(linkedOld).toEqual([]);
    expect(
      await h.db
        .select({ n: venueVisitorDays.personId })
        .from(venueVisitorDays)
        .where(
          and(
            eq(venueVisitorDays.day, oldDay),
            inArray(
              venueVisitorDays.personId,
              people.map((p) => p.personId),
            ),
          ),
        ),
    ).toEqual([]);

    const afterA = await everything(A);
    const afterB = await everything(B);
    expect(afterA.numbers).toEqual(beforeA.numbers);
    expect(afterB.numbers).toEqual(beforeB.numbers);
    expect(await directFacts([A.venueId, B.venueId])).toEqual(facts);
    // Old fever rows lost their name (已匿名 on screen), recent ones keep it.
    expect(afterA.names.filter((n) => n === null).length).toBeGreaterThan(0);
    expect(afterA.names.filter((n) => n !== null).length).toBeGreaterThan(0);
    // The resident's own records no longer list the old ones.
    const own = rowsOf<{ n: number }>(
      await h.db.execute(
        sql`select count(*)::int as n from checkins where person_id = ${p2.personId}::uuid and effective_at < ${daysAgo(30).toISOString()}::timestamptz`,
      ),
    );
    expect(own[0].n).toBe(0);

    // Asking for 1 day still keeps 15: the records of 16 and 20 days ago go, those of 10 and 3 stay.
    const [{ n: cut }] = rowsOf<{ n: number }>(await h.db.execute(sql`select checkins_cut_person_links(1, 100000) as n`));
    expect(Number(cut)).toBeGreaterThan(0);
    for (const id of ids.middle) expect(await linkOf(id)).toBeNull();
    for (const id of ids.recent) expect(await linkOf(id)).not.toBeNull();
    expect((await everything(A)).numbers).toEqual(beforeA.numbers);
    expect((await everything(B)).numbers).toEqual(beforeB.numbers);

    // The app cannot cut (or change) a recent record itself: no UPDATE on the server, the trigger on PGlite.
    const recent = ids.recent[0];
    expect(await refusal(() => h.db.execute(sql`update checkins set person_id = null where id = ${recent}::uuid`))).toMatch(
      h.kind === 'postgres' ? /^42501$/ : /^P0001$/,
    );
    expect(await linkOf(recent)).not.toBeNull();
  });

  it('erasing a person with records still queued leaves them to the drain, then the cut; the numbers stay', async () => {
    const v = await newVenue();
    const c = await bindChecker(v, daysAgo(5));
    const p = await newPerson('慕容知秋', 'F', '1985-05-05');
    const other = await newPerson('东方既白', 'M', '1981-08-08');
    const first = await door(c, v, p, daysAgo(2), '38.1');
    await door(c, v, other, daysAgo(2, 3));
    await drainAll(h.db);
    const queued = await door(c, v, p, daysAgo(1), '36.6');
    const before = await everything(v);

    await h.db.update(persons).set({ selfAccountId: null }).where(eq(persons.id, p.personId));
    const [{ cut }] = rowsOf<{ cut: number }>(await h.db.execute(sql`select person_erase(${p.personId}::uuid) as cut`));
    expect(Number(cut)).toBe(1);
    expect(await linkOf(first.id)).toBeNull();
    // Still queued: the drain counts visitor-days by person, so the link waits for it.
    expect(await linkOf(queued.id)).toBe(p.personId);
    expect((await everything(v)).numbers).toEqual(before.numbers);

    await drainAll(h.db);
    await h.db.execute(sql`select checkins_cut_person_links(30, 1000)`);
    expect(await linkOf(queued.id)).toBeNull();
    expect(await h.db.select().from(venueVisitorDays).where(eq(venueVisitorDays.personId, p.personId))).toEqual([]);
    const after = await everything(v);
    expect(after.numbers).toEqual(before.numbers);
    expect(after.names).toContain(null);
    expect(await linkOf((await h.db.select({ id: checkins.id }).from(checkins).where(eq(checkins.personId, other.personId)))[0].id)).toBe(
      other.personId,
    );
  });

  it('skips the records an open tracing case holds (the hook #20 fills in), and cuts them once released', async () => {
    const v = await newVenue();
    const c = await bindChecker(v, daysAgo(40));
    const held = await newPerson('夏侯知远', 'M', '1970-06-06');
    const free = await newPerson('令狐冲和', 'M', '1972-07-07');
    // Stored 14 days late at most: sent 13 days after they were taken, 33 days ago.
    const heldRecord = await door(c, v, held, daysAgo(33), '36.5', daysAgo(20));
    const freeRecord = await door(c, v, free, daysAgo(33, 5), '36.5', daysAgo(20));
    await drainAll(h.db);
    const hook = (body: string) =>
      asOwner(h, (db) =>
        db.execute(
          sql.raw(
            `create or replace function checkin_held_by_case(p_venue_id uuid, p_person_id uuid, p_effective_at timestamptz) returns boolean language sql stable as $$ ${body} $$`,
          ),
        ),
      );
    await hook(`select p_person_id = '${held.personId}'::uuid`);
    try {
      await h.db.execute(sql`select checkins_cut_person_links(30, 1000)`);
      expect(await linkOf(heldRecord.id)).toBe(held.personId);
      expect(await linkOf(freeRecord.id)).toBeNull();
    } finally {
      await hook('select false');
    }
    await h.db.execute(sql`select checkins_cut_person_links(30, 1000)`);
    expect(await linkOf(heldRecord.id)).toBeNull();
  });

  it('deletes display logs after 3 days, sign-in codes after 24 hours and ended sessions; keeps the rest', async () => {
    const p = await newPerson('皇甫清风', 'M', '1992-02-02');
    // The next day's run (the job is daily: a new period); its prunes count from the period's start.
    const later = periodStartOf(ms(NOW, DAY), DAY);
    await h.db.insert(codeDisplays).values([
      { personId: p.personId, accountId: p.accountId, kind: 'personal', displayedAt: ms(later, -4 * DAY) },
      { personId: p.personId, accountId: p.accountId, kind: 'personal', displayedAt: ms(later, -2 * DAY) },
    ]);
    const code = { phone: '14900000001', codeHash: 'x', ipHash: 'y' };
    await h.db.insert(signInCodes).values([
      { ...code, createdAt: ms(later, -25 * 60 * MIN), expiresAt: ms(later, -25 * 60 * MIN + 5 * MIN) },
      { ...code, createdAt: ms(later, -23 * 60 * MIN), expiresAt: ms(later, -23 * 60 * MIN + 5 * MIN) },
    ]);
    await h.db.insert(authSessions).values([
      { accountId: p.accountId, expiresAt: ms(later, -MIN) },
      { accountId: p.accountId, expiresAt: ms(later, 10 * DAY), revokedAt: ms(later, -MIN) },
      { accountId: p.accountId, expiresAt: ms(later, 10 * DAY) },
    ]);
    await createJobRunner([retentionJob(() => 30)]).tick(h, ms(later, 3 * 60 * MIN));
    const displays = await h.db.select().from(codeDisplays).where(eq(codeDisplays.personId, p.personId));
    expect(displays.map((d) => d.displayedAt)).toEqual([ms(later, -2 * DAY)]);
    const codes = await h.db.select().from(signInCodes).where(eq(signInCodes.phone, code.phone));
    expect(codes.map((c) => c.createdAt)).toEqual([ms(later, -23 * 60 * MIN)]);
    const sessions = await h.db.select().from(authSessions).where(eq(authSessions.accountId, p.accountId));
    expect(sessions.map((x) => [x.revokedAt, x.expiresAt])).toEqual([[null, ms(later, 10 * DAY)]]);
    const audit = rowsOf<{ details: { removed: Record<string, number> } }>(
      await h.db.execute(sql`select details from audit_log where action = 'retention.run' order by at desc limit 1`),
    );
    expect(audit[0].details.removed).toMatchObject({ code_displays: 1, sign_in_codes: 1 });
  });
});
