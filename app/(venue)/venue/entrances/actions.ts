'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { action, formText } from '@/lib/server/action';
import { addEntrance, removeEntrance, renameEntrance } from '@/lib/venues/entrances';

/** What the entrances page hears back: done, or why not (a code of `entrances.errors`). */
type Simple = { ok: boolean; reason?: string };
const simple = (r: Simple): Simple => {
  if (r.ok) revalidatePath('/venue/entrances');
  return { ok: r.ok, reason: r.reason };
};

// Names are cut to 100 characters before the service judges them (1–20 after normalising).
export const addEntranceAction = action({ auth: 'user', input: z.tuple([formText(100)]) }, async (tx, user, [name], now) =>
  simple(await addEntrance(tx, user, { name }, now)),
);

export const renameEntranceAction = action(
  { auth: 'user', input: z.tuple([z.uuid(), formText(100)]) },
  async (tx, user, [entranceId, name], now) => simple(await renameEntrance(tx, user, { entranceId, name }, now)),
);

export const removeEntranceAction = action({ auth: 'user', input: z.tuple([z.uuid()]) }, async (tx, user, [entranceId], now) =>
  simple(await removeEntrance(tx, user, { entranceId }, now)),
);
