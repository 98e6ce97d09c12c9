// 导出病例 (SPEC T5, #20): the case's CSV for the health authority through its route — BOM, formulas
// neutralised, full names and documents of the contacts, only the visits the official may see — and the
// print view's read; each export writes its audit row and the timeline's `exported` event with the read,
// and a refused caller (another district) writes nothing. Dated from the real clock (the case's look-back).
process.env.TZ = 'UTC';

import { and, eq, sql } from 'drizzle-orm';
import { createTranslator } from 'next-intl';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { rowsOf } from '@/db';
import { auditLog, persons, traceCaseEvents } from '@/db/schema';
import { encryptField } from '@/lib/identity/field-crypto';
import zh from '@/lib/i18n/messages/zh-CN.json';
import { listRegionChildren } from '@/lib/regions/divisions';
import { exportCase } from '@/lib/tracing/case-export';
import { handOffVisit, openCase } from '@/lib/tracing/cases';
import { chinaDateOf } from '@/lib/time';
import { DAY, MIN, ms, type Person, type Venue, createFixtures } from '../helpers/fixtures';
import { createTracingHelpers } from '../helpers/tracing';
import { as, newSession, readResponse, serveFrom } from '../helpers/in-process';

vi.mock('next/headers', () => ({
  headers: async () => new Headers({ 'x-forwarded-for': '10.74.0.9' }),
  cookies: async () => (await import('../helpers/in-process')).sessionCookieStore(),
}));
vi.mock('next-intl/server', async () => {
  const { createTranslator: make } = await import('next-intl');
  const messages = (await import('@/lib/i18n/messages/zh-CN.json')).default;
  return {
    getTranslations: async (namespace: string) => make({ locale: 'zh-CN', messages, namespace: namespace as never }),
    getLocale: async () => 'zh-CN',
  };
});

const NOW = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
const fx = createFixtures({
  phone: { prefix: '149', base: 6_900_000, step: 31 },
  ids: { fromYear: 1963, stepDays: 23 },
  venue: { namePrefix: '导出天河场所', address: '天河路 18 号', contactPhone: '020-88887777' },
  checker: { displayName: '门岗阿芳', ip: '10.74.0.1', secret: 'test-secret-case-export' },
  base: NOW,
});
const { h, fieldKeys: keys, newPerson, newVenue, venueIn, bindChecker, newActor } = fx;
const daysAgo = (d: number, minutes = 0) => ms(NOW, -d * DAY + minutes * MIN);
const YUEXIU = listRegionChildren('440104')[0].code;
const t = createTranslator({ locale: 'zh-CN', messages: zh, namespace: 'caseExport' });

const { door, official: newOfficial } = createTracingHelpers(fx);
/** An official of `region` with a signed-in session, for the export route. */
async function official(region: string) {
  const a = await newOfficial(region);
  return { ...a, sid: await newSession(h.db, a.accountId) };
}
async function rename(p: Person, name: string) {
  await h.db
    .update(persons)
    .set({ nameEnc: encryptField(keys, name) })
    .where(eq(persons.id, p.personId));
}
const written = async (caseId: string) => {
  const audits = await h.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, 'case.export'), eq(auditLog.reason, caseId)));
  const events = await h.db
    .select()
    .from(traceCaseEvents)
    .where(and(eq(traceCaseEvents.caseId, caseId), eq(traceCaseEvents.kind, 'exported')));
  return { audits, events };
};
const csvOf = async (sid: string, caseId: string) => {
  const { GET } = await import('@/app/(ops)/ops/cases/[id]/export/route');
  return as(sid, async () =>
    readResponse(await GET(new Request(`http://localhost/ops/cases/${caseId}/export`), { params: Promise.resolve({ id: caseId }) })),
  );
};

const s = {} as {
  caseId: string;
  tianhe: Venue;
  yuexiu: Venue;
  formula: Person;
  plus: Person;
  handed: Person;
  district: Awaited<ReturnType<typeof official>>;
  handoffOfficial: Awaited<ReturnType<typeof official>>;
  elsewhere: Awaited<ReturnType<typeof official>>;
};

beforeAll(async () => {
  serveFrom(h);
  s.tianhe = await newVenue();
  s.yuexiu = await venueIn(YUEXIU, '导出越秀场所');
  const c1 = await bindChecker(s.tianhe, daysAgo(10));
  const c2 = await bindChecker(s.yuexiu, daysAgo(10));
  const [caseP, formula, plus, handed] = await Promise.all(['欧阳导出', '公式甲', '加号乙', '司马移交'].map((n) => newPerson(n)));
  Object.assign(s, { formula, plus, handed });
  await door(c1, s.tianhe, caseP, daysAgo(2));
  await door(c1, s.tianhe, formula, daysAgo(2, 5));
  await door(c1, s.tianhe, plus, daysAgo(2, -10));
  const far = await door(c2, s.yuexiu, caseP, daysAgo(1));
  await door(c2, s.yuexiu, handed, daysAgo(1, 3));
  await rename(formula, '=HYPERLINK("http://evil.example/x","点我")');
  await rename(plus, '+1');

  s.district = await official('440106');
  s.handoffOfficial = await official('440104');
  s.elsewhere = await official('440105');
  const r = await openCase(
    h.db,
    keys,
    s.district,
    { idType: 'cn_resident', idNumber: caseP.idNumber, kind: 'confirmed', indexDate: chinaDateOf(NOW) },
    NOW,
  );
  if (!r.ok) throw new Error(JSON.stringify(r));
  s.caseId = r.caseId;
  const handoff = await handOffVisit(h.db, keys, s.district, s.caseId, far.id, NOW);
  if (!handoff.ok) throw new Error(JSON.stringify(handoff));
});

