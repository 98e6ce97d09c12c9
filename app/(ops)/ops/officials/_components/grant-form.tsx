'use client';

import { useTranslations } from 'next-intl';
import { useActionState, useEffect, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { errorMessage } from '@/lib/i18n/message-of';
import { grantOfficialAction, type GovernState } from '../actions';
import { RegionBelow } from './region-below';

type Option = { code: string; name: string };

export function GrantForm({ root, rootLabel, firstLevel }: { root: string; rootLabel: string; firstLevel: Option[] }) {
  const t = useTranslations('officials.people');
  const tr = useTranslations();
  const [state, submit, pending] = useActionState(grantOfficialAction, { values: {} } as GovernState);
  // After a grant the picker starts again from the actor's own region (the form's fields are reset too).
  const [round, setRound] = useState(0);
  useEffect(() => {
    if (state.done) setRound((r) => r + 1);
  }, [state]);
  return (
    <Card>
      <h2 className="mb-3 text-lg font-semibold">{t('grantTitle')}</h2>
      <form action={submit} className="space-y-3" data-testid="grant-form">
        <Field id="grant-phone" label={t('phone')}>
          <Input id="grant-phone" name="phone" type="tel" inputMode="numeric" defaultValue={state.values.phone} autoComplete="off" />
        </Field>
        <RegionBelow key={round} name="region" root={root} rootLabel={rootLabel} firstLevel={firstLevel} />
        <Field id="grant-reason" label={t('reason')}>
          <Input id="grant-reason" name="reason" maxLength={200} defaultValue={state.values.reason} autoComplete="off" />
        </Field>
        <Button type="submit" disabled={pending} className="w-full sm:w-auto">
          {t('grant')}
        </Button>
      </form>
      <p role="alert" className="mt-2 min-h-6 font-medium">
        {state.error ? (
          <span className="text-danger">{errorMessage(tr, 'officials.errors', state.error)}</span>
        ) : state.done ? (
          <span className="text-ok">{t(`done.${state.done}`)}</span>
        ) : null}
      </p>
    </Card>
  );
}
