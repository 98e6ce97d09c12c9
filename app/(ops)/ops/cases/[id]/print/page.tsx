import { ArrowLeft, Download } from 'lucide-react';
import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { PrintButton } from '@/app/(venue)/venue/poster/print-button';
import { buttonVariants } from '@/components/ui/button';
import { getDb } from '@/db';
import { maskPhone } from '@/lib/auth/phone';
import { requireUser } from '@/lib/auth/require-user';
import { isRedReason } from '@/lib/health-code/colours';
import { fieldKeysFromEnv } from '@/lib/identity/field-crypto';
import { isIdType } from '@/lib/identity/id-documents';
import { formatChinaDateTime } from '@/lib/time';
import { contactVisitsOf, exportCase, formatGap, markOf, temperatureOf } from '@/lib/tracing/case-export';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('caseExport'))('printTitle') };
}

// A4 portrait; tables may run over several sheets, their header rows repeat (the app's frame is `no-print`).
const PRINT_CSS = `
@page { size: A4 portrait; margin: 12mm; }
@media print {
  html, body { background: white !important; }
  .case-sheet { margin: 0 !important; padding: 0 !important; border: 0 !important; box-shadow: none !important; border-radius: 0 !important; }
  .case-sheet thead { display: table-header-group; }
  .case-sheet tr { break-inside: avoid; }
  .case-sheet, .case-sheet * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}`;

const th = 'py-1 pr-2 text-left align-bottom font-medium text-muted';
const td = 'py-1 pr-2 align-top';

/**
 * 病例流调报告 (SPEC T5): the case printed on A4 for the health authority — header, trajectory, co-present
 * persons with full names and document numbers. Officials who may see the case only (otherwise 404, as
 * the case page). Every opening is an export: audit row `case.export` and the timeline's `exported`
 * event, written with the read (lib/tracing/case-export.ts).
 */
