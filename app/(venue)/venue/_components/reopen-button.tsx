'use client';

import { useTranslations } from 'next-intl';
import { ActionButton } from '@/components/action-button';
import { errorMessage } from '@/lib/i18n/message-of';
import { reopenVenueAction } from '../actions';

export function ReopenButton({ venueId }: { venueId: string }) {
  const t = useTranslations('venueClose');
  const tr = useTranslations();
  return (
    <ActionButton
      run={() => reopenVenueAction(venueId)}
      label={t('reopen')}
      success={t('reopenedNotice')}
      errorText={(r) => errorMessage(tr, 'venueClose.errors', r)}
      testId="reopen-venue"
    />
  );
}
