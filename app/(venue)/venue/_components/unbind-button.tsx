'use client';

import { useTranslations } from 'next-intl';
import { unbindSelfAction } from '../actions';
import { ActionButton } from '@/components/action-button';

export function UnbindButton({ venueId, name }: { venueId: string; name: string }) {
  const t = useTranslations('venue');
  return (
    <ActionButton
      run={() => unbindSelfAction(venueId)}
      label={t('unbind')}
      confirm={{ title: t('unbindConfirm', { name }), body: t('unbindBody'), action: t('unbind'), cancel: t('cancel') }}
      success={t('unbound')}
      errorText={(r) => (r && t.has(`errors.${r}`) ? t(`errors.${r}` as 'errors.unknown') : t('errors.unknown'))}
    />
  );
}