export default async function CasePrintPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireUser(`/ops/cases/${encodeURIComponent(id)}/print`);
  const x = await exportCase(await getDb(), fieldKeysFromEnv(), user.accountId, id, 'print');
  if (!x) notFound();
  // Keys built from the data (a kind, a document type, a method) are checked by the guards.
  type Tr = (key: string, values?: Record<string, string | number>) => string;
  const [t, hc, p] = (await Promise.all([
    getTranslations('caseExport'),
    getTranslations('healthCode'),
    getTranslations('person'),
  ])) as unknown as [Tr, Tr, Tr];
  const kindOf = (kind: string) => (isRedReason(kind) ? hc(`reasons.${kind}`) : kind);
  const idTypeOf = (idType: string) => (isIdType(idType) ? p(`idTypes.${idType}`) : idType);
  const { view, visits, contacts } = x;
  const c = view.case;

  const facts: [string, string, ReactNode][] = [
    [
      'person',
      t('person'),
      <>
        {view.person.name} · {idTypeOf(view.person.idType)} <span className="whitespace-nowrap tabular-nums">{view.person.idNumber}</span>
      </>,
    ],
    ['kind', t('kind'), kindOf(c.kind)],
    ['region', t('region'), c.regionName],
    [
      'lookback',
      t('lookback'),
      `${formatChinaDateTime(c.lookbackFrom)} – ${c.lookbackTo ? formatChinaDateTime(c.lookbackTo) : t('untilNow')}`,
    ],
    ['window', t('window'), t('windowValue', { minutes: c.windowMinutes })],
    ['official', t('official'), t('exportedBy', { region: x.official.regionName, phone: maskPhone(user.phone) })],
    ['exported-at', t('exportedAt'), formatChinaDateTime(x.exportedAt)],
  ];

  return (
    <div className="mx-auto max-w-[210mm] space-y-4">
      <style>{PRINT_CSS}</style>
      <div className="no-print flex flex-wrap items-center justify-between gap-2 rounded-2xl border border-line bg-white p-3 shadow-sm">
        <Link href={`/ops/cases/${c.id}`} className={buttonVariants({ variant: 'ghost', size: 'sm' })}>
          <ArrowLeft aria-hidden size={16} />
          {t('back')}
        </Link>
        <div className="flex flex-wrap items-center gap-2">
          <a
            href={`/ops/cases/${c.id}/export`}
            className={buttonVariants({ variant: 'secondary', size: 'sm' })}
            data-testid="case-export-csv"
          >
            <Download aria-hidden size={16} />
            {t('downloadCsv')}
          </a>
          <PrintButton label={t('print')} />
        </div>
      </div>

      <article
        className="case-sheet space-y-5 rounded-2xl border border-line bg-white p-5 text-sm shadow-sm"
        data-testid="case-print"
        aria-labelledby="case-print-title"
      >
        <header className="space-y-2 border-b-2 border-ink pb-2">
          <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
            <h1 id="case-print-title" className="text-xl font-bold">
              {t('printTitle')}
            </h1>
            <p className="text-xs text-muted tabular-nums">
              {t('caseId')} {c.id}
            </p>
          </div>
          <dl className="grid grid-cols-1 gap-x-6 gap-y-1 sm:grid-cols-2 print:grid-cols-2">
            {facts.map(([key, label, value]) => (
              <div
                key={key}
                className={`flex gap-2 ${key === 'person' ? 'sm:col-span-2 print:col-span-2' : ''}`}
                data-testid={`case-print-${key}`}
              >
                <dt className="shrink-0 text-muted">{label}</dt>
                <dd className="font-medium break-words">{value}</dd>
              </div>
            ))}
          </dl>
          <p className="text-xs text-danger">{t('confidential')}</p>
          {view.scope === 'handoff' && <p className="text-xs text-muted">{t('scopeHandoff')}</p>}
        </header>

        <section aria-labelledby="case-print-trajectory">
          <h2 id="case-print-trajectory" className="mb-1 font-semibold">
            {t('trajectory')} <span className="font-normal text-muted">{t('visitCount', { n: visits.length })}</span>
          </h2>
          {visits.length === 0 ? (
            <p className="text-muted">{t('noVisits')}</p>
          ) : (
            <div className="overflow-x-auto print:overflow-visible">
              <table className="w-full min-w-[34rem] print:min-w-0" data-testid="case-print-visits">
                <thead>
                  <tr>
                    <th className={th}>{t('time')}</th>
                    <th className={th}>{t('venue')}</th>
                    <th className={th}>{t('venueRegion')}</th>
                    <th className={th}>{t('method')}</th>
                    <th className={th}>{t('temperature')}</th>
                    <th className={`${th} text-right`}>{t('coPresent')}</th>
                  </tr>
                </thead>
                <tbody>
                  {visits.map((v) => (
                    <tr key={v.checkinId} className="border-t border-line" data-testid="case-print-visit">
                      <td className={`${td} whitespace-nowrap tabular-nums`}>{formatChinaDateTime(v.effectiveAt)}</td>
                      <td className={td}>
                        {v.venueName}
                        <span className="block text-xs text-muted">
                          {v.entranceName ?? t('mainEntrance')}
                          {v.superseded ? ` · ${t('superseded')}` : ''}
                        </span>
                      </td>
                      <td className={td}>{v.regionName}</td>
                      <td className={td}>{t(`methods.${v.method}`)}</td>
                      <td className={`${td} whitespace-nowrap tabular-nums`}>{temperatureOf(t, v)}</td>
                      <td className={`${td} text-right tabular-nums`}>{v.coPresentCount}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>

        <section aria-labelledby="case-print-contacts">
          <h2 id="case-print-contacts" className="mb-1 font-semibold">
            {t('contacts')} <span className="font-normal text-muted">{t('contactCount', { n: contacts.length })}</span>
          </h2>
          {contacts.length === 0 ? (
            <p className="text-muted">{t('noContacts')}</p>
          ) : (
            <div className="overflow-x-auto print:overflow-visible">
              <table className="w-full min-w-[40rem] print:min-w-0" data-testid="case-print-contacts">
                <thead>
                  <tr>
                    <th className={th}>{t('name')}</th>
                    <th className={th}>
                      {t('idType')} / {t('idNumber')}
                    </th>
                    <th className={th}>{t('visits')}</th>
                    <th className={th}>{t('minGap')}</th>
                    <th className={`${th} text-right`}>{t('count')}</th>
                    <th className={th}>{t('mark')}</th>
                  </tr>
                </thead>
                <tbody>
                  {contacts.map((k) => (
                    <tr key={k.personId} className="border-t border-line" data-testid="case-print-contact">
                      <td className={td}>
                        {k.name}
                        {k.family && <span className="ml-1 rounded bg-surface px-1 text-xs text-muted">{t('family')}</span>}
                      </td>
                      <td className={td}>
                        <span className="block text-xs text-muted">{idTypeOf(k.idType)}</span>
                        <span className="tabular-nums break-all">{k.idNumber}</span>
                      </td>
                      <td className={`${td} text-xs tabular-nums`}>
                        {contactVisitsOf(k, visits).map((line) => (
                          <span key={line} className="block">
                            {line}
                          </span>
                        ))}
                      </td>
                      <td className={`${td} whitespace-nowrap tabular-nums`}>{formatGap(t, k.minGapSeconds)}</td>
                      <td className={`${td} text-right tabular-nums`}>{k.count}</td>
                      <td className={`${td} text-xs`}>{markOf(t, k.marked)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      </article>
    </div>
  );
}
