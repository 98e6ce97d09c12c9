'use client';

import { useTranslations } from 'next-intl';
import { unbindSelfAction } from '../actions';
import { ActionButton } from '@/components/action-button';
import { errorMessage } from '@/lib/i18n/message-of';

export function UnbindButton({ venueId, name }: { venueId: string; name: string }) {
  const t = useTranslations('venue');
  const tr = useTranslations();
  return (
    <ActionButton
      run={() => unbindSelfAction(venueId)}
      label={t('unbind')}
      confirm={{ title: t('unbindConfirm', { name }), body: t('unbindBody'), action: t('unbind'), cancel: t('cancel') }}
      success={t('unbound')}
      errorText={(r) => errorMessage(tr, 'venue.errors', r)}
    />
  );
}
