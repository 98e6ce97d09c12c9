'use server';

import { getDb } from '@/db';
import { getCurrentUser } from '@/lib/auth/require-user';
import { publishRecorded } from '@/lib/checkin/publish';
import { quickCheckin, type QuickOutcome } from '@/lib/checkin/quick-checkin';
import { codeKeysFromEnv } from '@/lib/health-code/token';

export type QuickState = { selected: string[]; error?: string; done?: QuickOutcome[] };

/** Confirms a quick check-in for the chosen people; records are attributed to the checker who showed the code. */
export async function quickCheckinAction(ticket: string, _prev: QuickState, form: FormData): Promise<QuickState> {
  const selected = form.getAll('personId').map(String).slice(0, 50);
  const user = await getCurrentUser();
  if (!user) return { selected, error: 'unknown' };
  const result = await quickCheckin(await getDb(), codeKeysFromEnv(), user, { ticket: String(ticket), personIds: selected });
  if (!result.ok) return { selected, error: result.reason };
  for (const r of result.results) publishRecorded(r, result.checkerAccountId);
  const failed = result.outcomes.find((o) => !o.result.ok);
  return { selected, done: result.outcomes, error: failed && !failed.result.ok ? failed.result.reason : undefined };
}
