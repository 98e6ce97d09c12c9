// Issue #18, reports and exports: the per-checker and demographics CSVs against direct counts over the
// records inserted here, small groups written as the screen's words, the printable daily report's numbers,
// and the audit row of every export and report (none for a refusal). Routes are called in-process as a
// real session (tests/helpers/in-process.ts), with the real zh-CN messages.
process.env.TZ = 'UTC';

import { and, desc, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { rowsOf } from '@/db';
import { auditLog } from '@/db/schema';
import { dailyReportOfMyVenue } from '@/lib/stats/daily-report';
import { createFixtures, expectNoClearIdentity, type Actor, type Person, type Venue } from '../helpers/fixtures';
import { as, newSession, readResponse, serveFrom } from '../helpers/in-process';

vi.mock('next/headers', () => ({
  headers: async () => new Headers({ 'x-forwarded-for': '10.91.0.1' }),
  cookies: async () => (await import('../helpers/in-process')).sessionCookieStore(),
}));
vi.mock('next/cache', () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));
vi.mock('next-intl/server', async () => {
  const { createTranslator } = await import('use-intl/core');
  const messages = (await import('@/lib/i18n/messages/zh-CN.json')).default;
  return {
    getTranslations: async (namespace?: string) => createTranslator({ locale: 'zh-CN', messages, namespace: namespace as never }),
    getLocale: async () => 'zh-CN',
  };
});

const fx = createFixtures({
  phone: { prefix: '137', base: 6_100_000, step: 43 },
  ids: { fromYear: 1963, stepDays: 19 },
  venue: { namePrefix: '日报测试场所', address: '中山五路 8 号', contactPhone: '020-83331234' },
  checker: { displayName: '门岗', ip: '10.91.0.2', secret: 'test-secret-reports' },
});
const { h, newVenue, newPerson, scan, record, stored } = fx;

const D1 = '2026-11-20';
const D2 = '2026-11-21';
const cst = (day: string, time: string) => new Date(`${day}T${time}:00+08:00`);

let v: Venue;
let other: Venue;
let east: Actor;
let west: Actor;
const sids = {} as Record<'admin' | 'checker' | 'otherAdmin', string>;
const people: Person[] = [];
let hot: Person;
let fixed: Person;

async function door(c: Actor, p: Person, at: Date, temperature = '36.5') {
  return stored(await record(c, scan(v.venueId, p.token, at, { temperature }), new Date(at.getTime() + 1000)));
}

beforeAll(async () => {
  serveFrom(h);
  v = await newVenue();
  other = await newVenue();
  east = await fx.bindChecker(v, cst('2026-11-01', '08:00'), undefined, '东门小李');
  west = await fx.bindChecker(v, cst('2026-11-01', '08:00'), undefined, '西门老王');
  sids.admin = await newSession(h.db, v.admin.accountId);
  sids.checker = await newSession(h.db, east.accountId);
  sids.otherAdmin = await newSession(h.db, other.admin.accountId);

  // D1: eleven visitors — gender 6 M / 5 F; ages 30-39 ×6, 40-49 ×3, 60+ ×2 (two small age groups).
  const born = [
    ...Array.from({ length: 6 }, (_, i) => ['1990-03-0' + (i + 1), i % 2 ? 'F' : 'M'] as const),
    ['1980-05-01', 'M'],
    ['1980-05-02', 'M'],
    ['1980-05-03', 'F'],
    ['1955-07-01', 'M'],
    ['1955-07-02', 'F'],
  ] as const;
  for (const [i, [birth, gender]] of born.entries()) people.push(await newPerson(`慕容测${'甲乙丙丁戊己庚辛壬癸子'[i]}`, gender, birth));
  for (const [i, p] of people.entries()) await door(i < 7 ? east : west, p, cst(D1, i < 4 ? '09:15' : '14:40'));
  // Two fevers on D1: one stands (by 西门老王), one is re-measured normal three minutes later (by 东门小李).
  hot = people[0];
  fixed = people[7];
  await door(west, hot, cst(D1, '16:05'), '38.4');
  await door(east, fixed, cst(D1, '17:00'), '37.9');
  await door(east, fixed, cst(D1, '17:03'), '36.8');
  // D2: three visitors only (every group small); one of them twice.
  for (const p of people.slice(0, 3)) await door(west, p, cst(D2, '10:20'));
  await door(west, people[0], cst(D2, '11:30'));
});

