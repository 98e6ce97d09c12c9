'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { answerLinkRequest, cancelLinkRequest } from '@/lib/identity/link-requests';
import { action } from '@/lib/server/action';

/** 关联申请: the person's own account (or, when they have none, a guardian) accepts or refuses. */
export const answerLinkRequestAction = action(
  { auth: 'user', input: z.tuple([z.uuid(), z.enum(['accept', 'refuse'])]) },
  async (tx, user, [requestId, answer], now) => {
    const result = await answerLinkRequest(tx, user, { requestId, answer }, now);
    revalidatePath('/me/requests');
    return result;
  },
);

/** The requester withdraws a pending request. */
export const cancelLinkRequestAction = action({ auth: 'user', input: z.tuple([z.uuid()]) }, async (tx, user, [requestId], now) => {
  const result = await cancelLinkRequest(tx, user, { requestId }, now);
  revalidatePath('/me/requests');
  return result;
});
