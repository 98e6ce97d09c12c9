'use server';

import { z } from 'zod';
import { signOutEverywhere } from '@/lib/auth/sign-in';
import { action } from '@/lib/server/action';

export const signOutEverywhereAction = action({ auth: 'user', input: z.tuple([]) }, async (tx, user) => ({
  ok: true as const,
  revoked: await signOutEverywhere(tx, user.accountId),
}));
