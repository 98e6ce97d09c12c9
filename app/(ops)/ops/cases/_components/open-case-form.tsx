'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { NativeSelect } from '@/components/ui/select';
import { RED_REASONS } from '@/lib/health-code/colours';
import { errorMessage } from '@/lib/i18n/message-of';
import { DocumentFields } from '../../_components/document-fields';
import { openCaseAction, type CaseFormState } from '../actions';

type Bounds = { maxDays: number; def: number; min: number; max: number };

/** 登记病例: the person by document, the type, the index date and (optional) windows within the stated bounds. */
export function OpenCaseForm({ today, region, bounds }: { today: string; region: string; bounds: Bounds }) {
  const t = useTranslations();
  const [state, submit, pending] = useActionState(openCaseAction, { values: {} } as CaseFormState);
  const v = state.values;
  return (
    <Card>
      <h2 className="mb-1 text-lg font-semibold">{t('cases.form.title')}</h2>
      <p className="mb-3 text-sm text-muted">{t('cases.form.region', { region })}</p>
      <form action={submit} className="grid gap-3 sm:grid-cols-2" data-testid="case-open-form">
        <DocumentFields idPrefix="case" values={v} />
        <Field id="case-kind" label={t('cases.form.kind')}>
          <NativeSelect id="case-kind" name="kind" defaultValue={v.kind ?? ''}>
            <option value="">{t('cases.form.chooseKind')}</option>
            {RED_REASONS.map((k) => (
              <option key={k} value={k}>
                {t(`cases.kinds.${k}`)}
              </option>
            ))}
          </NativeSelect>
        </Field>
        <Field id="case-indexDate" label={t('cases.form.indexDate')}>
          <Input id="case-indexDate" name="indexDate" type="date" max={today} defaultValue={v.indexDate || today} />
        </Field>
        <Field id="case-windowMinutes" label={t('cases.form.windowMinutes')}>
          <Input
            id="case-windowMinutes"
            name="windowMinutes"
            type="number"
            inputMode="numeric"
            min={bounds.min}
            max={bounds.max}
            defaultValue={v.windowMinutes || String(bounds.def)}
          />
        </Field>
        <Field id="case-lookbackFrom" label={t('cases.form.lookbackFrom')}>
          <Input id="case-lookbackFrom" name="lookbackFrom" type="date" max={today} defaultValue={v.lookbackFrom} />
        </Field>
        <Field id="case-lookbackTo" label={t('cases.form.lookbackTo')}>
          <Input id="case-lookbackTo" name="lookbackTo" type="date" max={today} defaultValue={v.lookbackTo} />
        </Field>
        <p className="text-sm text-muted sm:col-span-2">{t('cases.form.bounds', bounds)}</p>
        <div className="sm:col-span-2">
          <Button type="submit" disabled={pending} className="w-full sm:w-auto">
            {t('cases.form.submit')}
          </Button>
          <p role="alert" className="mt-2 min-h-6 font-medium text-danger" data-testid="case-open-error">
            {state.error ? errorMessage(t, 'cases.errors', state.error) : null}
          </p>
        </div>
      </form>
    </Card>
  );
}
