import 'server-only';
import type { Db } from '@/db';
import { appendAudit } from '@/db/queries/audit';
import { insertCaseEvent } from '@/db/queries/trace-cases';
import type { FieldKeys } from '@/lib/identity/field-crypto';
import { formatRegion } from '@/lib/regions/divisions';
import { formatChinaDateTime } from '@/lib/time';
import { loadCaseView, type CaseView } from './case-view';
import { caseAccess } from './cases';

export type ExportFormat = 'csv' | 'print';

export type CaseExport = {
  view: CaseView;
  /** Only the visits the official may see (the view's `visible` ones), oldest first. */
  visits: CaseView['visits'];
  /** The co-present persons of those visits. */
  contacts: CaseView['contacts'];
  exportedAt: Date;
  official: { accountId: string; regionCode: string; regionName: string };
};

/**
 * A case for the health authority (SPEC T5): the official's view of the case, read in one transaction
 * with its audit row (`case.export`, reason = the case id) and the timeline's `exported` event, as the
 * case page's readCase. An account that may not see the case (caseAccess → null) gets null and nothing
 * is written.
 */
export async function exportCase(
  db: Db,
  keys: FieldKeys,
  accountId: string,
  caseId: unknown,
  format: ExportFormat,
  now = new Date(),
): Promise<CaseExport | null> {
  return db.transaction(async (tx) => {
    const access = await caseAccess(tx, { accountId }, caseId);
    if (!access) return null;
    const view = await loadCaseView(tx, keys, access, now);
    const visits = view.visits.filter((v) => v.visible);
    const shown = new Set(visits.map((v) => v.checkinId));
    const contacts = view.contacts.filter((c) => c.visitIds.some((id) => shown.has(id)));
    const details = { format, visits: visits.length, contacts: contacts.length, scope: view.scope };
    await appendAudit(tx, {
      actorAccountId: accountId,
      action: 'case.export',
      targetType: 'case',
      targetId: view.case.id,
      reason: view.case.id,
      details,
      at: now,
    });
    await insertCaseEvent(tx, { caseId: view.case.id, kind: 'exported', actorAccountId: accountId, details, at: now });
    return {
      view,
      visits,
      contacts,
      exportedAt: now,
      official: { accountId, regionCode: access.official.regionCode, regionName: formatRegion(access.official.regionCode) },
    };
  });
}

type T = (key: string, values?: Record<string, string | number>) => string;
type Cell = string | number | null;

/** The smallest gap as the page shows it: minutes and seconds. */
export function formatGap(t: T, seconds: number): string {
  const s = Math.round(seconds);
  return t('gap', { minutes: Math.floor(s / 60), seconds: s % 60 });
}

export function temperatureOf(t: T, visit: { method: string; temperatureDeci: number | null }): string {
  if (visit.temperatureDeci === null) return visit.method === 'quick' ? t('quickNormal') : '';
  return `${(visit.temperatureDeci / 10).toFixed(1)} ℃`;
}

export function markOf(t: T, marked: CaseView['contacts'][number]['marked']): string {
  if (!marked) return t('notMarked');
  if (marked.clearedAt) return t('cleared', { at: formatChinaDateTime(marked.clearedAt) });
  return t('marked', { at: formatChinaDateTime(marked.markedAt) });
}

/** "time venue" of each of the contact's visits, in the case's order. */
export function contactVisitsOf(contact: CaseView['contacts'][number], visits: CaseView['visits']): string[] {
  const wanted = new Set(contact.visitIds);
  return visits.filter((v) => wanted.has(v.checkinId)).map((v) => `${formatChinaDateTime(v.effectiveAt)} ${v.venueName}`);
}

/**
 * The export as CSV rows (lib/stats/csv.ts adds the BOM and neutralises formulas): a header block, then
 * two sections — the trajectory (visible visits only) and the co-present persons with their documents.
 * `t` is the caseExport namespace; `labels` name the case kind, a document type and the exporting official.
 */
export function caseCsvRows(
  x: CaseExport,
  t: T,
  labels: { kindOf: (kind: string) => string; idTypeOf: (idType: string) => string; exportedBy: string },
): Cell[][] {
  const { kindOf, idTypeOf } = labels;
  const { view, visits, contacts } = x;
  const rows: Cell[][] = [
    [t('title')],
    [t('caseId'), view.case.id],
    [t('person'), view.person.name, idTypeOf(view.person.idType), view.person.idNumber],
    [t('kind'), kindOf(view.case.kind)],
    [t('region'), view.case.regionName],
    [
      t('lookback'),
      `${formatChinaDateTime(view.case.lookbackFrom)} – ${view.case.lookbackTo ? formatChinaDateTime(view.case.lookbackTo) : t('untilNow')}`,
    ],
    [t('window'), t('windowValue', { minutes: view.case.windowMinutes })],
    [t('official'), labels.exportedBy],
    [t('exportedAt'), formatChinaDateTime(x.exportedAt)],
    [],
    [t('trajectory'), t('visitCount', { n: visits.length })],
    [t('time'), t('venue'), t('venueRegion'), t('entrance'), t('method'), t('temperature'), t('superseded'), t('coPresent')],
    ...visits.map((v) => [
      formatChinaDateTime(v.effectiveAt),
      v.venueName,
      v.regionName,
      v.entranceName ?? t('mainEntrance'),
      t(`methods.${v.method}`),
      temperatureOf(t, v),
      v.superseded ? t('yes') : '',
      v.coPresentCount,
    ]),
    [],
    [t('contacts'), t('contactCount', { n: contacts.length })],
    [t('name'), t('idType'), t('idNumber'), t('visits'), t('minGap'), t('minGapSeconds'), t('count'), t('family'), t('mark')],
    ...contacts.map((c) => [
      c.name,
      idTypeOf(c.idType),
      c.idNumber,
      contactVisitsOf(c, visits).join('；'),
      formatGap(t, c.minGapSeconds),
      Math.round(c.minGapSeconds),
      c.count,
      c.family ? t('yes') : '',
      markOf(t, c.marked),
    ]),
  ];
  return rows;
}
