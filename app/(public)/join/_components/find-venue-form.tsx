'use client';

import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useActionState, useEffect } from 'react';
import { Button } from '@/components/ui/button';
import { Field, fieldAria } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { findVenueAction, type FindState } from '../actions';
import { errorMessage } from '@/lib/i18n/message-of';

export function FindVenueForm() {
  const t = useTranslations('join');
  const tr = useTranslations();
  const router = useRouter();
  const [state, submit, pending] = useActionState(findVenueAction, { code: '' } as FindState);
  useEffect(() => {
    if (state.found) router.push(`/join/${state.found}`);
  }, [state.found, router]);
  const error = state.error ? errorMessage(tr, ['join.errors', 'venueClose.join'], state.error, { seconds: state.seconds ?? 0 }) : null;
  return (
    <form action={submit} noValidate className="space-y-3">
      <Field id="code" label={t('code')} error={error}>
        <Input
          id="code"
          name="code"
          defaultValue={state.code}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={12}
          placeholder={t('codePlaceholder')}
          className="font-mono text-2xl tracking-widest uppercase"
          {...fieldAria('code', error)}
        />
      </Field>
      <Button type="submit" size="lg" className="w-full" disabled={pending}>
        {t('find')}
      </Button>
    </form>
  );
}
