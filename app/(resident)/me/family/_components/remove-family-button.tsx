'use client';

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
import { stopGuardingAction } from '../../actions';

export function RemoveFamilyButton({ personId, name }: { personId: string; name: string }) {
  const t = useTranslations();
  const router = useRouter();
  async function confirm() {
    const result = await stopGuardingAction(personId);
    if (result.ok) toast.success(t('family.removed'));
    router.refresh();
  }
  return (
    <AlertDialog>
      <AlertDialogTrigger asChild>
        <Button variant="secondary" size="sm">
          {t('family.remove')}
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogTitle>{t('family.removeConfirm', { name })}</AlertDialogTitle>
        <AlertDialogDescription>{t('family.removeBody')}</AlertDialogDescription>
        <AlertDialogFooter>
          <AlertDialogCancel>{t('healthCode.cancel')}</AlertDialogCancel>
          <AlertDialogAction onClick={confirm}>{t('family.remove')}</AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
