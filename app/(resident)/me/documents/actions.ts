'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { addRenewedPassport } from '@/lib/identity/documents';
import { fieldKeysFromEnv } from '@/lib/identity/field-crypto';
import { identityVerifierFromEnv } from '@/lib/identity/verifier';
import { boundFormAction, formText } from '@/lib/server/action';

export type RenewPassportState = {
  values: { idNumber: string; nationality: string };
  fieldErrors?: Record<string, string>;
  error?: string;
  done?: boolean;
};

/** 换发护照 (H4): the person's own account or a guardian adds the new passport number. */
export const renewPassportAction = boundFormAction(
  'personId',
  // No transaction around it: the real-name check is a network call, made before the write opens one.
  { auth: 'user', transaction: false, input: z.object({ personId: formText(40), idNumber: formText(40), nationality: formText(8) }) },
  (db, user, input, now) => addRenewedPassport(db, { keys: fieldKeysFromEnv(), verifier: identityVerifierFromEnv() }, user, input, now),
  (result, input): RenewPassportState => {
    const values = { idNumber: input?.idNumber ?? '', nationality: input?.nationality ?? '' };
    if (!result.ok) {
      if ('errors' in result) return { values, fieldErrors: result.errors as Record<string, string> };
      return { values, error: result.reason };
    }
    revalidatePath('/me/documents');
    return { values: { idNumber: '', nationality: '' }, done: true };
  },
);
