import 'server-only';
import { randomUUID } from 'node:crypto';
import type { Db, DbOrTx } from '@/db';
import { revokeAllSessions } from '@/db/queries/accounts';
import {
  accountIdOfPhone,
  duePhoneChanges,
  guardianAccountsOf,
  insertPhoneChange,
  isGuardianOf,
  lockLiveAccount,
  lockPhoneChange,
  pendingChangeToPhone,
  pendingRecoveryOfAccount,
  resolvePhoneChange,
  selfPersonIdOf,
  selfPersonOfDocument,
  setAccountPhone,
} from '@/db/queries/account-lifecycle';
import { appendAudit } from '@/db/queries/audit';
import { insertNotice } from '@/db/queries/notices';
import { hitRateLimit } from '@/db/queries/rate-limits';
import { maskPhone, normalizePhone } from '@/lib/auth/phone';
import { consumeCode, requestSignInCode, type CodeCheckFailure, type RequestCodeResult, type SignInConfig } from '@/lib/auth/sign-in';
import { decryptField, hashIdDocument, type FieldKeys } from '@/lib/identity/field-crypto';
import { namesMatch, validateIdDocument, validatePersonName, type IdDocumentInput } from '@/lib/identity/id-documents';
import type { IdentityVerifier } from '@/lib/identity/verifier';
import { announceRevocation } from '@/lib/live/revocations';
import { templateOf, type MessageSender, type OutgoingMessage } from '@/lib/sms/sender';
import { coolingOffMs } from './cooling-off';

// SPEC L2, old number lost (找回账号): the new number's code, plus the account's own person's document and
// name through the real-name verifier. A pending `recovery` change then waits out the cooling-off period;
// the old number (text and inbox) and the person's guardians (inbox) are told and any of them can stop it.
// The job (completeDueRecoveries) moves the number at the end.

/** Tries per new number and per document, per hour (failures and successes alike). */
export const RECOVERY_TRIES_PER_HOUR = 5;

export type RecoveryCodeResult = RequestCodeResult | { ok: false; reason: 'phone_taken' };

/** A code to the new number. A number that already has an account signs in instead. */
export async function requestRecoveryCode(
  db: Db,
  cfg: SignInConfig,
  sender: MessageSender,
  input: { phone: string; ip: string | null; now: Date },
): Promise<RecoveryCodeResult> {
  const phone = normalizePhone(input.phone);
  if (!phone) return { ok: false, reason: 'invalid_phone' };
  if ((await accountIdOfPhone(db, phone)) || (await pendingChangeToPhone(db, phone))) return { ok: false, reason: 'phone_taken' };
  return requestSignInCode(db, cfg, sender, { ...input, phone, purpose: { kind: 'recovery' } });
}

export type RecoveryInput = IdDocumentInput & { phone: string; code: string; name: string };
export type RecoveryResult =
  | { ok: true; changeId: string; effectiveAt: Date; oldPhone: string; afterCommit: (sender: MessageSender) => Promise<void> }
  | CodeCheckFailure
  | { ok: false; reason: 'invalid_document' | 'not_verified' | 'verifier_unavailable' | 'phone_taken' | 'already_pending' }
  | { ok: false; reason: 'too_many'; retryAfterSeconds: number };

/**
 * Asks to move an account to a new number. "No account's own person holds this document" and "the name
 * does not match" give the same answer (`not_verified`) after the same verifier call, so the answer does
 * not tell whether a document is registered. Owns its transactions (the tries must count even when the
 * request fails); the text to the old number is sent by `afterCommit`.
 */
