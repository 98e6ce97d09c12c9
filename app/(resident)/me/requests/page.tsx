import type { Metadata } from 'next';
import { getFormatter, getTranslations } from 'next-intl/server';
import { Card } from '@/components/ui/card';
import { getDb } from '@/db';
import { requireUser } from '@/lib/auth/require-user';
import { linkRequestsPage } from '@/lib/identity/link-requests';
import { cn } from '@/lib/utils/cn';
import { AnswerButtons, CancelButton } from './_components/request-buttons';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('consent'))('requests.title') };
}

const STATUS_TONE = {
  pending: 'bg-amber-50 text-amber-800',
  accepted: 'bg-brand-50 text-brand-700',
  refused: 'bg-danger-bg text-danger',
  cancelled: 'bg-slate-100 text-muted',
  expired: 'bg-slate-100 text-muted',
};

/** 关联申请 (SPEC L1): requests waiting for this account's consent, and the ones it sent. */
export default async function LinkRequestsPage() {
  const user = await requireUser('/me/requests');
  const db = await getDb();
  const now = new Date();
  const [t, format, { incoming, outgoing }] = await Promise.all([
    getTranslations('consent.requests'),
    getFormatter(),
    linkRequestsPage(db, user, now),
  ]);
  const when = (d: Date) => format.dateTime(d, { month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });
  const Status = ({ status }: { status: keyof typeof STATUS_TONE }) => (
    <span className={cn('shrink-0 rounded-full px-2.5 py-0.5 text-sm font-medium', STATUS_TONE[status])} data-testid="request-status">
      {t(`status.${status}`)}
    </span>
  );

  return (
    <div className="mx-auto max-w-lg space-y-4">
      <div>
        <h1 className="text-2xl font-semibold">{t('title')}</h1>
        <p className="mt-1 text-muted">{t('intro')}</p>
      </div>

      <Card className="p-2" aria-labelledby="incoming-title">
        <h2 id="incoming-title" className="px-3 pt-2 text-lg font-semibold">
          {t('incoming')}
        </h2>
        {incoming.length === 0 ? (
          <p className="p-3 text-muted">{t('emptyIncoming')}</p>
        ) : (
          <ul className="divide-y divide-line" data-testid="requests-incoming">
            {incoming.map((r) => {
              const args = { who: r.who, person: r.nameMasked };
              return (
                <li key={r.id} className="space-y-2 p-3" data-testid="request-incoming">
                  <div className="flex items-start justify-between gap-3">
                    <p className="min-w-0 break-words font-medium">{t(r.relation === 'self' ? 'askSelf' : 'askFamily', args)}</p>
                    <Status status={r.status} />
                  </div>
                  <p className="text-sm text-muted">
                    {t('sentAt', { time: when(r.createdAt) })}
                    {r.status === 'pending' && ` · ${t('expiresAt', { time: when(r.expiresAt) })}`}
                  </p>
                  {r.status === 'pending' && (
                    <AnswerButtons requestId={r.id} acceptBody={t(r.relation === 'self' ? 'acceptBodySelf' : 'acceptBodyFamily', args)} />
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </Card>

      <Card className="p-2" aria-labelledby="outgoing-title">
        <h2 id="outgoing-title" className="px-3 pt-2 text-lg font-semibold">
          {t('outgoing')}
        </h2>
        {outgoing.length === 0 ? (
          <p className="p-3 text-muted">{t('emptyOutgoing')}</p>
        ) : (
          <ul className="divide-y divide-line" data-testid="requests-outgoing">
            {outgoing.map((r) => (
              <li key={r.id} className="space-y-2 p-3" data-testid="request-outgoing">
                <div className="flex items-start justify-between gap-3">
                  <p className="min-w-0 break-words font-medium">
                    {t(r.relation === 'self' ? 'mineSelf' : 'mineFamily', { person: r.nameMasked, id: r.idNumberMasked })}
                  </p>
                  <Status status={r.status} />
                </div>
                <p className="text-sm text-muted">
                  {t('sentAt', { time: when(r.createdAt) })}
                  {r.status === 'pending' && ` · ${t('expiresAt', { time: when(r.expiresAt) })}`}
                </p>
                {r.status === 'pending' && <CancelButton requestId={r.id} />}
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
