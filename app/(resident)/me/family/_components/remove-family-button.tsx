'use client';

import { useTranslations } from 'next-intl';
import { ActionButton } from '@/components/action-button';
import { stopGuardingAction } from '../../actions';

export function RemoveFamilyButton({ personId, name }: { personId: string; name: string }) {
  const t = useTranslations();
  return (
    <ActionButton
      run={() => stopGuardingAction(personId)}
      label={t('family.remove')}
      confirm={{
        title: t('family.removeConfirm', { name }),
        body: t('family.removeBody'),
        action: t('family.remove'),
        cancel: t('healthCode.cancel'),
      }}
      success={t('family.removed')}
      errorText={() => t('person.errors.unknown')}
    />
  );
}
