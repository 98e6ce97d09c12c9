'use server';

import { headers } from 'next/headers';
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { clientIp } from '@/lib/auth/client-ip';
import { formAction, formText } from '@/lib/server/action';
import { bindByInviteCode, lookupInviteCode } from '@/lib/venues/checkers';
import { inviteLimitsFromEnv } from '@/lib/venues/invite-limits';

export type JoinState = { code: string; displayName: string; error?: string; seconds?: number; done?: { status: 'pending' | 'active' } };

const secondsOf = (r: { ok: false; reason: string }) => ('retryAfterSeconds' in r ? (r.retryAfterSeconds as number) : undefined);

/** The checker's side of binding (V8, V11): rate-limited and audited in the service. */
export const joinVenueAction = formAction(
  { auth: 'user', input: z.object({ code: formText(20), displayName: formText(60) }) },
  async (tx, user, input, now) => {
    const ip = clientIp(await headers());
    return bindByInviteCode(tx, user, { inviteCode: input.code, displayName: input.displayName }, ip, inviteLimitsFromEnv(), now);
  },
  (result, input): JoinState => {
    const echo = { code: input?.code ?? '', displayName: input?.displayName ?? '' };
    if (!result.ok) return { ...echo, error: result.reason, seconds: secondsOf(result) };
    revalidatePath('/venue');
    return { ...echo, done: { status: result.status } };
  },
);

export type FindState = { code: string; error?: string; seconds?: number; found?: string };

/** Typed code → the confirmation page, after a look-up rate-limited per account and IP (so not public). */
export const findVenueAction = formAction(
  { auth: 'user', input: z.object({ code: formText(20) }) },
  async (tx, user, input, now) => lookupInviteCode(tx, user, input.code, clientIp(await headers()), inviteLimitsFromEnv(), now),
  (result, input): FindState => {
    const code = input?.code ?? '';
    if (!result.ok) return { code, error: result.reason, seconds: secondsOf(result) };
    return { code, found: code.toUpperCase().replace(/[\s-]/g, '') };
  },
);
