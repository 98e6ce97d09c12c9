'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { resolveIdentityCorrection } from '@/lib/identity/corrections';
import { fieldKeysFromEnv } from '@/lib/identity/field-crypto';
import { formAction, formText } from '@/lib/server/action';

export type CorrectionState = { values: Record<string, string>; error?: string; done?: 'applied' | 'refused' };

const correctionForm = z.object({
  requestId: formText(40),
  decision: z.enum(['apply', 'refuse']),
  name: formText(100),
  birthDate: formText(20),
  gender: formText(2),
  reason: formText(400),
});

/** 身份更正 (SPEC L2): an official of the person's region applies or refuses a pending request, with a reason. */
export const resolveCorrectionAction = formAction(
  { auth: 'user', input: correctionForm },
  (tx, user, input, now) => resolveIdentityCorrection(tx, fieldKeysFromEnv(), user, input, now),
  (result, input): CorrectionState => {
    const values = { name: input?.name ?? '', birthDate: input?.birthDate ?? '', gender: input?.gender ?? '', reason: input?.reason ?? '' };
    if (!result.ok) return { values, error: result.reason };
    revalidatePath('/ops/corrections');
    return { values: {}, done: result.status };
  },
);