// ---- helpers ---------------------------------------------------------------------------------------

async function exportCsv(sid: string | null, query: string) {
  const { GET } = await import('@/app/(venue)/venue/stats/export/route');
  return as(sid, async () => readResponse(await GET(new Request(`http://localhost/venue/stats/export?${query}`))));
}

/** The CSV's rows (BOM, CRLF and quotes off). */
function parseCsv(text: string): string[][] {
  return text
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .filter(Boolean)
    .map((line) =>
      line
        .slice(1, -1)
        .split('","')
        .map((c) => c.replace(/""/g, '"')),
    );
}

const auditRows = (action: string, actor: string) =>
  h.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, action), eq(auditLog.actorAccountId, actor)))
    .orderBy(desc(auditLog.at), desc(auditLog.id));

const countAudit = async (action: string) =>
  Number(rowsOf<{ n: number }>(await h.db.execute(sql`select count(*)::int as n from audit_log where action = ${action}`))[0].n);

/** Standing records (no successor), straight from `checkins`, with their China day and hour. */
const standing = (venueId: string) => sql`
  select c.*, (c.effective_at at time zone 'Asia/Shanghai')::date::text as day,
         extract(hour from c.effective_at at time zone 'Asia/Shanghai')::int as hour
    from checkins c
   where c.venue_id = ${venueId} and c.superseded_by_id is null
     and not exists (select 1 from checkins n where n.venue_id = c.venue_id and n.supersedes_id = c.id)`;

// ---- the tests -------------------------------------------------------------------------------------

describe('kind=checkers: 检测人次 and 发热人次 per checker over the range', () => {
  it('equals a direct count over the standing records, by the names 成员管理 shows', async () => {
    const direct = rowsOf<{ name: string; records: number; fevers: number }>(
      await h.db.execute(sql`
        select b.display_name as name, count(*)::int as records, (count(*) filter (where s.fever))::int as fevers
          from (${standing(v.venueId)}) s join checker_bindings b on b.venue_id = s.venue_id and b.account_id = s.checker_account_id
         where s.day between ${D1} and ${D2} group by 1 order by 2 desc`),
    );
    // 东门小李 7 + the corrected pair counted once (its latest reading); 西门老王 4 + a fever + 4 on D2.
    expect(direct).toEqual([
      { name: '西门老王', records: 9, fevers: 1 },
      { name: '东门小李', records: 8, fevers: 0 },
    ]);
    const res = await exportCsv(sids.admin, `kind=checkers&from=${D1}&to=${D2}`);
    expect(res.status).toBe(200);
    const rows = parseCsv(res.body as string);
    expect(rows[0]).toEqual(['检测员', `检测人次（${D1} 至 ${D2}）`, `发热人次（${D1} 至 ${D2}）`]);
    expect(rows.slice(1)).toEqual(direct.map((d) => [d.name, String(d.records), String(d.fevers)]));

    // One day only: D2 has 西门老王's four records.
    const d2 = parseCsv((await exportCsv(sids.admin, `kind=checkers&from=${D2}&to=${D2}`)).body as string);
    expect(d2.slice(1)).toEqual([['西门老王', '4', '0']]);
  });
});

