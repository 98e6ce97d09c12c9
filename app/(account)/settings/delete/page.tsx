import type { Metadata } from 'next';
import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { Card } from '@/components/ui/card';
import { getDb } from '@/db';
import { deletionPreview } from '@/lib/accounts/deletion';
import { coolingOffMs } from '@/lib/accounts/cooling-off';
import { requireUser } from '@/lib/auth/require-user';
import { CancelDeletionButton, DeletionForm } from './_components/deletion-form';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('accountLife.delete'))('title') };
}

/** 注销账号 (SPEC L2): what happens, what must be done first, the persons to decide about; or the pending request. */
export default async function DeleteAccountPage() {
  const user = await requireUser('/settings/delete');
  const [t, format] = await Promise.all([getTranslations('accountLife.delete'), getFormatter()]);
  const preview = await deletionPreview(await getDb(), user);
  const days = Math.max(1, Math.round(coolingOffMs('deletion') / 86_400_000));
  const when = (d: Date) =>
    format.dateTime(d, {
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
      timeZone: 'Asia/Shanghai',
    });
  return (
    <div className="mx-auto max-w-lg space-y-4">
      <Link href="/settings" className="text-sm text-brand-700 underline-offset-2 hover:underline">
        ← {t('back')}
      </Link>
      <h1 className="text-2xl font-semibold">{t('title')}</h1>
      {preview.pending ? (
        <Card className="space-y-3" data-testid="deletion-pending">
          <h2 className="text-lg font-semibold">{t('pendingTitle')}</h2>
          <p>{t('pending', { time: when(preview.pending.effectiveAt) })}</p>
          <CancelDeletionButton />
        </Card>
      ) : (
        <>
          <Card className="space-y-2">
            <h2 className="font-semibold">{t('whatHappens')}</h2>
            <ul className="list-disc space-y-1 pl-5 text-muted">
              <li>{t('effect1')}</li>
              <li>{t('effect2')}</li>
              <li>{t('effect3')}</li>
              <li>{t('effect4')}</li>
            </ul>
            <p className="font-medium">{t('coolingOff', { days })}</p>
          </Card>
          {preview.openVenue ? (
            <Card className="space-y-3 border-danger" data-testid="deletion-open-venue">
              <p className="font-medium text-danger" role="alert">
                {t('openVenue', { venue: preview.openVenue.name })}
              </p>
              <Link href="/venue" className="text-brand-700 underline">
                {t('goVenue')}
              </Link>
            </Card>
          ) : (
            <DeletionForm persons={preview.persons.map((p) => ({ id: p.id, name: p.nameMasked, idNumber: p.idNumberMasked }))} />
          )}
        </>
      )}
    </div>
  );
}
