'use client';

import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useTransition } from 'react';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { Button } from '@/components/ui/button';
import { toast } from '@/components/ui/toaster';
import { errorMessage } from '@/lib/i18n/message-of';
import { stopRecoveryAction } from '../actions';

export function StopRecoveryButton({ changeId }: { changeId: string }) {
  const t = useTranslations('accountLife');
  const tr = useTranslations();
  const router = useRouter();
  const [pending, start] = useTransition();
  const stop = () =>
    start(async () => {
      const r = await stopRecoveryAction(changeId);
      if (r.ok) toast.success(t('recoveryStopped'));
      else toast.error(errorMessage(tr, 'accountLife.requestErrors', r.reason));
      router.refresh();
    });
  return (
    <ConfirmDialog
      trigger={
        <Button variant="danger" className="w-full sm:w-auto" disabled={pending}>
          {t('stopRecovery')}
        </Button>
      }
      title={t('request.confirmTitle')}
      body={t('request.confirmBody')}
      cancel={t('request.cancel')}
      action={t('request.confirm')}
      onConfirm={stop}
    />
  );
}
