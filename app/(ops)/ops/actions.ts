'use server';

import { z } from 'zod';
import type { Db } from '@/db';
import { findDocumentForOfficial, readingReason, setColourByOfficial } from '@/lib/health-code/officials';
import { fieldKeysFromEnv } from '@/lib/identity/field-crypto';
import { formAction, formText } from '@/lib/server/action';
import { findVenueForOfficial, rebindAdminByOfficial } from '@/lib/venues/admin-replacement';

export type LookupState = {
  values: Record<string, string>;
  error?: string;
  result?: {
    registered: boolean;
    person: { name: string; idNumber: string; gender: string; birthDate: string } | null;
    status: { colour: string; reason: string | null; since: string | null };
    history: { id: number; colour: string; reason: string | null; validFrom: string; source: string; note: string | null }[];
    /** A renewed passport's earlier numbers, masked (the number above is the one in use). */
    earlierDocuments: string[];
  };
  saved?: boolean;
};

const documentForm = z.object({
  intent: formText(16),
  idType: formText(64),
  idNumber: formText(64),
  nationality: formText(8),
  colour: formText(64),
  reason: formText(64),
  note: formText(500),
  /** Why the official reads (SPEC T5): free text, or a case id. */
  purpose: formText(400),
  caseId: formText(40),
});

async function lookup(db: Db, accountId: string, input: z.output<typeof documentForm>) {
  const ref = { idType: input.idType, idNumber: input.idNumber, nationality: input.nationality || null };
  const stated = { reason: input.purpose, caseId: input.caseId || null };
  const found = await findDocumentForOfficial(db, fieldKeysFromEnv(), { accountId }, ref, stated);
  if (!found.ok) return { ok: false as const, reason: found.reason };
  return {
    ok: true as const,
    result: {
      registered: Boolean(found.person),
      person: found.person,
      status: { colour: found.status.colour, reason: found.status.reason, since: found.status.since?.toISOString() ?? null },
      history: found.history.map((h) => ({ ...h, validFrom: h.validFrom.toISOString() })),
      earlierDocuments: found.documents.slice(1).map((d) => `${d.nationality ? `${d.nationality} ` : ''}${d.idNumberMasked}`),
    },
  };
}

/** One form state for the ops panel: look a document up, or set its colour and read it again. */
export const officialDocumentAction = formAction(
  { auth: 'user', input: documentForm },
  async (tx, user, input, now) => {
    if (input.intent !== 'set') return { ...(await lookup(tx, user.accountId, input)), saved: false };
    // The set form reads the document again with the look-up's reason: checked before the write, so a
    // refused read never answers a colour change that was committed (found by fuzz-officials).
    const why = await readingReason(tx, user.accountId, { reason: input.purpose, caseId: input.caseId || null });
    if (!why.ok) return { ok: false as const, reason: why.reason, saved: false };
    const ref = { idType: input.idType, idNumber: input.idNumber, nationality: input.nationality || null };
    const change = { ...ref, colour: input.colour, reason: input.reason || null, note: input.note || null };
    const set = await setColourByOfficial(tx, fieldKeysFromEnv(), user, change, now);
    const after = await lookup(tx, user.accountId, input);
    if (!set.ok) return { ...after, ok: false as const, reason: set.reason, saved: false };
    return { ...after, saved: true };
  },
  (answer, input): LookupState => {
    const values = {
      idType: input?.idType ?? '',
      idNumber: input?.idNumber ?? '',
      nationality: input?.nationality ?? '',
      purpose: input?.purpose ?? '',
      caseId: input?.caseId ?? '',
    };
    const result = 'result' in answer ? answer.result : undefined;
    if (!answer.ok) return { values, result, error: answer.reason };
    return { values, result, saved: answer.saved || undefined };
  },
);

export type RebindState = {
  values: Record<string, string>;
  error?: string;
  venue?: { id: string; name: string; type: string; adminMaskedPhone: string; closedAt: string | null };
  done?: boolean;
};

const rebindForm = z.object({
  intent: formText(16),
  inviteCode: formText(20),
  phone: formText(20),
  reason: formText(500),
});

/** 更换场所管理员 by an official: find the venue by invite code, then rebind with a reason. */
export const rebindAdminAction = formAction(
  { auth: 'user', input: rebindForm },
  async (tx, user, input, now) => {
    const found = await findVenueForOfficial(tx, user, input.inviteCode);
    if (!found.ok || input.intent !== 'rebind') return { ...found, done: false };
    const rebind = { venueId: found.venue.id, phone: input.phone, reason: input.reason };
    const result = await rebindAdminByOfficial(tx, user, rebind, now);
    if (!result.ok) return { ok: false as const, reason: result.reason, venue: found.venue, done: false };
    const after = await findVenueForOfficial(tx, user, input.inviteCode);
    return { ok: true as const, venue: after.ok ? after.venue : found.venue, done: true };
  },
  (answer, input): RebindState => {
    const values = { inviteCode: input?.inviteCode ?? '', phone: input?.phone ?? '', reason: input?.reason ?? '' };
    const venue = 'venue' in answer ? answer.venue : undefined;
    if (!answer.ok) return { values, venue, error: answer.reason };
    if (answer.done) return { values: { inviteCode: values.inviteCode, phone: '', reason: '' }, venue, done: true };
    return { values, venue };
  },
);
