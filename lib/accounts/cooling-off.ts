import 'server-only';
import { env } from '@/lib/env';

/** SPEC L2: how long the old number and the guardians have to stop a recovery (old number lost). */
export const RECOVERY_COOLING_OFF_MS = 72 * 3_600_000;
/** SPEC L2: how long a deletion waits, cancellable by the account, before it is carried out. */
export const DELETION_COOLING_OFF_MS = 7 * 24 * 3_600_000;

/** The period in force: the constant, or ACCOUNT_COOLING_OFF_SECONDS where tests shorten it. */
export function coolingOffMs(kind: 'recovery' | 'deletion'): number {
  const seconds = env().ACCOUNT_COOLING_OFF_SECONDS;
  if (seconds) return seconds * 1000;
  return kind === 'recovery' ? RECOVERY_COOLING_OFF_MS : DELETION_COOLING_OFF_MS;
}
