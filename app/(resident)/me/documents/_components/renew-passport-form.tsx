'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
import { Field, fieldAria } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { errorMessage } from '@/lib/i18n/message-of';
import { renewPassportAction, type RenewPassportState } from '../actions';

/** The new passport's number and nationality; the name is the person's, checked against the new number. */
export function RenewPassportForm({ personId, nationality }: { personId: string; nationality: string }) {
  const t = useTranslations('documents');
  const tp = useTranslations('person');
  const tr = useTranslations();
  const [state, submit, pending] = useActionState(renewPassportAction.bind(null, personId), {
    values: { idNumber: '', nationality },
  } as RenewPassportState);
  const err = (field: string) => {
    const code = state.fieldErrors?.[field];
    return code ? errorMessage(tr, 'person.errors', code) : null;
  };
  return (
    <form action={submit} noValidate className="space-y-3" data-testid="renew-passport-form">
      <Field id="renew-number" label={t('newNumber')} error={err('idNumber')}>
        <Input
          id="renew-number"
          name="idNumber"
          key={state.done ? 'done' : 'editing'}
          defaultValue={state.values.idNumber}
          autoComplete="off"
          spellCheck={false}
          maxLength={24}
          className="font-mono uppercase"
          {...fieldAria('renew-number', err('idNumber'))}
        />
      </Field>
      <Field id="renew-nationality" label={tp('nationality')} hint={tp('nationalityHint')} error={err('nationality')}>
        <Input
          id="renew-nationality"
          name="nationality"
          defaultValue={state.values.nationality || nationality}
          autoComplete="off"
          maxLength={3}
          className="font-mono uppercase"
          {...fieldAria('renew-nationality', err('nationality'), tp('nationalityHint'))}
        />
      </Field>
      <Button type="submit" disabled={pending} className="w-full">
        {pending ? tp('submitting') : t('submit')}
      </Button>
      <p role="status" className="min-h-6 font-medium" data-testid="renew-result">
        {state.done ? <span className="text-ok">{t('done')}</span> : null}
        {state.error ? <span className="text-danger">{errorMessage(tr, 'documents.errors', state.error)}</span> : null}
      </p>
    </form>
  );
}
