'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { changeOfficialRegion, grantOfficial, revokeOfficial } from '@/lib/officials/governance';
import { formAction, formText } from '@/lib/server/action';

// 人员管理 (SPEC T1): grant, move and revoke the official role, at or below the actor's own region.

export type GovernState = { values: Record<string, string>; error?: string; done?: 'granted' | 'changed' | 'revoked' };

const grantForm = z.object({ phone: formText(20), region: formText(12), reason: formText(400) });

export const grantOfficialAction = formAction(
  { auth: 'user', input: grantForm },
  (tx, user, input, now) => grantOfficial(tx, user, input, now),
  (result, input): GovernState => {
    if (!result.ok)
      return { values: { phone: input?.phone ?? '', region: input?.region ?? '', reason: input?.reason ?? '' }, error: result.reason };
    revalidatePath('/ops/officials');
    return { values: {}, done: 'granted' };
  },
);

const changeForm = z.object({ accountId: formText(40), region: formText(12), reason: formText(400) });

export const changeOfficialAction = formAction(
  { auth: 'user', input: changeForm },
  (tx, user, input, now) => changeOfficialRegion(tx, user, input, now),
  (result, input): GovernState => {
    if (!result.ok) return { values: { region: input?.region ?? '', reason: input?.reason ?? '' }, error: result.reason };
    revalidatePath('/ops/officials');
    return { values: {}, done: 'changed' };
  },
);

const revokeForm = z.object({ accountId: formText(40), reason: formText(400) });

export const revokeOfficialAction = formAction(
  { auth: 'user', input: revokeForm },
  (tx, user, input, now) => revokeOfficial(tx, user, input, now),
  (result, input): GovernState => {
    if (!result.ok) return { values: { reason: input?.reason ?? '' }, error: result.reason };
    revalidatePath('/ops/officials');
    return { values: {}, done: 'revoked' };
  },
);
