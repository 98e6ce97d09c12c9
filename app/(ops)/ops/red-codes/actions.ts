'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { fieldKeysFromEnv } from '@/lib/identity/field-crypto';
import { followUpRedCode, revealRedCode } from '@/lib/officials/door-reds';
import { formAction, formText } from '@/lib/server/action';

const recordRef = { venueId: z.string().uuid(), checkinId: z.string().uuid() };

export type FollowUpState = { status?: string; note: string; error?: string; saved?: boolean };

/** 门口红码: mark a red record 已核实 or 已处置, with a note (SPEC T6). */
export const followUpRedCodeAction = formAction(
  { auth: 'user', input: z.object({ ...recordRef, status: formText(16), note: formText(2000) }) },
  (tx, user, input, now) => followUpRedCode(tx, user, input, now),
  (result, input): FollowUpState => {
    const echo = { status: input?.status, note: input?.note ?? '' };
    if (!result.ok) return { ...echo, error: result.reason };
    revalidatePath('/ops/red-codes');
    return { ...echo, status: result.status, saved: true };
  },
);

export type RevealState = {
  reason: string;
  error?: string;
  person?: { name: string; idType: string; idNumber: string; nationality: string | null };
};

/** Reveal who a red record names, for a stated reason: audited in the same transaction as the read (SPEC T5). */
export const revealRedCodeAction = formAction(
  { auth: 'user', input: z.object({ ...recordRef, reason: formText(1000) }) },
  (tx, user, input, now) => revealRedCode(tx, fieldKeysFromEnv(), user, input, now),
  (result, input): RevealState => {
    if (!result.ok) return { reason: input?.reason ?? '', error: result.reason };
    return { reason: '', person: result.person };
  },
);
