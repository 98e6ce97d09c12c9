'use client';

import { useTranslations } from 'next-intl';
import { ActionButton } from '@/components/action-button';
import { errorMessage } from '@/lib/i18n/message-of';
import { endAllGuardianshipsAction, removeGuardianAction } from '../actions';

export function RemoveGuardianButton({ guardianAccountId, phone }: { guardianAccountId: string; phone: string }) {
  const t = useTranslations('consent.guardians');
  const tr = useTranslations();
  return (
    <ActionButton
      run={() => removeGuardianAction(guardianAccountId)}
      label={t('remove')}
      confirm={{ title: t('removeConfirm', { phone }), body: t('removeBody'), action: t('remove'), cancel: t('cancel') }}
      success={t('removed')}
      errorText={(reason) => errorMessage(tr, 'consent.errors', reason)}
      testId="guardian-remove"
    />
  );
}

export function EndAllButton() {
  const t = useTranslations('consent.guardians');
  const tr = useTranslations();
  return (
    <div className="text-center">
      <ActionButton
        run={() => endAllGuardianshipsAction()}
        variant="danger"
        label={t('endAll')}
        confirm={{ title: t('endAllConfirm'), body: t('endAllBody'), action: t('endAll'), cancel: t('cancel') }}
        success={t('endedAll')}
        errorText={(reason) => errorMessage(tr, 'consent.errors', reason)}
        testId="guardians-end-all"
      />
    </div>
  );
}
