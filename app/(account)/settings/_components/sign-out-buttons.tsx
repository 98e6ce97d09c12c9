'use client';

import { LogOut, MonitorSmartphone } from 'lucide-react';
import { signOut } from 'next-auth/react';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { Button } from '@/components/ui/button';
import { toast } from '@/components/ui/toaster';
import { useGuardedSignOut } from '@/components/shell/sign-out-guard';
import { waitingOnDevice } from '@/lib/checkin/client/door-queue';
import { signOutEverywhereAction } from '../actions';

export function SignOutButton() {
  const t = useTranslations('settings');
  const guarded = useGuardedSignOut();
  return (
    <>
      <Button variant="secondary" className="w-full sm:w-auto" onClick={() => void guarded.request()}>
        <LogOut aria-hidden size={18} />
        {t('signOut')}
      </Button>
      {guarded.dialog}
    </>
  );
}

export function SignOutEverywhereButton() {
  const t = useTranslations('settings');
  const ta = useTranslations('account');
  const [busy, setBusy] = useState(false);
  const [waiting, setWaiting] = useState(0);
  async function confirm() {
    setBusy(true);
    const result = await signOutEverywhereAction();
    if (result.ok) toast.success(t('signedOutEverywhere'));
    await signOut({ callbackUrl: '/sign-in' });
  }
  return (
    <ConfirmDialog
      onOpenChange={(open) => open && void waitingOnDevice().then(setWaiting)}
      trigger={
        <Button variant="danger" className="w-full sm:w-auto" disabled={busy}>
          <MonitorSmartphone aria-hidden size={18} />
          {t('signOutEverywhere')}
        </Button>
      }
      title={t('confirmTitle')}
      body={t('confirmBody')}
      extra={waiting > 0 && <p className="mt-2 font-medium text-danger">{ta('signOutWaiting', { count: waiting })}</p>}
      cancel={t('cancel')}
      action={t('confirm')}
      onConfirm={() => void confirm()}
    />
  );
}
