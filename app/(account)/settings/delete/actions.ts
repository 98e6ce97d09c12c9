'use server';

import { z } from 'zod';
import { cancelDeletion, requestDeletion } from '@/lib/accounts/deletion';
import { action } from '@/lib/server/action';

const choice = z.union([
  z.object({ personId: z.uuid(), action: z.literal('erase') }),
  z.object({ personId: z.uuid(), action: z.literal('hand_over'), phone: z.string().max(32) }),
]);

/** Asks to delete the caller's own account (never another's: the account is the session's). */
export const requestDeletionAction = action(
  { auth: 'user', input: z.tuple([z.array(choice).max(100)]) },
  async (tx, user, [choices], now) => {
    const r = await requestDeletion(tx, user, { choices }, now);
    return r.ok ? { ok: true as const, effectiveAt: r.effectiveAt.toISOString(), handedOver: r.handedOver } : r;
  },
);

export const cancelDeletionAction = action({ auth: 'user', input: z.tuple([]) }, async (tx, user, _input, now) =>
  cancelDeletion(tx, user, now),
);
