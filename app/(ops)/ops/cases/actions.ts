'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { fieldKeysFromEnv } from '@/lib/identity/field-crypto';
import { formAction, formList, formText } from '@/lib/server/action';
import { changeCaseWindow, clearContacts, closeCase, handOffVisit, markContacts, openCase } from '@/lib/tracing/cases';

export type CaseFormState = {
  values: Record<string, string>;
  error?: string;
  done?: string;
  counts?: Record<string, number>;
};

const openForm = z.object({
  idType: formText(32),
  idNumber: formText(64),
  nationality: formText(8),
  kind: formText(32),
  indexDate: formText(10),
  lookbackFrom: formText(10),
  lookbackTo: formText(10),
  windowMinutes: formText(4),
});

/** 登记病例: on success, to the case page. */
export const openCaseAction = formAction(
  { auth: 'user', input: openForm },
  (tx, user, input, now) =>
    openCase(
      tx,
      fieldKeysFromEnv(),
      user,
      { ...input, nationality: input.nationality || null, lookbackFrom: input.lookbackFrom || null, lookbackTo: input.lookbackTo || null },
      now,
    ),
  (result, input): CaseFormState => {
    const { idNumber: _id, ...rest } = input ?? ({} as Record<string, string>);
    if (!result.ok) return { values: { ...rest, idNumber: input?.idNumber ?? '' }, error: result.reason };
    revalidatePath('/ops/cases');
    redirect(`/ops/cases/${result.caseId}`);
  },
);

const caseField = { caseId: formText(40) };

export const changeWindowAction = formAction(
  { auth: 'user', input: z.object({ ...caseField, lookbackFrom: formText(10), lookbackTo: formText(10), windowMinutes: formText(4) }) },
  (tx, user, input, now) => changeCaseWindow(tx, user, input.caseId, input, now),
  (result, input): CaseFormState => {
    const values = {
      lookbackFrom: input?.lookbackFrom ?? '',
      lookbackTo: input?.lookbackTo ?? '',
      windowMinutes: input?.windowMinutes ?? '',
    };
    if (!result.ok) return { values, error: result.reason };
    revalidatePath(`/ops/cases/${input?.caseId}`);
    return { values, done: 'window' };
  },
);

export const closeCaseAction = formAction(
  { auth: 'user', input: z.object(caseField) },
  (tx, user, input, now) => closeCase(tx, user, input.caseId, now),
  (result, input): CaseFormState => {
    if (!result.ok) return { values: {}, error: result.reason };
    revalidatePath(`/ops/cases/${input?.caseId}`);
    return { values: {}, done: 'closed' };
  },
);

export const markContactsAction = formAction(
  { auth: 'user', input: z.object({ ...caseField, personIds: formList(2000) }) },
  (tx, user, input, now) => markContacts(tx, fieldKeysFromEnv(), user, input.caseId, input.personIds, now),
  (result, input): CaseFormState => {
    if (!result.ok) return { values: {}, error: result.reason };
    revalidatePath(`/ops/cases/${input?.caseId}`);
    return { values: {}, done: 'marked', counts: { marked: result.marked, already: result.already } };
  },
);

export const clearContactsAction = formAction(
  { auth: 'user', input: z.object(caseField) },
  (tx, user, input, now) => clearContacts(tx, user, input.caseId, now),
  (result, input): CaseFormState => {
    if (!result.ok) return { values: {}, error: result.reason };
    revalidatePath(`/ops/cases/${input?.caseId}`);
    return { values: {}, done: 'cleared', counts: { cleared: result.cleared, green: result.green, keptRed: result.keptRed } };
  },
);

export const handOffAction = formAction(
  { auth: 'user', input: z.object({ ...caseField, checkinId: formText(40) }) },
  (tx, user, input, now) => handOffVisit(tx, fieldKeysFromEnv(), user, input.caseId, input.checkinId, now),
  (result, input): CaseFormState => {
    if (!result.ok) return { values: {}, error: result.reason };
    revalidatePath(`/ops/cases/${input?.caseId}`);
    return { values: {}, done: 'handed' };
  },
);