describe('kind=demographics: gender and age groups over the range, small groups as the screen words them', () => {
  it('writes the counts of groups of 5 or more, and “<5” (never the number) for the small ones', async () => {
    const res = await exportCsv(sids.admin, `kind=demographics&from=${D1}&to=${D1}`);
    expect(res.status).toBe(200);
    const rows = parseCsv(res.body as string);
    expect(rows).toEqual([
      ['分组类别', '分组', `检测人天（${D1} 至 ${D1}）`],
      ['性别', '男', '6'],
      ['性别', '女', '5'],
      ['年龄段', '0-17', '0'],
      ['年龄段', '18-29', '0'],
      ['年龄段', '30-39', '6'],
      ['年龄段', '40-49', '<5'],
      ['年龄段', '50-59', '0'],
      ['年龄段', '60+', '<5'],
    ]);
    // The same groups straight from the records: the hidden ones really were 3 and 2.
    const direct = rowsOf<{ band: string; n: number }>(
      await h.db.execute(sql`
        select s.age_band as band, count(distinct s.person_id)::int as n from (${standing(v.venueId)}) s where s.day = ${D1} group by 1 order by 1`),
    );
    expect(direct).toEqual([
      { band: '30-39', n: 6 },
      { band: '40-49', n: 3 },
      { band: '60+', n: 2 },
    ]);
  });

  it('D2 has three visitors: every group is small, and with one small gender the other is hidden too', async () => {
    const rows = parseCsv((await exportCsv(sids.admin, `kind=demographics&from=${D2}&to=${D2}`)).body as string);
    const cells = rows.slice(1).map((r) => r[2]);
    expect(cells.filter((c) => c !== '0').every((c) => c === '<5')).toBe(true);
    expect(rows.slice(1, 3).map((r) => r[2])).toEqual(['<5', '<5']);
    expect(cells).not.toContain('1');
    expect(cells).not.toContain('2');
    expect(cells).not.toContain('3');
  });
});

describe('every export is audited: who, which, which days', () => {
  it('one stats.export row per file answered, with the kind, the days and the number of rows', async () => {
    const cases = [
      ['checkers', `kind=checkers&from=${D1}&to=${D2}`, { kind: 'checkers', from: D1, to: D2, day: null, rows: 2 }],
      ['demographics', `kind=demographics&from=${D1}&to=${D1}`, { kind: 'demographics', from: D1, to: D1, day: null, rows: 8 }],
      ['daily', `kind=daily&from=${D1}&to=${D2}`, { kind: 'daily', from: D1, to: D2, day: null, rows: 3 }],
      ['entrances', `kind=entrances&from=${D1}&to=${D2}`, { kind: 'entrances', from: D1, to: D2 }],
      ['hourly', `kind=hourly&day=${D2}`, { kind: 'hourly', from: null, to: null, day: D2, rows: 24 }],
      ['fevers', 'kind=fevers', { kind: 'fevers', from: null, to: null, day: null, rows: 2 }],
    ] as const;
    for (const [kind, query, details] of cases) {
      const before = await countAudit('stats.export');
      const res = await exportCsv(sids.admin, query);
      expect(res.status, kind).toBe(200);
      expect(await countAudit('stats.export'), kind).toBe(before + 1);
      const [row] = await auditRows('stats.export', v.admin.accountId);
      expect(row, kind).toMatchObject({ actorAccountId: v.admin.accountId, venueId: v.venueId, action: 'stats.export' });
      expect(row.details, kind).toMatchObject(details);
      expect((row.details as { rows: number }).rows, kind).toBe(parseCsv(res.body as string).length - 1);
    }
  });

  it('a refused or malformed request writes no export row', async () => {
    const before = await countAudit('stats.export');
    expect((await exportCsv(sids.checker, `kind=checkers&from=${D1}&to=${D2}`)).status).toBe(403);
    expect((await exportCsv(sids.checker, `kind=demographics`)).status).toBe(403);
    expect((await exportCsv(null, `kind=demographics`)).status).toBe(401);
    expect((await exportCsv(sids.admin, `kind=checkers&from=2026-02-31`)).status).toBe(400);
    expect((await exportCsv(sids.admin, `kind=everything`)).status).toBe(400);
    expect(await countAudit('stats.export')).toBe(before);
  });

  it('another venue’s admin exports their own venue only, audited against it', async () => {
    const res = await exportCsv(sids.otherAdmin, `kind=checkers&from=${D1}&to=${D2}`);
    expect(parseCsv(res.body as string).slice(1)).toEqual([]);
    const [row] = await auditRows('stats.export', other.admin.accountId);
    expect(row.venueId).toBe(other.venueId);
  });
});

