'use server';

import { getDb } from '@/db';
import { getCurrentUser } from '@/lib/auth/require-user';
import { findDocumentForOfficial, grantOfficialRole, setColourByOfficial } from '@/lib/health-code/officials';
import { fieldKeysFromEnv } from '@/lib/identity/field-crypto';
import { findVenueForOfficial, rebindAdminByOfficial } from '@/lib/venues/admin-replacement';

const text = (form: FormData, name: string, max = 64) => String(form.get(name) ?? '').slice(0, max);

export type LookupState = {
  values: Record<string, string>;
  error?: string;
  result?: {
    registered: boolean;
    person: { name: string; idNumber: string; gender: string; birthDate: string } | null;
    status: { colour: string; reason: string | null; since: string | null };
    history: { id: number; colour: string; reason: string | null; validFrom: string; source: string; note: string | null }[];
  };
  saved?: boolean;
};

function refFrom(form: FormData) {
  return { idType: text(form, 'idType'), idNumber: text(form, 'idNumber'), nationality: text(form, 'nationality', 8) || null };
}

async function lookup(values: Record<string, string>, accountId: string): Promise<LookupState> {
  const found = await findDocumentForOfficial(await getDb(), fieldKeysFromEnv(), { accountId }, { idType: values.idType, idNumber: values.idNumber, nationality: values.nationality || null });
  if (!found.ok) return { values, error: found.reason };
  return {
    values,
    result: {
      registered: Boolean(found.person),
      person: found.person,
      status: { colour: found.status.colour, reason: found.status.reason, since: found.status.since?.toISOString() ?? null },
      history: found.history.map((h) => ({ ...h, validFrom: h.validFrom.toISOString() })),
    },
  };
}

/** One form state for the ops panel: look a document up, or set its colour and read it again. */
export async function officialDocumentAction(_prev: LookupState, form: FormData): Promise<LookupState> {
  const values = { ...refFrom(form), nationality: text(form, 'nationality', 8) };
  const user = await getCurrentUser();
  if (!user) return { values, error: 'forbidden' };
  if (form.get('intent') !== 'set') return lookup(values, user.accountId);
  const result = await setColourByOfficial(await getDb(), fieldKeysFromEnv(), user, {
    ...refFrom(form),
    colour: text(form, 'colour'),
    reason: text(form, 'reason') || null,
    note: text(form, 'note', 500) || null,
  });
  if (!result.ok) return { ...(await lookup(values, user.accountId)), error: result.reason };
  return { ...(await lookup(values, user.accountId)), saved: true };
}

export type GrantState = { phone: string; error?: string; done?: 'granted' | 'alreadyOfficial' };

export async function grantOfficialAction(_prev: GrantState, form: FormData): Promise<GrantState> {
  const phone = text(form, 'phone', 20);
  const user = await getCurrentUser();
  if (!user) return { phone, error: 'forbidden' };
  const result = await grantOfficialRole(await getDb(), user, phone);
  if (!result.ok) return { phone, error: result.reason };
  return { phone: '', done: result.alreadyOfficial ? 'alreadyOfficial' : 'granted' };
}

export type RebindState = {
  values: Record<string, string>;
  error?: string;
  venue?: { id: string; name: string; type: string; adminMaskedPhone: string };
  done?: boolean;
};

/** 更换场所管理员 by an official: find the venue by invite code, then rebind with a reason. */
export async function rebindAdminAction(_prev: RebindState, form: FormData): Promise<RebindState> {
  const values = { inviteCode: text(form, 'inviteCode', 20), phone: text(form, 'phone', 20), reason: text(form, 'reason', 500) };
  const user = await getCurrentUser();
  if (!user) return { values, error: 'forbidden' };
  const db = await getDb();
  const found = await findVenueForOfficial(db, user, values.inviteCode);
  if (!found.ok) return { values, error: found.reason };
  if (form.get('intent') !== 'rebind') return { values, venue: found.venue };
  const result = await rebindAdminByOfficial(db, user, { venueId: found.venue.id, phone: values.phone, reason: values.reason });
  if (!result.ok) return { values, venue: found.venue, error: result.reason };
  const after = await findVenueForOfficial(db, user, values.inviteCode);
  return { values: { inviteCode: values.inviteCode, phone: '', reason: '' }, venue: after.ok ? after.venue : found.venue, done: true };
}
