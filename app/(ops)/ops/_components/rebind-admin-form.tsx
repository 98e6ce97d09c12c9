'use client';

import { useFormatter, useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { rebindAdminAction, type RebindState } from '../actions';
import { errorMessage, messageOf } from '@/lib/i18n/message-of';

/** V4: an official rebinds a venue's admin (the admin lost their phone), with a reason. */
export function RebindAdminForm() {
  const t = useTranslations();
  const format = useFormatter();
  const [state, submit, pending] = useActionState(rebindAdminAction, { values: {} } as RebindState);
  const error = state.error ? errorMessage(t, 'ops.rebind.errors', state.error) : null;
  return (
    <Card className="space-y-3">
      <h2 className="text-lg font-semibold">{t('ops.rebind.title')}</h2>
      <form action={submit} className="space-y-3">
        <Field id="rebind-code" label={t('venue.inviteCode')}>
          <Input
            id="rebind-code"
            name="inviteCode"
            defaultValue={state.values.inviteCode}
            className="font-mono uppercase"
            autoComplete="off"
          />
        </Field>
        {state.venue && (
          <div className="rounded-xl bg-brand-50 p-3" data-testid="rebind-venue">
            <p className="font-semibold">{state.venue.name}</p>
            <p className="text-sm text-muted">
              {messageOf(t, 'venue.types', state.venue.type, 'other')} ·{' '}
              {t('ops.rebind.currentAdmin', { phone: state.venue.adminMaskedPhone })}
            </p>
            {state.venue.closedAt && (
              <p className="mt-1 text-sm font-medium text-amber-800" data-testid="rebind-venue-closed">
                {t('venueClose.officialClosed', { date: format.dateTime(new Date(state.venue.closedAt), { dateStyle: 'medium' }) })}
              </p>
            )}
          </div>
        )}
        {state.venue && (
          <>
            <Field id="rebind-phone" label={t('ops.rebind.newPhone')}>
              <Input id="rebind-phone" name="phone" type="tel" defaultValue={state.values.phone} />
            </Field>
            <Field id="rebind-reason" label={t('ops.rebind.reason')}>
              <Input id="rebind-reason" name="reason" defaultValue={state.values.reason} maxLength={500} />
            </Field>
          </>
        )}
        <input type="hidden" name="intent" value={state.venue ? 'rebind' : 'find'} />
        <Button type="submit" disabled={pending}>
          {state.venue ? t('ops.rebind.submit') : t('ops.rebind.find')}
        </Button>
        <p role="alert" className="min-h-6 font-medium">
          {error ? (
            <span className="text-danger">{error}</span>
          ) : state.done ? (
            <span className="text-ok">{t('ops.rebind.done')}</span>
          ) : null}
        </p>
      </form>
    </Card>
  );
}