describe('the printable daily report', () => {
  it('one page a day with the dashboard’s numbers, equal to direct counts; fevers masked; audited', async () => {
    const before = await countAudit('stats.report');
    const now = cst('2026-11-22', '09:00');
    const report = await dailyReportOfMyVenue(h.db, v.admin, { from: D1, to: D2 }, now);
    expect(report).not.toBeNull();
    expect(report!.days.map((d) => d.day)).toEqual([D1, D2]);
    expect(report!.venue.name).toBe(v.name);

    const perDay = rowsOf<{ day: string; checkins: number; visitors: number; fevers: number; feverPersons: number; reds: number }>(
      await h.db.execute(sql`
        select s.day, count(*)::int as checkins, count(distinct s.person_id)::int as visitors,
               (count(*) filter (where s.fever))::int as fevers, (count(distinct s.person_id) filter (where s.fever))::int as "feverPersons",
               (count(*) filter (where s.colour = 'red'))::int as reds
          from (${standing(v.venueId)}) s where s.day between ${D1} and ${D2} group by 1 order by 1`),
    );
    const hours = rowsOf<{ day: string; hour: number; n: number }>(
      await h.db.execute(sql`select s.day, s.hour, count(*)::int as n from (${standing(v.venueId)}) s group by 1, 2`),
    );
    for (const [i, page] of report!.days.entries()) {
      const d = perDay[i];
      expect(page.total).toMatchObject({
        checkins: d.checkins,
        visitors: d.visitors,
        fevers: d.fevers,
        feverPersons: d.feverPersons,
        reds: d.reds,
      });
      const direct = Array.from({ length: 24 }, () => 0);
      for (const x of hours) if (x.day === page.day) direct[x.hour] = x.n;
      expect(page.hourly).toEqual(direct);
      const split = page.entrances.rows.reduce((a, e) => a + e.checkins, 0) + (page.entrances.beforeEntrances?.checkins ?? 0);
      expect(split).toBe(d.checkins);
    }
    const [d1, d2] = report!.days;
    expect(d1.total).toMatchObject({ checkins: 13, visitors: 11, fevers: 1, feverPersons: 1 });
    expect(d1.checkers.map((c) => [c.displayName, c.records, c.fevers])).toEqual([
      ['东门小李', 8, 0],
      ['西门老王', 5, 1],
    ]);
    expect(d2.checkers.map((c) => [c.displayName, c.records, c.fevers])).toEqual([['西门老王', 4, 0]]);
    // The day's fevers: the standing one, and apart the one re-measured normal (with its reading).
    expect(d1.fevers).toMatchObject({ standing: 1, corrected: 1, more: 0 });
    expect(d1.fevers.rows.map((f) => [f.kind, f.temperature, f.checker, f.corrected?.temperature ?? null])).toEqual([
      ['standing', '38.4', '西门老王', null],
      ['corrected', '37.9', '东门小李', '36.8'],
    ]);
    expect(d1.fevers.rows[0]).toMatchObject({ gender: 'M', ageBand: '30-39' });
    expect(d1.fevers.rows[0].nameMasked).not.toBe(hot.name);
    expect(d1.fevers.rows[0].nameMasked).toContain(hot.name[0]);
    expectNoClearIdentity(report, ...people);
    expect(d2.fevers.rows).toEqual([]);

    // Its audit row: who, which days, how many pages, in the same transaction.
    expect(await countAudit('stats.report')).toBe(before + 1);
    const [row] = await auditRows('stats.report', v.admin.accountId);
    expect(row).toMatchObject({ venueId: v.venueId, at: now });
    expect(row.details).toEqual({ kind: 'daily-report', from: D1, to: D2, day: null, rows: 2 });
  });

  it('a single day is one page; the audit names the day', async () => {
    const report = await dailyReportOfMyVenue(h.db, v.admin, { from: D2, to: D2 });
    expect(report!.days).toHaveLength(1);
    const [row] = await auditRows('stats.report', v.admin.accountId);
    expect(row.details).toEqual({ kind: 'daily-report', from: D2, to: D2, day: D2, rows: 1 });
  });

  it('not the venue’s admin: nothing read, nothing written', async () => {
    const before = await countAudit('stats.report');
    for (const who of [east, west, people[0]]) expect(await dailyReportOfMyVenue(h.db, who, { from: D1, to: D1 })).toBeNull();
    expect(await countAudit('stats.report')).toBe(before);
    // Another venue's admin gets their own (empty) venue, never this one.
    const theirs = await dailyReportOfMyVenue(h.db, other.admin, { from: D1, to: D1 });
    expect(theirs!.venue.id).toBe(other.venueId);
    expect(theirs!.days[0].total.checkins).toBe(0);
  });
});
