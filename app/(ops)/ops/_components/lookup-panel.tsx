'use client';

import { useFormatter, useTranslations } from 'next-intl';
import { useActionState, useState } from 'react';
import { isRedReason } from '@/lib/health-code/colours';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { NativeSelect } from '@/components/ui/select';
import { RED_REASONS } from '@/lib/health-code/colours';
import { cn } from '@/lib/utils/cn';
import { officialDocumentAction, type LookupState } from '../actions';
import { DocumentFields } from './document-fields';
import { errorMessage, messageOf } from '@/lib/i18n/message-of';

export function LookupPanel() {
  const t = useTranslations();
  const format = useFormatter();
  const [state, submit, pending] = useActionState(officialDocumentAction, { values: {} } as LookupState);
  const [colour, setColour] = useState('red');
  const errorText = (code?: string) => (code ? errorMessage(t, ['officials.errors', 'ops.errors'], code) : null);
  const r = state.result;

  return (
    <div className="space-y-4">
      <Card>
        <h2 className="mb-3 text-lg font-semibold">{t('ops.lookupTitle')}</h2>
        <form action={submit} className="grid gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-end">
          <DocumentFields idPrefix="ops" values={state.values} />
          <Field id="ops-purpose" label={t('officials.lookup.purpose')} hint={t('officials.lookup.purposeHint')}>
            <Input id="ops-purpose" name="purpose" defaultValue={state.values.purpose} maxLength={200} autoComplete="off" />
          </Field>
          <Field id="ops-caseId" label={t('officials.lookup.caseId')}>
            <Input id="ops-caseId" name="caseId" defaultValue={state.values.caseId} autoComplete="off" className="font-mono" />
          </Field>
          <input type="hidden" name="intent" value="lookup" />
          <Button type="submit" disabled={pending}>
            {t('ops.lookup')}
          </Button>
        </form>
        <p role="alert" className="mt-2 min-h-6 font-medium text-danger">
          {errorText(state.error)}
        </p>
      </Card>

      {r && (
        <Card className="space-y-4" data-testid="ops-result">
          {r.person ? (
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
              <dt className="text-muted">{t('ops.name')}</dt>
              <dd className="font-medium">{r.person.name}</dd>
              <dt className="text-muted">{t('ops.idNumber')}</dt>
              <dd className="font-mono">{r.person.idNumber}</dd>
              <dt className="text-muted">{t('ops.gender')}</dt>
              <dd>{r.person.gender === 'M' ? t('person.male') : t('person.female')}</dd>
              <dt className="text-muted">{t('ops.birthDate')}</dt>
              <dd>{r.person.birthDate}</dd>
              {r.earlierDocuments.length > 0 && (
                <>
                  <dt className="text-muted">{t('documents.earlier')}</dt>
                  <dd className="font-mono" data-testid="ops-earlier-documents">
                    {r.earlierDocuments.join('、')}
                  </dd>
                </>
              )}
            </dl>
          ) : (
            <p className="rounded-xl bg-amber-50 p-3 text-amber-900">{t('ops.notRegistered')}</p>
          )}
          <div>
            <h3 className="font-semibold">{t('ops.current')}</h3>
            <p className={cn('text-lg font-semibold', r.status.colour === 'red' ? 'text-danger' : 'text-ok')} data-testid="ops-current">
              {t(r.status.colour === 'red' ? 'healthCode.red' : 'healthCode.green')}
              {isRedReason(r.status.reason) ? ` · ${t(`healthCode.reasons.${r.status.reason}`)}` : ''}
            </p>
          </div>
          <form action={submit} className="space-y-3 border-t border-line pt-4">
            <input type="hidden" name="intent" value="set" />
            <h3 className="font-semibold">{t('ops.setTitle')}</h3>
            <input type="hidden" name="idType" value={state.values.idType} />
            <input type="hidden" name="idNumber" value={state.values.idNumber} />
            <input type="hidden" name="nationality" value={state.values.nationality ?? ''} />
            <input type="hidden" name="purpose" value={state.values.purpose ?? ''} />
            <input type="hidden" name="caseId" value={state.values.caseId ?? ''} />
            <fieldset className="flex gap-3">
              <legend className="sr-only">{t('ops.colour')}</legend>
              {(['red', 'green'] as const).map((c) => (
                <label
                  key={c}
                  className="flex h-12 flex-1 items-center justify-center gap-2 rounded-xl border border-line text-lg has-[:checked]:border-brand-600 has-[:checked]:bg-brand-50"
                >
                  <input type="radio" name="colour" value={c} checked={colour === c} onChange={() => setColour(c)} className="h-5 w-5" />
                  {t(`healthCode.${c}`)}
                </label>
              ))}
            </fieldset>
            {colour === 'red' && (
              <Field id="ops-reason" label={t('ops.reason')}>
                <NativeSelect id="ops-reason" name="reason" defaultValue="">
                  <option value="">{t('ops.chooseReason')}</option>
                  {RED_REASONS.map((reason) => (
                    <option key={reason} value={reason}>
                      {t(`healthCode.reasons.${reason}`)}
                    </option>
                  ))}
                </NativeSelect>
              </Field>
            )}
            <Field id="ops-note" label={t('ops.note')}>
              <Input id="ops-note" name="note" maxLength={500} />
            </Field>
            <Button type="submit" disabled={pending} className="w-full sm:w-auto">
              {t('ops.save')}
            </Button>
            <p role="status" className="min-h-6 font-medium text-ok">
              {state.saved ? t('ops.saved') : null}
            </p>
          </form>
          <div className="border-t border-line pt-4">
            <h3 className="mb-2 font-semibold">{t('ops.history')}</h3>
            {r.history.length === 0 ? (
              <p className="text-muted">{t('ops.noHistory')}</p>
            ) : (
              <ul className="space-y-1 text-sm">
                {r.history.map((h) => (
                  <li key={h.id} className="flex flex-wrap gap-x-3">
                    <time className="tabular-nums text-muted">
                      {format.dateTime(new Date(h.validFrom), { dateStyle: 'medium', timeStyle: 'short' })}
                    </time>
                    <span className={h.colour === 'red' ? 'font-semibold text-danger' : 'font-semibold text-ok'}>
                      {t(h.colour === 'red' ? 'healthCode.red' : 'healthCode.green')}
                      {isRedReason(h.reason) ? ` · ${t(`healthCode.reasons.${h.reason}`)}` : ''}
                    </span>
                    <span className="text-muted">{messageOf(t, 'ops.source', h.source, 'official')}</span>
                    {h.note && <span>{h.note}</span>}
                  </li>
                ))}
              </ul>
            )}
          </div>
        </Card>
      )}
    </div>
  );
}
