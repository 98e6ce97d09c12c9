'use server';

import { z } from 'zod';
import { stopRecovery } from '@/lib/accounts/recovery';
import { action } from '@/lib/server/action';

/** 停止更换: the account itself (its old number, signed in) or a guardian of its own person. */
export const stopRecoveryAction = action({ auth: 'user', input: z.tuple([z.uuid()]) }, async (tx, user, [changeId], now) =>
  stopRecovery(tx, user, changeId, now),
);
