'use client';

import { useTranslations } from 'next-intl';
import { useActionState, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Field, fieldAria } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { errorMessage } from '@/lib/i18n/message-of';
import type { AlertsFormState } from '../actions';

/** 提醒设置: the switch, quiet hours (or none) and the daily cap; refused input keeps what was typed. */
export function AlertsForm({
  action,
  initialValues,
}: {
  action: (prev: AlertsFormState, form: FormData) => Promise<AlertsFormState>;
  initialValues: Record<string, string>;
}) {
  const t = useTranslations('alerts');
  const tr = useTranslations();
  const [state, submit, pending] = useActionState(action, { values: initialValues });
  const v = state.values;
  const [on, setOn] = useState(v.sms !== 'off');
  const [quiet, setQuiet] = useState(v.quiet === 'set' ? 'set' : 'none');
  const err = (f: string) => {
    const code = state.fieldErrors?.[f];
    return code ? errorMessage(tr, 'alerts.errors', code) : null;
  };
  const formError = state.error ? errorMessage(tr, 'alerts.errors', state.error) : null;

  return (
    <form action={submit} noValidate className="space-y-5" data-testid="alerts-form">
      <label className="flex min-h-12 cursor-pointer items-center justify-between gap-4">
        <span>
          <span className="block font-semibold">{t('sms')}</span>
          <span className="block text-sm text-muted">{on ? t('smsOn') : t('smsOff')}</span>
        </span>
        <input
          type="checkbox"
          role="switch"
          name="sms"
          value="on"
          checked={on}
          onChange={(e) => setOn(e.target.checked)}
          aria-checked={on}
          className="peer sr-only"
        />
        <span
          aria-hidden
          className="relative h-8 w-14 shrink-0 rounded-full bg-line transition peer-checked:bg-brand-600 peer-focus-visible:ring-2 peer-focus-visible:ring-brand-600 after:absolute after:top-1 after:left-1 after:h-6 after:w-6 after:rounded-full after:bg-white after:shadow after:transition peer-checked:after:translate-x-6"
        />
      </label>

      <fieldset className="space-y-3">
        <legend className="font-semibold">{t('quiet')}</legend>
        <p className="text-sm text-muted">{t('quietHint')}</p>
        <div className="flex flex-wrap gap-x-6 gap-y-2">
          {(['none', 'set'] as const).map((mode) => (
            <label key={mode} className="flex min-h-11 items-center gap-2">
              <input
                type="radio"
                name="quiet"
                value={mode}
                checked={quiet === mode}
                onChange={() => setQuiet(mode)}
                className="h-5 w-5 accent-brand-600"
              />
              {mode === 'none' ? t('quietNone') : t('quietSet')}
            </label>
          ))}
        </div>
        {quiet === 'set' && (
          <div className="grid grid-cols-2 gap-3">
            <Field id="quietStart" label={t('quietStart')} error={err('quietStart')}>
              <Input
                id="quietStart"
                name="quietStart"
                type="time"
                defaultValue={v.quietStart}
                {...fieldAria('quietStart', err('quietStart'))}
              />
            </Field>
            <Field id="quietEnd" label={t('quietEnd')} error={err('quietEnd')}>
              <Input id="quietEnd" name="quietEnd" type="time" defaultValue={v.quietEnd} {...fieldAria('quietEnd', err('quietEnd'))} />
            </Field>
          </div>
        )}
      </fieldset>

      <Field id="dailyCap" label={t('dailyCap')} hint={t('dailyCapHint')} error={err('dailyCap')}>
        <Input
          id="dailyCap"
          name="dailyCap"
          inputMode="numeric"
          defaultValue={v.dailyCap}
          maxLength={3}
          className="max-w-32"
          {...fieldAria('dailyCap', err('dailyCap'), t('dailyCapHint'))}
        />
      </Field>

      <div aria-live="polite">
        {formError && <p className="rounded-xl bg-red-50 p-3 font-medium text-danger">{formError}</p>}
        {state.saved && !formError && (
          <p className="rounded-xl bg-green-50 p-3 font-medium text-green-800" data-testid="alerts-saved">
            {t('saved')}
          </p>
        )}
      </div>
      <Button type="submit" disabled={pending} className="h-12 w-full sm:w-auto">
        {t('save')}
      </Button>
    </form>
  );
}
