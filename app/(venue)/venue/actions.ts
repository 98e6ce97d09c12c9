'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { listRegionChildren } from '@/lib/regions/divisions';
import { action, formAction, formText } from '@/lib/server/action';
import { acceptAdminReplacement, cancelAdminReplacement, startAdminReplacement } from '@/lib/venues/admin-replacement';
import { allowCheckerAgain, approveChecker, rejectChecker, removeChecker, unbindSelf } from '@/lib/venues/checkers';
import { closeVenue, reopenVenue } from '@/lib/venues/close-venue';
import { editVenueInfo, setBindingMode } from '@/lib/venues/edit-venue';
import { registerVenue } from '@/lib/venues/register-venue';

const venueForm = z.object({
  name: formText(200),
  type: formText(200),
  townshipCode: formText(200),
  address: formText(200),
  contactPhone: formText(200),
});

export type VenueFormState = { values: Record<string, string>; fieldErrors?: Record<string, string>; error?: string; errorDate?: string };

/** Region picker: the children of a division (any visitor of the form may ask; the data is public). */
export const regionChildrenAction = action(
  // No database: the divisions are a file.
  {
    auth: 'public',
    input: z.tuple([z.preprocess((v) => (typeof v === 'string' ? v.slice(0, 12) : null), z.string().nullable())]),
    transaction: false,
  },
  async (_db, _nobody, [parentCode]) => listRegionChildren(parentCode),
);

export const registerVenueAction = formAction(
  { auth: 'user', input: venueForm },
  (tx, user, input) => registerVenue(tx, user, input),
  (result, input): VenueFormState => {
    const values = input ?? {};
    if (!result.ok) return 'errors' in result ? { values, fieldErrors: result.errors } : { values, error: result.reason };
    revalidatePath('/venue');
    redirect('/venue?notice=registered');
  },
);

export const editVenueAction = formAction(
  { auth: 'user', input: venueForm },
  (tx, user, input, now) => editVenueInfo(tx, user, input, now),
  (result, input): VenueFormState => {
    const values = input ?? {};
    if (!result.ok) {
      if ('errors' in result) return { values, fieldErrors: result.errors };
      const errorDate = result.reason === 'weekly_limit' ? result.nextAllowedAt.toISOString() : undefined;
      return { values, error: result.reason, errorDate };
    }
    revalidatePath('/venue');
    redirect('/venue?notice=saved');
  },
);

/** What a button on 我的场所 hears back: done, or why not. */
type Simple = { ok: boolean; reason?: string };
const simple = (r: Simple): Simple => {
  revalidatePath('/venue', 'layout');
  return { ok: r.ok, reason: r.reason };
};

export const setBindingModeAction = action(
  { auth: 'user', input: z.tuple([z.enum(['approval', 'immediate'])]) },
  async (tx, user, [mode], now) => simple(await setBindingMode(tx, user, mode, now)),
);

const MEMBER_CHANGES = {
  approve: approveChecker,
  reject: rejectChecker,
  remove: removeChecker,
  allow: allowCheckerAgain,
} as const;

/** Approve, reject or remove a checker (by binding id), or allow a removed one again (by removal id). */
export const memberAction = action(
  { auth: 'user', input: z.tuple([z.enum(['approve', 'reject', 'remove', 'allow']), z.uuid()]) },
  async (tx, user, [kind, id], now) => simple(await MEMBER_CHANGES[kind](tx, user, id, now)),
);

export const startReplacementAction = action({ auth: 'user', input: z.tuple([formText(20)]) }, async (tx, user, [phone], now) =>
  simple(await startAdminReplacement(tx, user, phone, now)),
);

export const cancelReplacementAction = action({ auth: 'user', input: z.tuple([]) }, async (tx, user, _input, now) =>
  simple(await cancelAdminReplacement(tx, user, now)),
);

export const acceptInvitationAction = action({ auth: 'user', input: z.tuple([z.uuid()]) }, async (tx, user, [invitationId], now) =>
  simple(await acceptAdminReplacement(tx, user, invitationId, now)),
);

export const unbindSelfAction = action({ auth: 'user', input: z.tuple([z.uuid()]) }, async (tx, user, [venueId], now) =>
  simple(await unbindSelf(tx, user, venueId, now)),
);

export type CloseVenueState = { confirmName: string; error?: string };

/** 关闭场所 (SPEC L3): the admin types the venue's name; the service checks it against the locked row. */
export const closeVenueAction = formAction(
  { auth: 'user', input: z.object({ confirmName: formText(200) }) },
  (tx, user, input, now) => closeVenue(tx, user, { confirmName: input.confirmName }, now),
  (result, input): CloseVenueState => {
    const confirmName = input?.confirmName ?? '';
    if (!result.ok) return { confirmName, error: result.reason };
    revalidatePath('/venue', 'layout');
    redirect('/venue?notice=closed');
  },
);

/** 重新开放 (SPEC L3): one of the admin's closed venues, by id, within 30 days. */
export const reopenVenueAction = action({ auth: 'user', input: z.tuple([z.uuid()]) }, async (tx, user, [venueId], now) =>
  simple(await reopenVenue(tx, user, venueId, now)),
);