export async function requestRecovery(
  db: Db,
  deps: { cfg: SignInConfig; keys: FieldKeys; verifier: IdentityVerifier },
  input: RecoveryInput,
  now: Date,
): Promise<RecoveryResult> {
  const phone = normalizePhone(input.phone);
  if (!phone) return { ok: false, reason: 'invalid_phone' };
  const docResult = validateIdDocument(input);
  const nameResult = docResult.ok ? validatePersonName(docResult.doc.idType, input.name ?? '') : null;
  if (!docResult.ok || !nameResult?.ok) return { ok: false, reason: 'invalid_document' };
  const doc = docResult.doc;
  const idHash = hashIdDocument(deps.keys, doc);

  const tries = await Promise.all([
    hitRateLimit(db, `recovery:phone:${phone}`, RECOVERY_TRIES_PER_HOUR, 3600, now),
    hitRateLimit(db, `recovery:doc:${idHash}`, RECOVERY_TRIES_PER_HOUR, 3600, now),
  ]);
  const refused = tries.find((t) => !t.allowed);
  if (refused) {
    await appendAudit(db, { actorAccountId: null, action: 'account.recovery_refused', reason: 'too_many', at: now });
    return { ok: false, reason: 'too_many', retryAfterSeconds: refused.retryAfterSeconds };
  }
  // Every path calls the verifier once (a network call, outside the transaction).
  const verdict = await deps.verifier.verify({ idType: doc.idType, idNumber: doc.idNumber, name: nameResult.name });
  if (verdict === 'unavailable') return { ok: false, reason: 'verifier_unavailable' };

  return db.transaction(async (tx): Promise<RecoveryResult> => {
    const checked = await consumeCode(tx, deps.cfg, { phone, code: input.code, now, purpose: { kind: 'recovery' } });
    if (!checked.ok) return checked;
    const self = await selfPersonOfDocument(tx, idHash);
    const matches = verdict === 'match' && self !== null && namesMatch(doc.idType, decryptField(deps.keys, self.nameEnc), nameResult.name);
    if (!self || !matches) {
      await appendAudit(tx, { actorAccountId: null, action: 'account.recovery_refused', reason: 'not_verified', at: now });
      return { ok: false, reason: 'not_verified' };
    }
    if ((await accountIdOfPhone(tx, phone)) || (await pendingChangeToPhone(tx, phone))) return { ok: false, reason: 'phone_taken' };
    const account = await lockLiveAccount(tx, self.accountId);
    if (!account) return { ok: false, reason: 'not_verified' };
    if (await pendingRecoveryOfAccount(tx, account.id)) return { ok: false, reason: 'already_pending' };
    const effectiveAt = new Date(now.getTime() + coolingOffMs('recovery'));
    const changeId = await insertPhoneChange(tx, {
      accountId: account.id,
      oldPhone: account.phone,
      newPhone: phone,
      mode: 'recovery',
      status: 'pending',
      requestedAt: now,
      effectiveAt,
    });
    const params = { newPhone: maskPhone(phone), until: effectiveAt.toISOString(), changeId };
    await insertNotice(tx, {
      kind: 'phone_change',
      to: { phone: account.phone },
      params: { ...params, role: 'self' },
      source: `phone-change:${changeId}:self`,
      at: now,
    });
    for (const guardian of await guardianAccountsOf(tx, self.personId)) {
      await insertNotice(tx, {
        kind: 'phone_change',
        to: { accountId: guardian },
        params: { ...params, role: 'guardian', person: maskPhone(account.phone) },
        source: `phone-change:${changeId}:guardian:${guardian}`,
        at: now,
      });
    }
    await appendAudit(tx, {
      actorAccountId: null,
      action: 'account.recovery_request',
      targetType: 'account',
      targetId: account.id,
      details: { changeId, effectiveAt: effectiveAt.toISOString() },
      at: now,
    });
    const message: OutgoingMessage = {
      phone: account.phone,
      kind: 'phone_change',
      template: templateOf('phone_change'),
      params: { newPhone: maskPhone(phone), until: effectiveAt.toISOString() },
      idempotencyKey: randomUUID(),
    };
    // The inbox notice is the record; a text that fails is not retried (the notice stays).
    const afterCommit = async (sender: MessageSender) => {
      await sender.send(message).catch(() => undefined);
    };
    return { ok: true, changeId, effectiveAt, oldPhone: account.phone, afterCommit };
  });
}

/** Who may stop a pending recovery: the account itself (its old number, signed in) or a guardian of its own person. */
async function maySee(db: DbOrTx, actorId: string, accountId: string): Promise<boolean> {
  if (actorId === accountId) return true;
  const self = await selfPersonIdOf(db, accountId);
  return self !== null && (await isGuardianOf(db, actorId, self));
}

/** A pending recovery as its account or a guardian sees it; null for anyone else (as for an unknown id). */
export async function recoveryForViewer(db: DbOrTx, actor: { accountId: string }, changeId: string) {
  const change = await lockPhoneChange(db, changeId);
  if (!change || change.mode !== 'recovery' || !(await maySee(db, actor.accountId, change.accountId))) return null;
  return {
    id: change.id,
    status: change.status,
    newPhone: maskPhone(change.newPhone),
    oldPhone: maskPhone(change.oldPhone),
    requestedAt: change.requestedAt,
    effectiveAt: change.effectiveAt,
    isSelf: change.accountId === actor.accountId,
  };
}

export async function stopRecovery(tx: DbOrTx, actor: { accountId: string }, changeId: string, now: Date) {
  const change = await lockPhoneChange(tx, changeId);
  if (!change || change.mode !== 'recovery' || !(await maySee(tx, actor.accountId, change.accountId))) {
    return { ok: false as const, reason: 'not_found' as const };
  }
  if (change.status !== 'pending') return { ok: false as const, reason: 'not_pending' as const };
  await resolvePhoneChange(tx, change.id, { status: 'stopped', at: now, by: actor.accountId, outcome: 'stopped' });
  await appendAudit(tx, {
    actorAccountId: actor.accountId,
    action: 'account.recovery_stop',
    targetType: 'account',
    targetId: change.accountId,
    details: { changeId },
    at: now,
  });
  return { ok: true as const };
}

/** The job: recoveries whose cooling-off period ended. The number moves unless it got an account meanwhile. */
export async function completeDueRecoveries(tx: DbOrTx, now: Date, limit = 50): Promise<number> {
  const due = await duePhoneChanges(tx, now, limit);
  for (const change of due) {
    const account = await lockLiveAccount(tx, change.accountId);
    const taken = await accountIdOfPhone(tx, change.newPhone);
    if (!account || taken) {
      const outcome = account ? 'phone_taken' : 'account_deleted';
      await resolvePhoneChange(tx, change.id, { status: 'failed', at: now, outcome });
      await appendAudit(tx, {
        actorAccountId: null,
        action: 'account.recovery_failed',
        targetType: 'account',
        targetId: change.accountId,
        reason: outcome,
        details: { changeId: change.id },
        at: now,
      });
      continue;
    }
    await setAccountPhone(tx, account.id, change.newPhone);
    await resolvePhoneChange(tx, change.id, { status: 'completed', at: now });
    const revoked = await revokeAllSessions(tx, account.id, now);
    await appendAudit(tx, {
      actorAccountId: null,
      action: 'account.phone_change',
      targetType: 'account',
      targetId: account.id,
      details: { changeId: change.id, mode: 'recovery', revoked },
      at: now,
    });
    await announceRevocation(tx, { a: account.id, why: 'signed_out' });
  }
  return due.length;
}
