'use server';

import { getDb } from '@/db';
import { getCurrentUser } from '@/lib/auth/require-user';
import { signOutEverywhere } from '@/lib/auth/sign-in';

export type SignOutEverywhereResult = { ok: true; revoked: number } | { ok: false; reason: 'unauthenticated' };

export async function signOutEverywhereAction(): Promise<SignOutEverywhereResult> {
  const user = await getCurrentUser();
  if (!user) return { ok: false, reason: 'unauthenticated' };
  return { ok: true, revoked: await signOutEverywhere(await getDb(), user.accountId) };
}
