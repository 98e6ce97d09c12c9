'use client';

import { TriangleAlert } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Field, fieldAria } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { errorMessage } from '@/lib/i18n/message-of';
import { closeVenueAction, type CloseVenueState } from '../actions';

/** SPEC L3: the danger zone of 我的场所 — close the venue after typing its name. */
export function CloseVenueForm({ venueName }: { venueName: string }) {
  const t = useTranslations('venueClose');
  const tr = useTranslations();
  const [state, submit, pending] = useActionState<CloseVenueState, FormData>(closeVenueAction, { confirmName: '' });
  const error = state.error ? errorMessage(tr, 'venueClose.errors', state.error) : null;
  return (
    <Card className="border-2 border-danger-bg" data-testid="close-venue">
      <details open={Boolean(state.error)}>
        <summary className="flex cursor-pointer items-center gap-2 font-semibold text-danger">
          <TriangleAlert aria-hidden size={20} />
          {t('danger.title')}
        </summary>
        <p className="mt-3 text-sm text-muted">{t('danger.body')}</p>
        <form action={submit} noValidate className="mt-4 space-y-3">
          <Field id="confirmName" label={t('danger.confirmLabel', { name: venueName })} error={error}>
            <Input
              id="confirmName"
              name="confirmName"
              defaultValue={state.confirmName}
              autoComplete="off"
              maxLength={200}
              {...fieldAria('confirmName', error)}
            />
          </Field>
          <div aria-live="polite" className="sr-only">
            {error}
          </div>
          <Button type="submit" variant="danger" disabled={pending} data-testid="close-venue-submit">
            {pending ? t('danger.submitting') : t('danger.submit')}
          </Button>
        </form>
      </details>
    </Card>
  );
}
