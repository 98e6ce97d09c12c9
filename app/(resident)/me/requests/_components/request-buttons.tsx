'use client';

import { useTranslations } from 'next-intl';
import { ActionButton } from '@/components/action-button';
import { errorMessage } from '@/lib/i18n/message-of';
import { answerLinkRequestAction, cancelLinkRequestAction } from '../actions';

/** 同意 / 拒绝 a link request, each after a confirmation. */
export function AnswerButtons({ requestId, acceptBody }: { requestId: string; acceptBody: string }) {
  const t = useTranslations('consent.requests');
  const tr = useTranslations();
  const errorText = (reason?: string) => errorMessage(tr, 'consent.errors', reason);
  return (
    <div className="flex gap-2">
      <ActionButton
        run={() => answerLinkRequestAction(requestId, 'accept')}
        variant="primary"
        label={t('accept')}
        confirm={{ title: t('acceptConfirm'), body: acceptBody, action: t('accept'), cancel: t('back') }}
        success={t('accepted')}
        errorText={errorText}
        testId="request-accept"
      />
      <ActionButton
        run={() => answerLinkRequestAction(requestId, 'refuse')}
        variant="secondary"
        label={t('refuse')}
        confirm={{ title: t('refuseConfirm'), body: t('refuseBody'), action: t('refuse'), cancel: t('back') }}
        success={t('refused')}
        errorText={errorText}
        testId="request-refuse"
      />
    </div>
  );
}

/** 撤回申请: the requester withdraws a pending request. */
export function CancelButton({ requestId }: { requestId: string }) {
  const t = useTranslations('consent.requests');
  const tr = useTranslations();
  return (
    <ActionButton
      run={() => cancelLinkRequestAction(requestId)}
      label={t('cancel')}
      confirm={{ title: t('cancelConfirm'), body: t('cancelBody'), action: t('cancel'), cancel: t('back') }}
      success={t('cancelled')}
      errorText={(reason) => errorMessage(tr, 'consent.errors', reason)}
      testId="request-cancel"
    />
  );
}
