'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { recordCodeDisplay, reissueCodes } from '@/lib/health-code/personal-codes';
import { stopGuarding } from '@/lib/identity/family';
import { fieldKeysFromEnv } from '@/lib/identity/field-crypto';
import { registerPerson } from '@/lib/identity/register-person';
import { identityVerifierFromEnv } from '@/lib/identity/verifier';
import { action, boundFormAction, formText } from '@/lib/server/action';

export type PersonFormState = {
  values: Record<string, string>;
  fieldErrors?: Record<string, string>;
  error?: string;
  done?: { personId: string };
  /** A registered document: a link request was sent and waits for consent (SPEC L1). */
  requested?: boolean;
};

const personForm = z.object({
  relation: z.enum(['self', 'family']),
  idType: formText(100),
  name: formText(100),
  idNumber: formText(100),
  issueCount: formText(100),
  nationality: formText(100),
  gender: formText(100),
  birthDate: formText(100),
});

/** Registers the account's own person (`self`) or a family member, after the real-name check. */
export const registerPersonAction = boundFormAction(
  'relation',
  { auth: 'user', input: personForm },
  (tx, user, input) => registerPerson(tx, { keys: fieldKeysFromEnv(), verifier: identityVerifierFromEnv() }, user, input),
  (result, input): PersonFormState => {
    const { relation: _relation, ...values } = input ?? { relation: null };
    if (!result.ok) {
      if ('errors' in result) return { values, fieldErrors: result.errors as Record<string, string> };
      if (result.reason === 'link_requested') return { values: {}, requested: true };
      return { values, error: result.reason, fieldErrors: 'fieldErrors' in result ? result.fieldErrors : undefined };
    }
    revalidatePath('/me');
    return { values: {}, done: { personId: result.personId } };
  },
);

const personId = z.tuple([z.uuid()]);

export const recordDisplayAction = action(
  { auth: 'user', input: z.tuple([z.uuid(), z.enum(['personal', 'offline']).catch('personal')]) },
  (tx, user, [id, kind], now) => recordCodeDisplay(tx, user, id, kind, now),
);

export const stopGuardingAction = action({ auth: 'user', input: personId }, async (tx, user, [id], now) => {
  const result = await stopGuarding(tx, user, id, now);
  revalidatePath('/me');
  return result;
});

export const reissueCodesAction = action({ auth: 'user', input: personId }, async (tx, user, [id]) => {
  const result = await reissueCodes(tx, user, id);
  revalidatePath('/me');
  return result.ok ? { ok: true as const } : result;
});
