import type { Metadata } from 'next';
import { getFormatter, getTranslations } from 'next-intl/server';
import { Card } from '@/components/ui/card';
import { getDb } from '@/db';
import { recoveryForViewer } from '@/lib/accounts/recovery';
import { requireUser } from '@/lib/auth/require-user';
import { isUuid } from '@/lib/utils/uuid';
import { StopRecoveryButton } from './_components/stop-recovery-button';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('accountLife.request'))('title') };
}

/** A pending recovery (找回账号) as its account or a guardian of its own person sees it, with 停止更换. */
export default async function RecoveryRequestPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireUser(`/account-recovery/${encodeURIComponent(id)}`);
  const [t, format] = await Promise.all([getTranslations('accountLife.request'), getFormatter()]);
  const change = isUuid(id) ? await recoveryForViewer(await getDb(), user, id) : null;
  const when = (d: Date) =>
    format.dateTime(d, { month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Asia/Shanghai' });
  return (
    <div className="mx-auto max-w-lg space-y-4">
      <h1 className="text-2xl font-semibold">{t('title')}</h1>
      {!change ? (
        <Card>
          <p>{t('notFound')}</p>
        </Card>
      ) : (
        <Card className="space-y-3" data-testid="recovery-request" data-status={change.status}>
          <p className="inline-block rounded-full bg-amber-50 px-3 py-1 text-sm font-medium text-amber-800">
            {t(`status.${change.status}`)}
          </p>
          <p>{t(change.isSelf ? 'bodySelf' : 'bodyGuardian', { old: change.oldPhone, new: change.newPhone })}</p>
          <p className="text-sm text-muted">{t('requested', { time: when(change.requestedAt) })}</p>
          {change.status === 'pending' && (
            <>
              <p className="font-medium">{t('effective', { time: when(change.effectiveAt) })}</p>
              <p className="text-sm text-muted">{t('stopHint')}</p>
              <StopRecoveryButton changeId={change.id} />
            </>
          )}
        </Card>
      )}
    </div>
  );
}
