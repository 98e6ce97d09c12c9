'use client';

import { RefreshCcw } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { errorMessage } from '@/lib/i18n/message-of';
import { ActionButton } from '@/components/action-button';
import { reissueCodesAction } from '../actions';

export function ReissueButton({ personId }: { personId: string }) {
  const t = useTranslations('healthCode');
  const tr = useTranslations();
  return (
    <div className="text-center">
      <ActionButton
        run={() => reissueCodesAction(personId)}
        variant="secondary"
        label={
          <>
            <RefreshCcw aria-hidden size={16} />
            {t('reissue')}
          </>
        }
        confirm={{ title: t('reissueConfirm'), body: t('reissueBody'), action: t('confirm'), cancel: t('cancel') }}
        success={t('reissued')}
        errorText={(reason) => (reason === 'self_only' ? errorMessage(tr, 'consent.errors', reason) : t('reissueHint'))}
      />
      <p className="mx-auto mt-1 max-w-sm text-xs text-muted">{t('reissueHint')}</p>
    </div>
  );
}
