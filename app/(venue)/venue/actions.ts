'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { getDb } from '@/db';
import { getCurrentUser } from '@/lib/auth/require-user';
import { listRegionChildren } from '@/lib/regions/divisions';
import { isUuid } from '@/lib/utils/uuid';
import { acceptAdminReplacement, cancelAdminReplacement, startAdminReplacement } from '@/lib/venues/admin-replacement';
import { allowCheckerAgain, approveChecker, rejectChecker, removeChecker, unbindSelf } from '@/lib/venues/checkers';
import { editVenueInfo, setBindingMode } from '@/lib/venues/edit-venue';
import { registerVenue } from '@/lib/venues/register-venue';

const VENUE_FIELDS = ['name', 'type', 'townshipCode', 'address', 'contactPhone'] as const;
const formValues = (form: FormData) => Object.fromEntries(VENUE_FIELDS.map((f) => [f, String(form.get(f) ?? '').slice(0, 200)]));

export type VenueFormState = { values: Record<string, string>; fieldErrors?: Record<string, string>; error?: string; errorDate?: string };

/** Region picker: the children of a division (any visitor of the form may ask; the data is public). */
export async function regionChildrenAction(parentCode: string | null) {
  return listRegionChildren(typeof parentCode === 'string' ? parentCode.slice(0, 12) : null);
}

export async function registerVenueAction(_prev: VenueFormState, form: FormData): Promise<VenueFormState> {
  const values = formValues(form);
  const user = await getCurrentUser();
  if (!user) return { values, error: 'unknown' };
  const result = await registerVenue(await getDb(), user, values);
  if (!result.ok) return 'errors' in result ? { values, fieldErrors: result.errors } : { values, error: result.reason };
  revalidatePath('/venue');
  redirect('/venue?notice=registered');
}

export async function editVenueAction(_prev: VenueFormState, form: FormData): Promise<VenueFormState> {
  const values = formValues(form);
  const user = await getCurrentUser();
  if (!user) return { values, error: 'not_admin' };
  const result = await editVenueInfo(await getDb(), user, values);
  if (!result.ok) {
    if ('errors' in result) return { values, fieldErrors: result.errors };
    return { values, error: result.reason, errorDate: result.reason === 'weekly_limit' ? result.nextAllowedAt.toISOString() : undefined };
  }
  revalidatePath('/venue');
  redirect('/venue?notice=saved');
}

type Simple = { ok: boolean; reason?: string };
async function asUser<T extends Simple>(fn: (user: NonNullable<Awaited<ReturnType<typeof getCurrentUser>>>) => Promise<T>): Promise<Simple> {
  const user = await getCurrentUser();
  if (!user) return { ok: false, reason: 'not_admin' };
  const result = await fn(user);
  revalidatePath('/venue', 'layout');
  return { ok: result.ok, reason: result.reason };
}

export async function setBindingModeAction(mode: string) {
  return asUser(async (user) => setBindingMode(await getDb(), user, String(mode)));
}

export async function memberAction(kind: 'approve' | 'reject' | 'remove' | 'allow', id: string) {
  if (!isUuid(id)) return { ok: false, reason: 'not_found' };
  const fn = { approve: approveChecker, reject: rejectChecker, remove: removeChecker, allow: allowCheckerAgain }[kind];
  if (!fn) return { ok: false, reason: 'not_found' };
  return asUser(async (user) => fn(await getDb(), user, id));
}

export async function startReplacementAction(phone: string) {
  return asUser(async (user) => startAdminReplacement(await getDb(), user, String(phone).slice(0, 20)));
}

export async function cancelReplacementAction() {
  return asUser(async (user) => cancelAdminReplacement(await getDb(), user));
}

export async function acceptInvitationAction(invitationId: string) {
  if (!isUuid(invitationId)) return { ok: false, reason: 'not_found' };
  return asUser(async (user) => acceptAdminReplacement(await getDb(), user, invitationId));
}

export async function unbindSelfAction(venueId: string) {
  if (!isUuid(venueId)) return { ok: false, reason: 'not_found' };
  return asUser(async (user) => unbindSelf(await getDb(), user, venueId));
}
