'use client';

import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useTransition } from 'react';
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogTitle,
  AlertDialogTrigger,
} from '@/components/ui/alert-dialog';
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
    <AlertDialog>
      <AlertDialogTrigger asChild>
        <Button variant="danger" className="w-full sm:w-auto" disabled={pending}>
          {t('stopRecovery')}
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogTitle>{t('request.confirmTitle')}</AlertDialogTitle>
        <AlertDialogDescription>{t('request.confirmBody')}</AlertDialogDescription>
        <AlertDialogFooter>
          <AlertDialogCancel>{t('request.cancel')}</AlertDialogCancel>
          <AlertDialogAction onClick={stop}>{t('request.confirm')}</AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
