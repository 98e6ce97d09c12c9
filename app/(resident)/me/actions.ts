'use server';

import { revalidatePath } from 'next/cache';
import { getDb } from '@/db';
import { getCurrentUser } from '@/lib/auth/require-user';
import { recordCodeDisplay, reissueCodes } from '@/lib/health-code/personal-codes';
import { stopGuarding } from '@/lib/identity/family';
import { fieldKeysFromEnv } from '@/lib/identity/field-crypto';
import { registerPerson } from '@/lib/identity/register-person';
import { isUuid } from '@/lib/utils/uuid';
import { identityVerifierFromEnv } from '@/lib/identity/verifier';

export type PersonFormState = {
  values: Record<string, string>;
  fieldErrors?: Record<string, string>;
  error?: string;
  done?: { personId: string; linked: boolean };
};

const FIELDS = ['idType', 'name', 'idNumber', 'issueCount', 'nationality', 'gender', 'birthDate'] as const;

export async function registerPersonAction(relation: 'self' | 'family', _prev: PersonFormState, form: FormData): Promise<PersonFormState> {
  const values = Object.fromEntries(FIELDS.map((f) => [f, String(form.get(f) ?? '').slice(0, 100)]));
  const user = await getCurrentUser();
  if (!user) return { values, error: 'unauthenticated' };
  const result = await registerPerson(await getDb(), { keys: fieldKeysFromEnv(), verifier: identityVerifierFromEnv() }, user, {
    relation: relation === 'self' ? 'self' : 'family',
    idType: values.idType,
    name: values.name,
    idNumber: values.idNumber,
    issueCount: values.issueCount,
    nationality: values.nationality,
    gender: values.gender,
    birthDate: values.birthDate,
  });
  if (!result.ok) return 'errors' in result ? { values, fieldErrors: result.errors as Record<string, string> } : { values, error: result.reason };
  revalidatePath('/me');
  return { values: {}, done: { personId: result.personId, linked: result.linked } };
}

export async function recordDisplayAction(personId: string, kind: 'personal' | 'offline') {
  const user = await getCurrentUser();
  if (!user || !isUuid(personId)) return { ok: false };
  return recordCodeDisplay(await getDb(), user, personId, kind === 'offline' ? 'offline' : 'personal');
}

export async function stopGuardingAction(personId: string) {
  const user = await getCurrentUser();
  if (!user || !isUuid(personId)) return { ok: false };
  const result = await stopGuarding(await getDb(), user, personId);
  revalidatePath('/me');
  return result;
}

export async function reissueCodesAction(personId: string) {
  const user = await getCurrentUser();
  if (!user || !isUuid(personId)) return { ok: false };
  const result = await reissueCodes(await getDb(), user, personId);
  revalidatePath('/me');
  return { ok: result.ok };
}
