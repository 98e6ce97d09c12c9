'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { endAllMyGuardianships, removeMyGuardian } from '@/lib/identity/guardians';
import { action } from '@/lib/server/action';

/** 我的监护人: the account's own person (an adult) removes one guardian. */
export const removeGuardianAction = action({ auth: 'user', input: z.tuple([z.uuid()]) }, async (tx, user, [guardianAccountId], now) => {
  const result = await removeMyGuardian(tx, user, { guardianAccountId }, now);
  revalidatePath('/me/guardians');
  return result;
});

/** 我的监护人: an adult with their own account ends every guardianship at once. */
export const endAllGuardianshipsAction = action({ auth: 'user', input: z.tuple([]) }, async (tx, user, _input, now) => {
  const result = await endAllMyGuardianships(tx, user, null, now);
  revalidatePath('/me/guardians');
  return result;
});
