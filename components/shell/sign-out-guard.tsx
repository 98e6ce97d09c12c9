'use client';

import { signOut } from 'next-auth/react';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { waitingOnDevice } from '@/lib/checkin/client/door-queue';

/**
 * Sign-out that warns first when check-in records still wait on this device: they stay and are only
 * sent when the checker who took them signs in again. Returns the action and the dialog to render.
 */
export function useGuardedSignOut() {
  const t = useTranslations('account');
  const [waiting, setWaiting] = useState(0);
  const signOutNow = () => signOut({ callbackUrl: '/sign-in' });
  async function request() {
    const n = await waitingOnDevice();
    if (n > 0) setWaiting(n);
    else await signOutNow();
  }
  const dialog = (
    <ConfirmDialog
      open={waiting > 0}
      onOpenChange={(open) => !open && setWaiting(0)}
      testId="sign-out-waiting"
      title={t('signOutWaitingTitle')}
      body={t('signOutWaiting', { count: waiting })}
      cancel={t('stay')}
      action={t('signOutAnyway')}
      onConfirm={() => void signOutNow()}
    />
  );
  return { request, dialog };
}
