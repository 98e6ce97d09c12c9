import 'server-only';
import type { Db, DbOrTx } from '@/db';
import { revokeAllSessions } from '@/db/queries/accounts';
import {
  accountIdOfPhone,
  insertPhoneChange,
  lockLiveAccount,
  pendingChangeToPhone,
  setAccountPhone,
} from '@/db/queries/account-lifecycle';
import { appendAudit } from '@/db/queries/audit';
import { normalizePhone } from '@/lib/auth/phone';
import { consumeCode, requestSignInCode, type CodeCheckFailure, type RequestCodeResult, type SignInConfig } from '@/lib/auth/sign-in';
import { announceRevocation } from '@/lib/live/revocations';
import type { MessageSender } from '@/lib/sms/sender';

// SPEC L2, signed in: a code to the new number (the sign-in code machinery and its limits, purpose
// `phone_change` bound to the asking account), then at once: the number moves, the change is recorded,
// and every session of the account ends (the user signs in again with the new number).

export type PhoneChangeCodeResult = RequestCodeResult | { ok: false; reason: 'same_phone' | 'phone_taken' };

/** Whether `phone` can receive this account: not its own number, no account, no recovery waiting for it. */
async function newPhoneProblem(db: DbOrTx, accountId: string, phone: string): Promise<'same_phone' | 'phone_taken' | null> {
  const owner = await accountIdOfPhone(db, phone);
  if (owner === accountId) return 'same_phone';
  if (owner || (await pendingChangeToPhone(db, phone))) return 'phone_taken';
  return null;
}

export async function requestPhoneChangeCode(
  db: Db,
  cfg: SignInConfig,
  sender: MessageSender,
  actor: { accountId: string },
  input: { phone: string; ip: string | null; now: Date },
): Promise<PhoneChangeCodeResult> {
  const phone = normalizePhone(input.phone);
  if (!phone) return { ok: false, reason: 'invalid_phone' };
  const problem = await newPhoneProblem(db, actor.accountId, phone);
  if (problem) return { ok: false, reason: problem };
  return requestSignInCode(db, cfg, sender, { ...input, phone, purpose: { kind: 'phone_change', accountId: actor.accountId } });
}

export type PhoneChangeResult =
  { ok: true; phone: string; revoked: number } | CodeCheckFailure | { ok: false; reason: 'same_phone' | 'phone_taken' | 'gone' };

/** Checks the new number's code and moves the account to it, in the caller's transaction. */
export async function changePhoneSignedIn(
  tx: DbOrTx,
  cfg: SignInConfig,
  actor: { accountId: string },
  input: { phone: string; code: string },
  now: Date,
): Promise<PhoneChangeResult> {
  const account = await lockLiveAccount(tx, actor.accountId);
  if (!account) return { ok: false, reason: 'gone' };
  const checked = await consumeCode(tx, cfg, {
    phone: input.phone,
    code: input.code,
    now,
    purpose: { kind: 'phone_change', accountId: actor.accountId },
  });
  if (!checked.ok) return checked;
  // Checked again under the phone's lock: an account may have been made with this number since the code.
  const problem = await newPhoneProblem(tx, actor.accountId, checked.phone);
  if (problem) return { ok: false, reason: problem };
  await setAccountPhone(tx, actor.accountId, checked.phone);
  const changeId = await insertPhoneChange(tx, {
    accountId: actor.accountId,
    oldPhone: account.phone,
    newPhone: checked.phone,
    mode: 'signed_in',
    status: 'completed',
    requestedAt: now,
    effectiveAt: now,
    resolvedAt: now,
  });
  const revoked = await revokeAllSessions(tx, actor.accountId, now);
  await appendAudit(tx, {
    actorAccountId: actor.accountId,
    action: 'account.phone_change',
    targetType: 'account',
    targetId: actor.accountId,
    details: { changeId, mode: 'signed_in', revoked },
    at: now,
  });
  await announceRevocation(tx, { a: actor.accountId, why: 'signed_out' });
  return { ok: true, phone: checked.phone, revoked };
}
