'use client';

import { useTranslations } from 'next-intl';
import { useActionState, useRef } from 'react';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { errorMessage } from '@/lib/i18n/message-of';
import { changeWindowAction, clearContactsAction, closeCaseAction, handOffAction, type CaseFormState } from '../actions';

const initial = { values: {} } as CaseFormState;

function Problem({ state }: { state: CaseFormState }) {
  const t = useTranslations();
  return (
    <p role="alert" className="min-h-6 text-sm font-medium text-danger">
      {state.error ? errorMessage(t, 'cases.errors', state.error) : null}
    </p>
  );
}

/** 修改追溯期和时间窗 (officials of the case's region, open cases). */
export function WindowForm({
  caseId,
  lookbackFrom,
  lookbackTo,
  windowMinutes,
  today,
  bounds,
}: {
  caseId: string;
  lookbackFrom: string;
  lookbackTo: string;
  windowMinutes: number;
  today: string;
  bounds: { min: number; max: number };
}) {
  const t = useTranslations();
  const [state, submit, pending] = useActionState(changeWindowAction, initial);
  return (
    <details className="rounded-xl border border-line p-3">
      <summary className="cursor-pointer font-medium text-brand-700">{t('cases.detail.changeWindow')}</summary>
      <form action={submit} className="mt-3 grid gap-3 sm:grid-cols-3 sm:items-end">
        <input type="hidden" name="caseId" value={caseId} />
        <Field id="w-from" label={t('cases.form.lookbackFrom')}>
          <Input id="w-from" name="lookbackFrom" type="date" max={today} defaultValue={state.values.lookbackFrom ?? lookbackFrom} />
        </Field>
        <Field id="w-to" label={t('cases.form.lookbackTo')}>
          <Input id="w-to" name="lookbackTo" type="date" max={today} defaultValue={state.values.lookbackTo ?? lookbackTo} />
        </Field>
        <Field id="w-min" label={t('cases.form.windowMinutes')}>
          <Input
            id="w-min"
            name="windowMinutes"
            type="number"
            inputMode="numeric"
            min={bounds.min}
            max={bounds.max}
            defaultValue={state.values.windowMinutes ?? String(windowMinutes)}
          />
        </Field>
        <div className="sm:col-span-3">
          <Button type="submit" disabled={pending} variant="secondary">
            {t('cases.detail.saveWindow')}
          </Button>
          {state.done === 'window' && <span className="ml-3 text-sm text-ok">{t('cases.detail.windowSaved')}</span>}
          <Problem state={state} />
        </div>
      </form>
    </details>
  );
}

/** A submit button that asks first, in the page's own dialog (not the browser's). */
function ConfirmSubmit({ label, question, pending, testId }: { label: string; question: string; pending: boolean; testId: string }) {
  const t = useTranslations('cases.confirm');
  const ref = useRef<HTMLButtonElement>(null);
  return (
    <>
      {/* The dialog renders outside the form: a hidden submit button inside it is pressed on confirm. */}
      <button ref={ref} type="submit" hidden aria-hidden tabIndex={-1} />
      <ConfirmDialog
        trigger={
          <Button type="button" variant="secondary" disabled={pending} data-testid={testId}>
            {label}
          </Button>
        }
        title={label}
        body={question}
        cancel={t('cancel')}
        action={label}
        onConfirm={() => ref.current?.click()}
      />
    </>
  );
}

/** 结案 with a confirmation. */
export function CloseCaseButton({ caseId }: { caseId: string }) {
  const t = useTranslations();
  const [state, submit, pending] = useActionState(closeCaseAction, initial);
  return (
    <form action={submit}>
      <input type="hidden" name="caseId" value={caseId} />
      <ConfirmSubmit label={t('cases.detail.close')} question={t('cases.detail.closeConfirm')} pending={pending} testId="case-close" />
      <Problem state={state} />
    </form>
  );
}

/** 移交: a visit outside the official's region, to that region's officials. */
export function HandOffButton({ caseId, checkinId }: { caseId: string; checkinId: string }) {
  const t = useTranslations();
  const [state, submit, pending] = useActionState(handOffAction, initial);
  return (
    <form action={submit}>
      <input type="hidden" name="caseId" value={caseId} />
      <input type="hidden" name="checkinId" value={checkinId} />
      <Button type="submit" size="sm" variant="secondary" disabled={pending} data-testid="case-handoff">
        {t('cases.trajectory.handOff')}
      </Button>
      {state.error && <Problem state={state} />}
    </form>
  );
}

/** 解除本病例全部密接 (isolation ended), with a confirmation. */
export function ClearContactsButton({ caseId }: { caseId: string }) {
  const t = useTranslations();
  const [state, submit, pending] = useActionState(clearContactsAction, initial);
  return (
    <form action={submit}>
      <input type="hidden" name="caseId" value={caseId} />
      <ConfirmSubmit label={t('cases.contacts.clear')} question={t('cases.contacts.clearConfirm')} pending={pending} testId="case-clear" />
      {state.done === 'cleared' && state.counts && (
        <p role="status" className="mt-2 text-sm text-ok">
          {t('cases.contacts.clearDone', state.counts)}
        </p>
      )}
      <Problem state={state} />
    </form>
  );
}
