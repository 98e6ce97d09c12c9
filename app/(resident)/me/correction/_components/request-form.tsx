'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { errorMessage } from '@/lib/i18n/message-of';
import { requestCorrectionAction, type RequestCorrectionState } from '../actions';

export function RequestForm({ personId }: { personId: string }) {
  const t = useTranslations('officials.request');
  const tr = useTranslations();
  const [state, submit, pending] = useActionState(requestCorrectionAction.bind(null, personId), { note: '' } as RequestCorrectionState);
  if (state.done) {
    return (
      <p role="status" className="font-medium text-ok" data-testid="correction-sent">
        {t('done')}
      </p>
    );
  }
  return (
    <form action={submit} className="space-y-3" data-testid="correction-form">
      <Field id="correction-note" label={t('note')} hint={t('noteHint')}>
        <textarea
          id="correction-note"
          name="note"
          rows={4}
          maxLength={300}
          defaultValue={state.note}
          className="w-full rounded-xl border border-line bg-white px-4 py-3 text-lg text-ink focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-100"
        />
      </Field>
      <Button type="submit" disabled={pending} className="w-full">
        {t('submit')}
      </Button>
      <p role="alert" className="min-h-6 font-medium text-danger">
        {state.error ? errorMessage(tr, 'officials.errors', state.error) : null}
      </p>
    </form>
  );
}
