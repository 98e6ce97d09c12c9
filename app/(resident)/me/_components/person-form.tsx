'use client';

import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useActionState, useEffect, useState } from 'react';
import { Send } from 'lucide-react';
import Link from 'next/link';
import { Button, buttonVariants } from '@/components/ui/button';
import { Field, fieldAria } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { NativeSelect } from '@/components/ui/select';
import { toast } from '@/components/ui/toaster';
import { hasIssueCount, ID_TYPES } from '@/lib/identity/id-documents';
import { registerPersonAction, type PersonFormState } from '../actions';
import { errorMessage } from '@/lib/i18n/message-of';

/** Registers an ID document as the account's own or as a family member's. */
export function PersonForm({ relation }: { relation: 'self' | 'family' }) {
  const t = useTranslations('person');
  const tr = useTranslations();
  const tc = useTranslations('consent');
  const router = useRouter();
  const [state, submit, pending] = useActionState(registerPersonAction.bind(null, relation), { values: {} } as PersonFormState);
  const [idType, setIdType] = useState(state.values.idType || 'cn_resident');
  const v = state.values;
  const err = (field: string) => {
    const code = state.fieldErrors?.[field];
    return code ? errorMessage(tr, 'person.errors', code) : null;
  };

  useEffect(() => {
    if (state.done) {
      toast.success(t('registered'));
      router.push(`/me?p=${state.done.personId}`);
    }
  }, [state.done, router, t]);

  const needsDetails = idType !== 'cn_resident';
  if (state.requested) {
    // A registered document: a request went to the person (or their guardians); nothing of them is shown.
    return (
      <div role="status" className="space-y-3 rounded-xl border border-brand-600/30 bg-brand-50 p-4" data-testid="link-requested">
        <p className="flex items-center gap-2 text-lg font-semibold text-brand-700">
          <Send aria-hidden size={20} />
          {tc('requested.title')}
        </p>
        <p className="text-ink">{tc('requested.body')}</p>
        <Link href="/me/requests" className={buttonVariants({ variant: 'secondary', className: 'w-full' })}>
          {tc('requested.view')}
        </Link>
      </div>
    );
  }
  return (
    <form action={submit} noValidate className="space-y-4">
      <Field id="idType" label={t('idType')} error={err('idType')}>
        {/* Uncontrolled, keyed by the submitted type: React resets a form after its action, and a controlled
            select would then show the first type while the page still asks for the submitted one's fields. */}
        <NativeSelect
          key={v.idType ?? ''}
          id="idType"
          name="idType"
          defaultValue={v.idType || 'cn_resident'}
          onChange={(e) => setIdType(e.target.value)}
          {...fieldAria('idType', err('idType'))}
        >
          {ID_TYPES.map((type) => (
            <option key={type} value={type}>
              {t(`idTypes.${type}`)}
            </option>
          ))}
        </NativeSelect>
      </Field>
      <Field id="name" label={t('name')} hint={idType === 'passport' ? t('passportNameHint') : undefined} error={err('name')}>
        <Input
          id="name"
          name="name"
          defaultValue={v.name}
          autoComplete="name"
          placeholder={t('namePlaceholder')}
          {...fieldAria('name', err('name'), idType === 'passport' ? t('passportNameHint') : undefined)}
        />
      </Field>
      {idType === 'passport' && (
        <Field id="nationality" label={t('nationality')} hint={t('nationalityHint')} error={err('nationality')}>
          <Input
            id="nationality"
            name="nationality"
            defaultValue={v.nationality}
            maxLength={3}
            className="uppercase"
            {...fieldAria('nationality', err('nationality'), t('nationalityHint'))}
          />
        </Field>
      )}
      <Field id="idNumber" label={t('idNumber')} error={err('idNumber')}>
        <Input
          id="idNumber"
          name="idNumber"
          defaultValue={v.idNumber}
          autoComplete="off"
          spellCheck={false}
          maxLength={24}
          className="font-mono uppercase"
          {...fieldAria('idNumber', err('idNumber'))}
        />
      </Field>
      {hasIssueCount(idType) && (
        <Field id="issueCount" label={t('issueCount')} hint={t('issueCountHint')} error={err('issueCount')}>
          <Input
            id="issueCount"
            name="issueCount"
            defaultValue={v.issueCount}
            inputMode="numeric"
            maxLength={2}
            {...fieldAria('issueCount', err('issueCount'), t('issueCountHint'))}
          />
        </Field>
      )}
      {needsDetails && (
        <>
          <fieldset>
            <legend className="mb-1.5 text-sm font-medium">{t('gender')}</legend>
            <div className="flex gap-3">
              {(['M', 'F'] as const).map((g) => (
                <label
                  key={g}
                  className="flex h-12 flex-1 items-center justify-center gap-2 rounded-xl border border-line bg-white text-lg has-[:checked]:border-brand-600 has-[:checked]:bg-brand-50"
                >
                  <input type="radio" name="gender" value={g} defaultChecked={v.gender === g} className="h-5 w-5" />
                  {g === 'M' ? t('male') : t('female')}
                </label>
              ))}
            </div>
            {err('gender') && <p className="mt-1 text-sm font-medium text-danger">{err('gender')}</p>}
          </fieldset>
          <Field id="birthDate" label={t('birthDate')} error={err('birthDate')}>
            <Input id="birthDate" name="birthDate" type="date" defaultValue={v.birthDate} {...fieldAria('birthDate', err('birthDate'))} />
          </Field>
        </>
      )}
      <p role="alert" aria-live="assertive" className="min-h-6 font-medium text-danger">
        {state.error ? errorMessage(tr, ['consent.errors', 'person.errors'], state.error) : null}
      </p>
      <Button type="submit" size="lg" className="w-full" disabled={pending}>
        {pending ? t('submitting') : t('submit')}
      </Button>
    </form>
  );
}
