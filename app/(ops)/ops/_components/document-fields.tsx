'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { NativeSelect } from '@/components/ui/select';
import { ID_TYPES } from '@/lib/identity/id-documents';

type DocumentValues = { idType?: string; idNumber?: string; nationality?: string };

/**
 * A person's document in an official's form: type, number, and the nationality for a passport only.
 * Fields are named idType/idNumber/nationality and given the ids `${idPrefix}-idType` etc.; they render
 * as siblings, so each is a cell of the form's own grid.
 */
export function DocumentFields({
  idPrefix,
  values = {},
  labels = {},
  idNumberError,
}: {
  idPrefix: string;
  /** The submitted values echoed back (or the filter's query). */
  values?: DocumentValues;
  /** Labels that differ from the resident's own wording (the audit filter's 人员证件号码). */
  labels?: { idType?: string; idNumber?: string; nationality?: string };
  idNumberError?: string | null;
}) {
  const t = useTranslations('person');
  const [idType, setIdType] = useState(values.idType || 'cn_resident');
  const id = (name: string) => `${idPrefix}-${name}`;
  return (
    <>
      <Field id={id('idType')} label={labels.idType ?? t('idType')}>
        {/* Uncontrolled, keyed by the submitted type: React resets a form after its action, and a controlled
            select would then show the first type while the fields below belong to the submitted one. */}
        <NativeSelect
          key={values.idType ?? ''}
          id={id('idType')}
          name="idType"
          defaultValue={values.idType || 'cn_resident'}
          onChange={(e) => setIdType(e.target.value)}
        >
          {ID_TYPES.map((type) => (
            <option key={type} value={type}>
              {t(`idTypes.${type}`)}
            </option>
          ))}
        </NativeSelect>
      </Field>
      <Field id={id('idNumber')} label={labels.idNumber ?? t('idNumber')} error={idNumberError}>
        <Input id={id('idNumber')} name="idNumber" defaultValue={values.idNumber} autoComplete="off" className="font-mono uppercase" />
      </Field>
      {idType === 'passport' && (
        <Field id={id('nationality')} label={labels.nationality ?? t('nationality')}>
          <Input
            id={id('nationality')}
            name="nationality"
            defaultValue={values.nationality}
            maxLength={3}
            autoComplete="off"
            className="uppercase"
          />
        </Field>
      )}
    </>
  );
}