describe('the case CSV (SPEC T5)', () => {
  it('has a BOM, neutralises formulas, carries full names and documents, only the visits the official may see', async () => {
    const before = await written(s.caseId);
    const res = await csvOf(s.district.sid, s.caseId);
    expect(res.status).toBe(200);
    const body = res.body as string;
    expect(body.startsWith('\uFEFF')).toBe(true);
    expect(body).toContain(`"'=HYPERLINK(""http://evil.example/x"",""点我"")"`);
    expect(body).toContain(`"'+1"`);
    expect(body).not.toMatch(/(^|,)"=/m);
    expect(body).not.toMatch(/(^|,)"\+/m);
    // Sections, full names and document numbers, the document type in words.
    for (const words of [t('trajectory'), t('contacts'), t('name'), t('idNumber'), '内地居民身份证', '欧阳导出'])
      expect(body).toContain(words);
    expect(body).toContain(s.formula.idNumber);
    expect(body).toContain(s.plus.idNumber);
    expect(body).toContain(s.tianhe.name);
    // The 越秀 visit lies outside the district official's region: neither it nor its contact is exported.
    expect(body).not.toContain('导出越秀场所');
    expect(body).not.toContain('司马移交');
    expect(body).not.toContain(s.handed.idNumber);
    // Smallest gaps: 5 min and 10 min.
    expect(body).toContain(`"${t('gap', { minutes: 5, seconds: 0 })}","300"`);
    expect(body).toContain(`"${t('gap', { minutes: 10, seconds: 0 })}","600"`);

    const after = await written(s.caseId);
    expect(after.audits.length).toBe(before.audits.length + 1);
    expect(after.events.length).toBe(before.events.length + 1);
    const audit = after.audits.at(-1)!;
    expect(audit).toMatchObject({ actorAccountId: s.district.accountId, targetId: s.caseId, reason: s.caseId });
    expect(audit.details).toMatchObject({ format: 'csv', visits: 1, contacts: 2, scope: 'region' });
    expect(after.events.at(-1)).toMatchObject({ actorAccountId: s.district.accountId, details: { format: 'csv' } });
    // Written with the read: the audit row and the event carry the same instant.
    expect(after.events.at(-1)!.at.getTime()).toBe(audit.at.getTime());
  });

  it('gives a hand-off official only the handed visit and its contacts', async () => {
    const res = await csvOf(s.handoffOfficial.sid, s.caseId);
    expect(res.status).toBe(200);
    const body = res.body as string;
    expect(body).toContain('导出越秀场所');
    expect(body).toContain('司马移交');
    expect(body).toContain(s.handed.idNumber);
    expect(body).not.toContain(s.tianhe.name);
    expect(body).not.toContain(s.formula.idNumber);
    expect(body).not.toContain(s.plus.idNumber);
    const x = await exportCase(h.db, keys, s.handoffOfficial.accountId, s.caseId, 'print', NOW);
    expect(x!.view.scope).toBe('handoff');
    expect(x!.visits.map((v) => v.venueName)).toEqual(['导出越秀场所']);
    expect(x!.contacts.map((c) => c.name)).toEqual(['司马移交']);
    const { audits } = await written(s.caseId);
    expect(audits.at(-1)!.details).toMatchObject({ format: 'print', scope: 'handoff', visits: 1, contacts: 1 });
  });

  it('is not found for another district’s official, a resident and a bad id, and writes nothing', async () => {
    const before = await written(s.caseId);
    const [{ n: auditsBefore }] = rowsOf<{ n: number }>(await h.db.execute(sql`select count(*)::int as n from audit_log`));
    expect(await csvOf(s.elsewhere.sid, s.caseId)).toEqual({ status: 404, body: { error: 'not_found' } });
    const resident = await newActor();
    expect(await csvOf(await newSession(h.db, resident.accountId), s.caseId)).toEqual({ status: 404, body: { error: 'not_found' } });
    expect(await csvOf(s.district.sid, 'not-a-case')).toEqual({ status: 404, body: { error: 'not_found' } });
    expect(await exportCase(h.db, keys, s.elsewhere.accountId, s.caseId, 'print', NOW)).toBeNull();
    expect(await csvOf('', s.caseId)).toMatchObject({ status: 401 });
    const after = await written(s.caseId);
    expect(after.audits.length).toBe(before.audits.length);
    expect(after.events.length).toBe(before.events.length);
    const [{ n: auditsAfter }] = rowsOf<{ n: number }>(await h.db.execute(sql`select count(*)::int as n from audit_log`));
    expect(Number(auditsAfter)).toBe(Number(auditsBefore));
  });
});
