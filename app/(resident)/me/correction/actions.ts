'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { requestIdentityCorrection } from '@/lib/identity/corrections';
import { boundFormAction, formText } from '@/lib/server/action';

export type RequestCorrectionState = { note: string; error?: string; done?: boolean };

/** 身份信息更正 (SPEC L2): the person's own account or a guardian asks; one pending request per person. */
export const requestCorrectionAction = boundFormAction(
  'personId',
  { auth: 'user', input: z.object({ personId: formText(40), note: formText(600) }) },
  (tx, user, input, now) => requestIdentityCorrection(tx, user, input, now),
  (result, input): RequestCorrectionState => {
    if (!result.ok) return { note: input?.note ?? '', error: result.reason };
    revalidatePath('/me/correction');
    return { note: '', done: true };
  },
);
