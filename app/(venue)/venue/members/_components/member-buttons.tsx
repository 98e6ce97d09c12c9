'use client';

import { useTranslations } from 'next-intl';
import { ActionButton } from '@/components/action-button';
import { memberAction } from '../../actions';
import { errorMessage } from '@/lib/i18n/message-of';

/** Approve / decline / remove / allow again, each one tap (remove asks first). */
export function MemberButton({ kind, id, name }: { kind: 'approve' | 'reject' | 'remove' | 'allow'; id: string; name: string }) {
  const t = useTranslations('members');
  const tr = useTranslations();
  const label = { approve: t('approve'), reject: t('reject'), remove: t('remove'), allow: t('allowAgain') }[kind];
  return (
    <ActionButton
      run={() => memberAction(kind, id)}
      variant={kind === 'approve' ? 'primary' : kind === 'remove' ? 'danger' : 'secondary'}
      label={label}
      confirm={
        kind === 'remove'
          ? { title: t('removeConfirm', { name }), body: t('removeBody'), action: t('remove'), cancel: t('cancel') }
          : undefined
      }
      success={t('done')}
      errorText={(r) => errorMessage(tr, 'members.errors', r)}
      testId={`${kind}-${name}`}
    />
  );
}
