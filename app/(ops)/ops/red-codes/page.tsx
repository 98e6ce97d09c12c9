import type { Metadata } from 'next';
import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { Card } from '@/components/ui/card';
import { getDb } from '@/db';
import { FOLLOW_UP_STATUSES, type FollowUpStatus } from '@/db/queries/door-reds';
import { requireUser } from '@/lib/auth/require-user';
import { isRedReason } from '@/lib/health-code/colours';
import { redCodesForOfficial, type RedRange } from '@/lib/officials/door-reds';
import { formatRegion } from '@/lib/regions/divisions';
import { cn } from '@/lib/utils/cn';
import { RedCodeFollowUp } from './_components/red-code-follow-up';
import { RevealIdentity } from './_components/reveal-identity';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('doorRed'))('title') };
}

type Search = { range?: string; status?: string; page?: string };

const STATUS_STYLE: Record<FollowUpStatus, string> = {
  pending: 'bg-danger text-white',
  verified: 'bg-amber-100 text-amber-900 border border-amber-300',
  handled: 'bg-emerald-100 text-emerald-900 border border-emerald-300',
};
const STATUS_ICON: Record<FollowUpStatus, string> = { pending: '!', verified: '✓', handled: '✓✓' };

/** 门口红码 (SPEC T6): the red codes found at the doors of the official's region, to verify and handle. */
export default async function RedCodesPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requireUser('/ops/red-codes');
  const sp = await searchParams;
  const range: RedRange = sp.range === 'week' ? 'week' : 'today';
  const status = FOLLOW_UP_STATUSES.includes(sp.status as FollowUpStatus) ? (sp.status as FollowUpStatus) : undefined;
  const page = Number.parseInt(sp.page ?? '1', 10) || 1;
  const [t, to, tr, format] = await Promise.all([
    getTranslations('doorRed'),
    getTranslations('ops'),
    getTranslations('healthCode.reasons'),
    getFormatter(),
  ]);
  const data = await redCodesForOfficial(await getDb(), user, { range, status, page });
  if (!data) {
    return (
      <Card className="mx-auto max-w-md text-center" data-testid="ops-forbidden">
        <h1 className="text-xl font-semibold">{to('forbiddenTitle')}</h1>
        <p className="mt-2 text-muted">{to('forbiddenBody')}</p>
      </Card>
    );
  }
  const href = (p: Partial<Search>) => {
    const q = new URLSearchParams();
    const next = { range, status, page: '1', ...p };
    if (next.range !== 'today') q.set('range', next.range);
    if (next.status) q.set('status', next.status);
    if (next.page && next.page !== '1') q.set('page', next.page);
    const s = q.toString();
    return s ? `/ops/red-codes?${s}` : '/ops/red-codes';
  };
  const total = data.counts.pending + data.counts.verified + data.counts.handled;
  const pill = (active: boolean) =>
    cn(
      'flex h-11 items-center justify-center gap-1 rounded-lg px-3 text-[15px] whitespace-nowrap',
      active ? 'bg-brand-600 font-semibold text-white' : 'text-ink hover:bg-brand-50',
    );
  const when = (d: Date) => format.dateTime(d, { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <h1 className="text-2xl font-semibold">{t('title')}</h1>
      <p className="text-muted">{t('hint')}</p>
      <p className="text-sm text-muted" data-testid="red-codes-region">
        {t('region', { region: formatRegion(data.official.regionCode) || data.official.regionCode })}
      </p>
      <nav aria-label={t('title')} className="space-y-2">
        <ul className="grid grid-cols-2 gap-1 rounded-xl bg-white p-1 shadow-sm">
          {(['today', 'week'] as const).map((r) => (
            <li key={r}>
              <Link
                href={href({ range: r, status: undefined })}
                aria-current={r === range ? 'page' : undefined}
                className={pill(r === range)}
              >
                {t(`ranges.${r}`)}
              </Link>
            </li>
          ))}
        </ul>
        <ul className="grid grid-cols-2 gap-1 rounded-xl bg-white p-1 shadow-sm sm:grid-cols-4" data-testid="red-codes-counts">
          <li>
            <Link href={href({ status: undefined })} aria-current={!status ? 'true' : undefined} className={pill(!status)}>
              {t('statusAll')} <span>({total})</span>
            </Link>
          </li>
          {FOLLOW_UP_STATUSES.map((s) => (
            <li key={s}>
              <Link
                href={href({ status: s })}
                aria-current={s === status ? 'true' : undefined}
                className={pill(s === status)}
                data-status={s}
              >
                {t(`statuses.${s}`)} <span>({data.counts[s]})</span>
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {data.rows.length === 0 ? (
        <Card>
          <p className="text-muted">{t('empty')}</p>
        </Card>
      ) : (
        <ul className="space-y-3" data-testid="red-codes-list">
          {data.rows.map((r) => (
            <li key={`${r.venueId}:${r.checkinId}`}>
              <Card className="space-y-3" data-testid="red-code-row">
                <div className="flex flex-wrap items-start justify-between gap-2">
                  <div className="min-w-0">
                    <p className="text-lg font-semibold break-words">{r.venueName}</p>
                    <p className="text-sm text-muted">
                      {r.entranceName ?? (r.entranceIsMain || r.entranceIsMain === null ? t('mainEntrance') : '')} · {when(r.effectiveAt)} ·{' '}
                      {t(`methods.${r.method as 'scan' | 'quick' | 'typed'}`)}
                    </p>
                  </div>
                  <span
                    className={cn('inline-flex items-center gap-1 rounded-full px-3 py-1 text-sm font-semibold', STATUS_STYLE[r.status])}
                    data-testid="red-code-status"
                  >
                    <span aria-hidden>{STATUS_ICON[r.status]}</span>
                    {t(`statuses.${r.status}`)}
                  </span>
                </div>
                <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
                  <dt className="text-muted">{t('person')}</dt>
                  <dd className="font-medium" data-testid="red-code-person">
                    {r.nameMasked ?? t('anonymised')}
                  </dd>
                  <dt className="text-muted">{t('redReason')}</dt>
                  <dd className="font-medium text-danger">
                    <span aria-hidden>● </span>
                    {isRedReason(r.redReason) ? tr(r.redReason) : t('unknownReason')}
                  </dd>
                  {r.note && (
                    <>
                      <dt className="text-muted">{t('note')}</dt>
                      <dd className="break-words whitespace-pre-line">{r.note}</dd>
                    </>
                  )}
                </dl>
                {r.followedAt && <p className="text-sm text-muted">{t('followedAt', { time: when(r.followedAt) })}</p>}
                <RedCodeFollowUp venueId={r.venueId} checkinId={r.checkinId} status={r.status} note={r.note ?? ''} />
                {r.nameMasked && <RevealIdentity venueId={r.venueId} checkinId={r.checkinId} />}
              </Card>
            </li>
          ))}
        </ul>
      )}
      {data.pages > 1 && (
        <nav className="flex items-center justify-between" aria-label={t('pageOf', { page: data.page, pages: data.pages })}>
          {data.page > 1 ? (
            <Link className="text-brand-600 underline" href={href({ status, page: String(data.page - 1) })}>
              {t('prev')}
            </Link>
          ) : (
            <span />
          )}
          <span className="text-sm text-muted">{t('pageOf', { page: data.page, pages: data.pages })}</span>
          {data.page < data.pages ? (
            <Link className="text-brand-600 underline" href={href({ status, page: String(data.page + 1) })}>
              {t('next')}
            </Link>
          ) : (
            <span />
          )}
        </nav>
      )}
    </div>
  );
}
