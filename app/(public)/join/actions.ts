'use server';

import { headers } from 'next/headers';
import { revalidatePath } from 'next/cache';
import { getDb } from '@/db';
import { clientIp } from '@/lib/auth/client-ip';
import { getCurrentUser } from '@/lib/auth/require-user';
import { bindByInviteCode, lookupInviteCode } from '@/lib/venues/checkers';
import { inviteLimitsFromEnv } from '@/lib/venues/invite-limits';

export type JoinState = { code: string; displayName: string; error?: string; seconds?: number; done?: { status: 'pending' | 'active' } };

/** The checker's side of binding (V8, V11): rate-limited and audited in the service. */
export async function joinVenueAction(_prev: JoinState, form: FormData): Promise<JoinState> {
  const code = String(form.get('code') ?? '').slice(0, 20);
  const displayName = String(form.get('displayName') ?? '').slice(0, 60);
  const user = await getCurrentUser();
  if (!user) return { code, displayName, error: 'unknown' };
  const result = await bindByInviteCode(await getDb(), user, { inviteCode: code, displayName }, clientIp(await headers()), inviteLimitsFromEnv());
  if (!result.ok) return { code, displayName, error: result.reason, seconds: result.reason === 'rate_limited' ? result.retryAfterSeconds : undefined };
  revalidatePath('/venue');
  return { code, displayName, done: { status: result.status } };
}

export type FindState = { code: string; error?: string; seconds?: number; found?: string };

/** Typed code → the confirmation page, after a rate-limited look-up. */
export async function findVenueAction(_prev: FindState, form: FormData): Promise<FindState> {
  const code = String(form.get('code') ?? '').slice(0, 20);
  const user = await getCurrentUser();
  if (!user) return { code, error: 'unknown' };
  const result = await lookupInviteCode(await getDb(), user, code, clientIp(await headers()), inviteLimitsFromEnv());
  if (!result.ok) return { code, error: result.reason, seconds: result.reason === 'rate_limited' ? result.retryAfterSeconds : undefined };
  return { code, found: code.toUpperCase().replace(/[\s-]/g, '') };
}
