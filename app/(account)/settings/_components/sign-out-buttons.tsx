'use client';

import { LogOut, MonitorSmartphone } from 'lucide-react';
import { signOut } from 'next-auth/react';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
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
import { signOutEverywhereAction } from '../actions';

export function SignOutButton() {
  const t = useTranslations('settings');
  return (
    <Button variant="secondary" className="w-full sm:w-auto" onClick={() => signOut({ callbackUrl: '/sign-in' })}>
      <LogOut aria-hidden size={18} />
      {t('signOut')}
    </Button>
  );
}

export function SignOutEverywhereButton() {
  const t = useTranslations('settings');
  const [busy, setBusy] = useState(false);
  async function confirm() {
    setBusy(true);
    const result = await signOutEverywhereAction();
    if (result.ok) toast.success(t('signedOutEverywhere'));
    await signOut({ callbackUrl: '/sign-in' });
  }
  return (
    <AlertDialog>
      <AlertDialogTrigger asChild>
        <Button variant="danger" className="w-full sm:w-auto" disabled={busy}>
          <MonitorSmartphone aria-hidden size={18} />
          {t('signOutEverywhere')}
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogTitle>{t('confirmTitle')}</AlertDialogTitle>
        <AlertDialogDescription>{t('confirmBody')}</AlertDialogDescription>
        <AlertDialogFooter>
          <AlertDialogCancel>{t('cancel')}</AlertDialogCancel>
          <AlertDialogAction onClick={confirm}>{t('confirm')}</AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
