import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getFormatter, getTranslations } from 'next-intl/server';
import { Card } from '@/components/ui/card';
import { getDb } from '@/db';
import { requireUser } from '@/lib/auth/require-user';
import { fieldKeysFromEnv } from '@/lib/identity/field-crypto';
import { withoutServedProvince } from '@/lib/regions/divisions';
import { chinaDateOf } from '@/lib/time';
import { caseOfficial, readCase, WINDOW_MAX, WINDOW_MIN } from '@/lib/tracing/cases';
import { cn } from '@/lib/utils/cn';
import { ClearContactsButton, CloseCaseButton, HandOffButton, WindowForm } from '../_components/case-forms';
import { ContactsPanel, type CheckerRow, type ContactRow } from '../_components/contacts-panel';
import { ExportLinks } from '../_components/export-links';
import { OpsForbidden } from '../_components/forbidden';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('cases'))('title') };
}

/**
 * 病例详情: person, windows, retention horizon, trajectory, co-present persons with marking, checkers apart,
 * timeline. Every view is a read of personal data: readCase writes `case.read` in the read's transaction.
 * A case the account may not see is a 404.
 */
export default async function CasePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireUser(`/ops/cases/${encodeURIComponent(id)}`);
  const db = await getDb();
  if (!(await caseOfficial(db, user))) return <OpsForbidden />;
  const now = new Date();
  const read = await readCase(db, fieldKeysFromEnv(), user, id, now);
  if (!read.ok) notFound();
  const v = read.view;
  const [t, tp, format] = await Promise.all([getTranslations('cases'), getTranslations('person'), getFormatter()]);
  const when = (d: Date) => format.dateTime(d, { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
  const day = (d: Date) => chinaDateOf(d);
  const open = v.case.status === 'open';
  const manage = v.scope === 'region' && open;
  const visitById = new Map(v.visits.map((x) => [x.checkinId, x]));

  const contacts: ContactRow[] = v.contacts.map((c) => ({
    personId: c.personId,
    name: c.name,
    idNumber: c.idNumber,
    minGapSeconds: c.minGapSeconds,
    count: c.count,
    family: c.family,
    mark: c.marked ? (c.marked.clearedAt ? 'cleared' : 'marked') : null,
    visits: c.visitIds.flatMap((vid) => {
      const x = visitById.get(vid);
      return x ? [{ venueId: x.venueId, label: `${x.venueName} · ${when(x.effectiveAt)}` }] : [];
    }),
  }));
  const checkers: CheckerRow[] = v.checkers.map((k) => {
    const x = visitById.get(k.visitId);
    return {
      key: `${k.visitId}:${k.accountId}`,
      displayName: k.displayName,
      venueName: x?.venueName ?? '',
      time: x ? when(x.effectiveAt) : '',
      selfPersonId: k.selfPersonId,
    };
  });
  const venues = [...new Map(v.visits.filter((x) => x.visible).map((x) => [x.venueId, { id: x.venueId, name: x.venueName }])).values()];
  const oldest = v.retention.oldestVisitCutAt ? day(v.retention.oldestVisitCutAt) : null;
  const retention = v.retention.heldUntilClosed
    ? oldest
      ? t('detail.retentionHeld', { days: v.retention.days, date: oldest })
      : t('detail.retentionHeldNoVisits')
    : oldest
      ? t('detail.retentionClosed', { days: v.retention.days, date: oldest })
      : t('detail.retentionClosedNoVisits', { days: v.retention.days });

  return (
    <div className="mx-auto max-w-5xl space-y-4" data-testid="case-page">
      <Link href="/ops/cases" className="text-sm text-brand-700 hover:underline">
        ← {t('back')}
      </Link>
      <ExportLinks caseId={v.case.id} />
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">{t(`kinds.${v.case.kind as 'confirmed'}`)}</h1>
        <span
          className={cn('rounded-full px-2 text-sm font-medium leading-6', open ? 'bg-danger-bg text-danger' : 'bg-gray-100 text-muted')}
          data-testid="case-status"
        >
          {open ? t('open') : t('closed')}
        </span>
        {manage && (
          <span className="ml-auto">
            <CloseCaseButton caseId={v.case.id} />
          </span>
        )}
      </div>
      {v.scope === 'handoff' && <p className="rounded-xl bg-amber-50 p-3 text-amber-900">{t('detail.handoffScope')}</p>}

      <div className="grid gap-4 md:grid-cols-2">
        <Card>
          <h2 className="mb-2 text-lg font-semibold">{t('detail.person')}</h2>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1" data-testid="case-person">
            <dt className="text-muted">{t('detail.name')}</dt>
            <dd className="font-medium">{v.person.name}</dd>
            <dt className="text-muted">{t('detail.idType')}</dt>
            <dd>{tp(`idTypes.${v.person.idType as 'cn_resident'}`)}</dd>
            <dt className="text-muted">{t('detail.idNumber')}</dt>
            <dd className="break-all font-mono">{v.person.idNumber}</dd>
            <dt className="text-muted">{t('detail.gender')}</dt>
            <dd>{v.person.gender === 'M' ? t('detail.male') : t('detail.female')}</dd>
            <dt className="text-muted">{t('detail.birthDate')}</dt>
            <dd>{v.person.birthDate}</dd>
          </dl>
        </Card>
        <Card>
          <h2 className="mb-2 text-lg font-semibold">{t('detail.case')}</h2>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
            <dt className="text-muted">{t('detail.indexDate')}</dt>
            <dd>{v.case.indexDate}</dd>
            <dt className="text-muted">{t('detail.region')}</dt>
            <dd>{v.case.regionName}</dd>
            <dt className="text-muted">{t('detail.lookback')}</dt>
            <dd data-testid="case-lookback">
              {t('detail.lookbackRange', {
                from: day(v.case.lookbackFrom),
                to: v.case.lookbackTo ? day(v.case.lookbackTo) : t('detail.untilNow'),
              })}
            </dd>
            <dt className="text-muted">{t('detail.window')}</dt>
            <dd>{t('detail.windowValue', { minutes: v.case.windowMinutes })}</dd>
          </dl>
          {manage && (
            <div className="mt-3">
              <WindowForm
                caseId={v.case.id}
                lookbackFrom={day(v.case.lookbackFrom)}
                lookbackTo={v.case.lookbackTo ? day(v.case.lookbackTo) : ''}
                windowMinutes={v.case.windowMinutes}
                today={chinaDateOf(now)}
                bounds={{ min: WINDOW_MIN, max: WINDOW_MAX }}
              />
            </div>
          )}
        </Card>
      </div>

      <p className="rounded-xl border border-brand-100 bg-brand-50 p-3 text-sm text-brand-700" data-testid="case-retention">
        <span className="font-semibold">{t('detail.retentionTitle')}：</span>
        {retention}
      </p>

      <Card>
        <div className="mb-2 flex flex-wrap items-baseline justify-between gap-2">
          <h2 className="text-lg font-semibold">{t('trajectory.title')}</h2>
          <span className="text-sm text-muted">{t('trajectory.count', { count: v.visits.length })}</span>
        </div>
        {v.visits.length === 0 ? (
          <p className="text-muted">{t('trajectory.empty')}</p>
        ) : (
          <>
            <ul className="divide-y divide-line sm:hidden" aria-label={t('trajectory.title')}>
              {v.visits.map((x) => (
                <li key={x.checkinId} className={cn('space-y-1 py-3', !x.insideRegion && 'bg-amber-50/60')} data-testid="case-visit-card">
                  <span className="flex flex-wrap items-baseline justify-between gap-x-3">
                    <span className="font-semibold">{x.venueName}</span>
                    <span className="whitespace-nowrap text-sm text-muted">{when(x.effectiveAt)}</span>
                  </span>
                  <span className="block text-sm">
                    {withoutServedProvince(x.regionName)}
                    {!x.insideRegion && <span className="ml-2 font-medium text-amber-800">{t('trajectory.outside')}</span>}
                  </span>
                  <span className="block text-sm text-muted">
                    {x.visible && `${t(`trajectory.methods.${x.method}`)} · `}
                    {x.visible && x.temperatureDeci !== null && `${(x.temperatureDeci / 10).toFixed(1)}℃ · `}
                    {t('trajectory.coPresent')} {t('trajectory.coPresentValue', { count: x.coPresentCount })}
                    {x.visible && x.superseded && ` · ${t('trajectory.superseded')}`}
                  </span>
                  {x.handoff ? (
                    <span className="block text-sm text-muted">{t('trajectory.handedOff', { time: when(x.handoff.createdAt) })}</span>
                  ) : (
                    !x.insideRegion && manage && <HandOffButton caseId={v.case.id} checkinId={x.checkinId} />
                  )}
                </li>
              ))}
            </ul>
            <div className="hidden overflow-x-auto sm:block" tabIndex={0} role="region" aria-label={t('trajectory.title')}>
              <table className="w-full min-w-[680px] text-left text-sm" data-testid="case-trajectory">
                <thead className="text-muted">
                  <tr className="border-b border-line">
                    <th className="py-2">{t('trajectory.time')}</th>
                    <th className="py-2">{t('trajectory.venue')}</th>
                    <th className="py-2">{t('trajectory.region')}</th>
                    <th className="py-2">{t('trajectory.method')}</th>
                    <th className="py-2">{t('trajectory.temperature')}</th>
                    <th className="py-2">{t('trajectory.coPresent')}</th>
                    <th className="py-2" />
                  </tr>
                </thead>
                <tbody>
                  {v.visits.map((x) => (
                    <tr
                      key={x.checkinId}
                      className={cn('border-b border-line align-top', !x.insideRegion && 'bg-amber-50/60')}
                      data-testid="case-visit"
                      data-venue={x.venueName}
                    >
                      <td className="whitespace-nowrap py-2">{when(x.effectiveAt)}</td>
                      <td className="py-2">
                        <div className="font-medium">{x.venueName}</div>
                        {x.visible && x.entranceName && <div className="text-muted">{x.entranceName}</div>}
                      </td>
                      <td className="py-2">
                        {withoutServedProvince(x.regionName)}
                        {!x.insideRegion && <div className="text-xs font-medium text-amber-800">{t('trajectory.outside')}</div>}
                      </td>
                      <td className="py-2">
                        {x.visible ? t(`trajectory.methods.${x.method}`) : '—'}
                        {x.visible && x.superseded && <div className="text-xs text-muted">{t('trajectory.superseded')}</div>}
                      </td>
                      <td className="py-2">{x.visible && x.temperatureDeci !== null ? `${(x.temperatureDeci / 10).toFixed(1)}℃` : '—'}</td>
                      <td className="py-2" data-testid="case-visit-count">
                        {t('trajectory.coPresentValue', { count: x.coPresentCount })}
                      </td>
                      <td className="py-2">
                        {x.handoff ? (
                          <span className="whitespace-nowrap text-sm text-muted">
                            {t('trajectory.handedOff', { time: when(x.handoff.createdAt) })}
                          </span>
                        ) : (
                          !x.insideRegion && manage && <HandOffButton caseId={v.case.id} checkinId={x.checkinId} />
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </Card>

      <Card>
        <h2 className="text-lg font-semibold">{t('contacts.title')}</h2>
        <p className="mb-3 text-sm text-muted">{t('contacts.hint', { minutes: v.case.windowMinutes })}</p>
        <ContactsPanel caseId={v.case.id} contacts={contacts} checkers={checkers} venues={venues} canMark={open} />
        {v.scope === 'region' && v.contacts.some((c) => c.marked && !c.marked.clearedAt) && (
          <div className="mt-3 border-t border-line pt-3">
            <ClearContactsButton caseId={v.case.id} />
          </div>
        )}
      </Card>

      <Card>
        <h2 className="mb-2 text-lg font-semibold">{t('timeline.title')}</h2>
        <ol className="space-y-1 text-sm" data-testid="case-timeline">
          {v.events.map((e, i) => (
            <li key={i} className="flex gap-3">
              <span className="whitespace-nowrap text-muted">{when(e.at)}</span>
              <span>{t(`timeline.${e.kind as 'opened'}`, { count: Number(e.details.count ?? 0) })}</span>
            </li>
          ))}
        </ol>
      </Card>
    </div>
  );
}
