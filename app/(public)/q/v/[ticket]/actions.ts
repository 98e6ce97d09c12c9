'use server';

import { z } from 'zod';
import { publishRecorded } from '@/lib/checkin/publish';
import { quickCheckin, type QuickOutcome } from '@/lib/checkin/quick-checkin';
import { codeKeysFromEnv } from '@/lib/health-code/token';
import { boundFormAction, formList } from '@/lib/server/action';

export type QuickState = { selected: string[]; error?: string; done?: QuickOutcome[] };

/** Confirms a quick check-in for the chosen people; records are attributed to the checker who showed the code. */
export const quickCheckinAction = boundFormAction(
  'ticket',
  // The records go through the door's write path, which runs its own short statements (no outer transaction).
  { auth: 'user', input: z.object({ ticket: z.string().max(400), personId: formList(50) }), transaction: false },
  async (db, user, input) => {
    const result = await quickCheckin(db, codeKeysFromEnv(), user, { ticket: input.ticket, personIds: input.personId });
    if (result.ok) for (const r of result.results) publishRecorded(r, result.checkerAccountId);
    return result;
  },
  (result, input): QuickState => {
    const selected = input?.personId ?? [];
    if (!result.ok) return { selected, error: result.reason };
    const failed = result.outcomes.find((o) => !o.result.ok);
    return { selected, done: result.outcomes, error: failed && !failed.result.ok ? failed.result.reason : undefined };
  },
);
