'use client';

import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { Button, buttonVariants } from '@/components/ui/button';
import { Field, fieldAria } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { joinVenueAction, type JoinState } from '../../actions';
import { errorMessage } from '@/lib/i18n/message-of';

export function JoinForm({ code }: { code: string }) {
  const t = useTranslations('join');
  const tr = useTranslations();
  const [state, submit, pending] = useActionState(joinVenueAction, { code, displayName: '' } as JoinState);
  if (state.done) {
    return (
      <div className="space-y-4" data-testid="join-done">
        <p
          role="status"
          className={state.done.status === 'active' ? 'rounded-xl bg-ok-bg p-4 text-ok' : 'rounded-xl bg-amber-50 p-4 text-amber-900'}
        >
          {state.done.status === 'active' ? t('activeDone') : t('pendingDone')}
        </p>
        <div className="flex flex-col gap-2 sm:flex-row">
          {state.done.status === 'active' && (
            <Link href="/checker" className={buttonVariants({ size: 'lg' })}>
              {t('toChecker')}
            </Link>
          )}
          <Link href="/venue" className={buttonVariants({ variant: 'secondary', size: 'lg' })}>
            {t('toMyVenues')}
          </Link>
        </div>
      </div>
    );
  }
  const error = state.error ? errorMessage(tr, ['join.errors', 'venueClose.join'], state.error, { seconds: state.seconds ?? 0 }) : null;
  const nameError = state.error === 'display_name' ? error : null;
  return (
    <form action={submit} noValidate className="space-y-3">
      <input type="hidden" name="code" value={code} />
      <Field id="displayName" label={t('displayName')} hint={t('displayNameHint')} error={nameError}>
        <Input
          id="displayName"
          name="displayName"
          defaultValue={state.displayName}
          maxLength={20}
          autoComplete="nickname"
          {...fieldAria('displayName', nameError, t('displayNameHint'))}
        />
      </Field>
      <p role="alert" aria-live="assertive" className="min-h-6 font-medium text-danger">
        {nameError ? null : error}
      </p>
      <Button type="submit" size="lg" className="w-full" disabled={pending}>
        {pending ? t('submitting') : t('submit')}
      </Button>
    </form>
  );
}
