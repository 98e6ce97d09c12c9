'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { NativeSelect } from '@/components/ui/select';
import { errorMessage } from '@/lib/i18n/message-of';
import { resolveCorrectionAction, type CorrectionState } from '../actions';

export type CorrectionRequest = {
  id: string;
  idTypeLabel: string;
  nameMasked: string;
  idNumberMasked: string;
  gender: string;
  birthDate: string;
  note: string;
  requestedAt: string;
};

/** One pending request: what the resident asks, what is registered (masked), and the official's answer. */
export function CorrectionItem({ request }: { request: CorrectionRequest }) {
  const t = useTranslations('officials.corrections');
  const tr = useTranslations();
  const [state, submit, pending] = useActionState(resolveCorrectionAction, { values: {} } as CorrectionState);
  if (state.done) {
    return (
      <li className="py-3 font-medium text-ok" role="status">
        {t(`done.${state.done}`)}
      </li>
    );
  }
  const id = (f: string) => `c-${request.id}-${f}`;
  return (
    <li className="space-y-3 py-4" data-testid="correction-item">
      <div className="flex flex-wrap items-baseline justify-between gap-x-3">
        <span className="font-medium">
          {request.nameMasked} · {request.idTypeLabel}
        </span>
        <span className="text-sm text-muted">{t('requestedAt', { time: request.requestedAt })}</span>
      </div>
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
        <dt className="text-muted">{t('current')}</dt>
        <dd>
          <span className="font-mono">{request.idNumberMasked}</span> · {request.gender === 'M' ? t('male') : t('female')} ·{' '}
          {request.birthDate}
        </dd>
        <dt className="text-muted">{t('note')}</dt>
        <dd className="whitespace-pre-wrap break-words">{request.note}</dd>
      </dl>
      <form action={submit} className="grid gap-3 sm:grid-cols-2">
        <input type="hidden" name="requestId" value={request.id} />
        <Field id={id('name')} label={t('name')}>
          <Input id={id('name')} name="name" defaultValue={state.values.name} autoComplete="off" />
        </Field>
        <Field id={id('birthDate')} label={t('birthDate')}>
          <Input id={id('birthDate')} name="birthDate" type="date" defaultValue={state.values.birthDate} />
        </Field>
        <Field id={id('gender')} label={t('gender')}>
          <NativeSelect id={id('gender')} name="gender" defaultValue={state.values.gender ?? ''}>
            <option value="">{t('keep')}</option>
            <option value="M">{t('male')}</option>
            <option value="F">{t('female')}</option>
          </NativeSelect>
        </Field>
        <Field id={id('reason')} label={t('reason')}>
          <Input id={id('reason')} name="reason" maxLength={200} defaultValue={state.values.reason} autoComplete="off" />
        </Field>
        <div className="flex gap-2 sm:col-span-2">
          <Button type="submit" name="decision" value="apply" disabled={pending}>
            {t('apply')}
          </Button>
          <Button type="submit" name="decision" value="refuse" variant="secondary" disabled={pending}>
            {t('refuse')}
          </Button>
        </div>
      </form>
      <p role="alert" className="min-h-6 font-medium text-danger">
        {state.error ? errorMessage(tr, 'officials.errors', state.error) : null}
      </p>
    </li>
  );
}
