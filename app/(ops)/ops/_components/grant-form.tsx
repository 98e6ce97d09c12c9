'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { grantOfficialAction, type GrantState } from '../actions';
import { errorMessage } from '@/lib/i18n/message-of';

export function GrantForm() {
  const t = useTranslations('ops');
  const tr = useTranslations();
  const [state, submit, pending] = useActionState(grantOfficialAction, { phone: '' } as GrantState);
  return (
    <Card>
      <h2 className="text-lg font-semibold">{t('grantTitle')}</h2>
      <p className="mb-3 text-sm text-muted">{t('grantHint')}</p>
      <form action={submit} className="flex gap-2">
        <div className="flex-1">
          <Field id="grant-phone" label={t('grantTitle')}>
            <Input id="grant-phone" name="phone" type="tel" inputMode="numeric" defaultValue={state.phone} />
          </Field>
        </div>
        <Button type="submit" disabled={pending} className="self-end">
          {t('grant')}
        </Button>
      </form>
      <p role="alert" className="mt-2 min-h-6 font-medium">
        {state.error ? (
          <span className="text-danger">{errorMessage(tr, 'ops.errors', state.error)}</span>
        ) : state.done ? (
          <span className="text-ok">{t(state.done)}</span>
        ) : null}
      </p>
    </Card>
  );
}
