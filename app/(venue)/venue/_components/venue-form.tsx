'use client';

import { useFormatter, useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
import { Field, fieldAria } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { NativeSelect } from '@/components/ui/select';
import { VENUE_TYPES } from '@/lib/venues/venue-types';
import type { VenueFormState } from '../actions';
import { RegionPicker, type RegionLevelOptions } from './region-picker';
import { errorMessage } from '@/lib/i18n/message-of';

/** Registration and weekly edit of a venue's information (V2, V6). */
export function VenueForm({
  action,
  initialValues,
  regionLevels,
  submitLabel,
}: {
  action: (prev: VenueFormState, form: FormData) => Promise<VenueFormState>;
  initialValues: Record<string, string>;
  regionLevels: RegionLevelOptions;
  submitLabel: string;
}) {
  const t = useTranslations('venue');
  const tr = useTranslations();
  const format = useFormatter();
  const [state, submit, pending] = useActionState(action, { values: initialValues });
  const v = state.values;
  const err = (f: string) => {
    const code = state.fieldErrors?.[f];
    return code ? errorMessage(tr, 'venue.errors', code) : null;
  };
  const date = state.errorDate ? format.dateTime(new Date(state.errorDate), { dateStyle: 'full' }) : '';
  const formError = state.error ? errorMessage(tr, 'venue.errors', state.error, { date }) : null;

  return (
    <form action={submit} noValidate className="space-y-4">
      <Field id="name" label={t('name')} error={err('name')}>
        <Input
          id="name"
          name="name"
          defaultValue={v.name}
          maxLength={60}
          placeholder={t('namePlaceholder')}
          {...fieldAria('name', err('name'))}
        />
      </Field>
      <Field id="type" label={t('type')} error={err('type')}>
        <NativeSelect id="type" name="type" defaultValue={v.type ?? ''} {...fieldAria('type', err('type'))}>
          <option value="">{t('chooseType')}</option>
          {VENUE_TYPES.map((type) => (
            <option key={type} value={type}>
              {t(`types.${type}`)}
            </option>
          ))}
        </NativeSelect>
      </Field>
      <RegionPicker name="townshipCode" initial={regionLevels} error={err('townshipCode')} errorId="townshipCode-error" />
      <Field id="address" label={t('address')} error={err('address')}>
        <Input
          id="address"
          name="address"
          defaultValue={v.address}
          maxLength={120}
          placeholder={t('addressPlaceholder')}
          {...fieldAria('address', err('address'))}
        />
      </Field>
      <Field id="contactPhone" label={t('contactPhone')} hint={t('contactPhoneHint')} error={err('contactPhone')}>
        <Input
          id="contactPhone"
          name="contactPhone"
          type="tel"
          defaultValue={v.contactPhone}
          maxLength={20}
          {...fieldAria('contactPhone', err('contactPhone'), t('contactPhoneHint'))}
        />
      </Field>
      <p role="alert" aria-live="assertive" className="min-h-6 font-medium text-danger">
        {formError}
      </p>
      <Button type="submit" size="lg" className="w-full" disabled={pending}>
        {pending ? t('submitting') : submitLabel}
      </Button>
    </form>
  );
}
