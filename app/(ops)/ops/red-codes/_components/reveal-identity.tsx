'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
import { Field, fieldAria } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { errorMessage } from '@/lib/i18n/message-of';
import { revealRedCodeAction, type RevealState } from '../actions';

/** 查看完整身份: a stated reason, then the identity inline (the read and its audit row in one transaction). */
export function RevealIdentity({ venueId, checkinId }: { venueId: string; checkinId: string }) {
  const t = useTranslations('doorRed');
  const tr = useTranslations();
  const [state, submit, pending] = useActionState(revealRedCodeAction, { reason: '' } as RevealState);
  const id = `reveal-${checkinId}`;
  const error = state.error ? errorMessage(tr, 'doorRed.errors', state.error) : null;
  if (state.person) {
    return (
      <div className="rounded-xl border border-danger/40 bg-red-50 p-3" data-testid="revealed-identity">
        <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
          <dt className="text-muted">{t('revealedName')}</dt>
          <dd className="font-semibold">{state.person.name}</dd>
          <dt className="text-muted">{t('revealedIdType')}</dt>
          <dd>{tr(`person.idTypes.${state.person.idType as 'cn_resident'}`)}</dd>
          <dt className="text-muted">{t('revealedIdNumber')}</dt>
          <dd className="font-mono break-all">{state.person.idNumber}</dd>
        </dl>
        <p className="mt-2 text-sm text-muted">{t('revealedNote')}</p>
      </div>
    );
  }
  return (
    <details className="rounded-xl border border-line p-3" open={Boolean(state.error)}>
      <summary className="cursor-pointer font-medium text-brand-600">{t('reveal')}</summary>
      <form action={submit} className="mt-3 space-y-2">
        <input type="hidden" name="venueId" value={venueId} />
        <input type="hidden" name="checkinId" value={checkinId} />
        <Field id={id} label={t('revealReason')} hint={t('revealReasonHint')} error={error}>
          <Input id={id} name="reason" defaultValue={state.reason} maxLength={400} {...fieldAria(id, error, t('revealReasonHint'))} />
        </Field>
        <Button type="submit" variant="danger" disabled={pending}>
          {t('revealSubmit')}
        </Button>
      </form>
    </details>
  );
}
