'use client';

import { RefreshCcw } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
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
import { reissueCodesAction } from '../actions';

export function ReissueButton({ personId }: { personId: string }) {
  const t = useTranslations('healthCode');
  const router = useRouter();
  async function confirm() {
    const result = await reissueCodesAction(personId);
    if (result.ok) {
      toast.success(t('reissued'));
      router.refresh();
    }
  }
  return (
    <div className="text-center">
      <AlertDialog>
        <AlertDialogTrigger asChild>
          <Button variant="ghost" size="sm" className="text-muted">
            <RefreshCcw aria-hidden size={16} />
            {t('reissue')}
          </Button>
        </AlertDialogTrigger>
        <AlertDialogContent>
          <AlertDialogTitle>{t('reissueConfirm')}</AlertDialogTitle>
          <AlertDialogDescription>{t('reissueBody')}</AlertDialogDescription>
          <AlertDialogFooter>
            <AlertDialogCancel>{t('cancel')}</AlertDialogCancel>
            <AlertDialogAction onClick={confirm}>{t('confirm')}</AlertDialogAction>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
      <p className="mx-auto mt-1 max-w-sm text-xs text-muted">{t('reissueHint')}</p>
    </div>
  );
}
