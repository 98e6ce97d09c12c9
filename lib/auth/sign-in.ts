import 'server-only';
import { randomInt } from 'node:crypto';
import type { Db, DbOrTx } from '@/db';
import { appendAudit } from '@/db/queries/audit';
import { createAuthSession, findOrCreateAccount, revokeAllSessions, revokeSession } from '@/db/queries/accounts';
import {
  consumeSignInCode,
  countCodesForIpSince,
  countCodesForPhoneSince,
  insertSignInCode,
  latestSignInCode,
  lockIpForSignIn,
  lockPhoneForSignIn,
  recordFailedAttempt,
} from '@/db/queries/sign-in-codes';
import { env } from '@/lib/env';
import { announceRevocation } from '@/lib/live/revocations';
import { signInMessage, type MessageSender } from '@/lib/sms/sender';
import { keyedHash, safeEqual } from './keyed-hash';
import { normalizePhone } from './phone';

export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

export type SignInLimits = {
  codeTtlSeconds: number;
  maxAttempts: number;
  resendSeconds: number;
  dailyPerPhone: number;
  hourlyPerIp: number;
};

export type SignInConfig = { secret: string; limits: SignInLimits };

export function signInConfigFromEnv(): SignInConfig {
  const e = env();
  return {
    secret: e.NEXTAUTH_SECRET,
    limits: {
      codeTtlSeconds: e.OTP_TTL_SECONDS,
      maxAttempts: e.OTP_MAX_ATTEMPTS,
      resendSeconds: e.OTP_RESEND_SECONDS,
      dailyPerPhone: e.OTP_DAILY_LIMIT,
      hourlyPerIp: e.OTP_IP_HOURLY_LIMIT,
    },
  };
}

export type RequestCodeResult =
  | { ok: true; phone: string; resendAfterSeconds: number; devCode?: string }
  | { ok: false; reason: 'invalid_phone' }
  | { ok: false; reason: 'too_soon'; retryAfterSeconds: number }
  | { ok: false; reason: 'daily_limit' | 'ip_limit' | 'send_failed' };

/**
 * What a code is for. Every code of a phone lives in sign_in_codes and shares its limits (resend, daily
 * per phone, hourly per IP, attempts); the purpose (and, for a phone change, the asking account) is in
 * the code's keyed hash, so a code issued for one purpose never verifies for another: a sign-in code
 * cannot change a phone number, and a phone-change code cannot sign in.
 */
export type CodePurpose = { kind: 'sign_in' } | { kind: 'phone_change'; accountId: string } | { kind: 'recovery' };

const PURPOSE_DOMAIN = { sign_in: 'sign-in-code', phone_change: 'phone-change-code', recovery: 'recovery-code' } as const;

function codeHash(cfg: SignInConfig, phone: string, code: string, purpose: CodePurpose = { kind: 'sign_in' }) {
  const subject = purpose.kind === 'phone_change' ? `${purpose.accountId}:${phone}:${code}` : `${phone}:${code}`;
  return keyedHash(cfg.secret, PURPOSE_DOMAIN[purpose.kind], subject);
}
const ipHash = (cfg: SignInConfig, ip: string) => keyedHash(cfg.secret, 'client-ip', ip);

/** Issues a 6-digit code for a phone number, within the per-phone and per-IP limits, and sends it. */
export async function requestSignInCode(
  db: Db,
  cfg: SignInConfig,
  sender: MessageSender,
  /** ip null: the client's address is unknown (lib/auth/client-ip.ts), so no code is sent. */
  input: { phone: string; ip: string | null; now?: Date; purpose?: CodePurpose },
): Promise<RequestCodeResult> {
  const phone = normalizePhone(input.phone);
  if (!phone) return { ok: false, reason: 'invalid_phone' };
  if (input.ip === null) return { ok: false, reason: 'ip_limit' };
  const now = input.now ?? new Date();
  const { limits } = cfg;
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const ip = ipHash(cfg, input.ip);

  const outcome = await db.transaction(async (tx): Promise<RequestCodeResult> => {
    await lockPhoneForSignIn(tx, phone);
    const last = await latestSignInCode(tx, phone);
    if (last) {
      const waitMs = last.createdAt.getTime() + limits.resendSeconds * 1000 - now.getTime();
      if (waitMs > 0) return { ok: false, reason: 'too_soon', retryAfterSeconds: Math.ceil(waitMs / 1000) };
    }
    if ((await countCodesForPhoneSince(tx, phone, new Date(now.getTime() - 86_400_000))) >= limits.dailyPerPhone) {
      return { ok: false, reason: 'daily_limit' };
    }
    await lockIpForSignIn(tx, ip);
    if ((await countCodesForIpSince(tx, ip, new Date(now.getTime() - 3_600_000))) >= limits.hourlyPerIp) {
      return { ok: false, reason: 'ip_limit' };
    }
    // A new code replaces any earlier one: only the latest code of a phone is ever checked.
    await insertSignInCode(tx, {
      phone,
      codeHash: codeHash(cfg, phone, code, input.purpose),
      ipHash: ip,
      createdAt: now,
      expiresAt: new Date(now.getTime() + limits.codeTtlSeconds * 1000),
    });
    return { ok: true, phone, resendAfterSeconds: limits.resendSeconds };
  });
  if (!outcome.ok) return outcome;

  try {
    await sender.send(signInMessage(phone, code));
  } catch {
    return { ok: false, reason: 'send_failed' };
  }
  return sender.revealsCode ? { ...outcome, devCode: code } : outcome;
}

export type CodeCheckFailure =
  | { ok: false; reason: 'invalid_phone' | 'invalid_code' | 'no_code' | 'expired' | 'used' | 'locked' }
  | { ok: false; reason: 'wrong_code'; attemptsLeft: number };

export type VerifyCodeResult = { ok: true; accountId: string; sessionId: string; accountCreated: boolean } | CodeCheckFailure;

/**
 * Checks the latest code of `phone` for `purpose` and consumes it, inside the caller's transaction (the
 * phone's lock serialises it with requests and other checks). A wrong code counts towards the lock.
 */
export async function consumeCode(
  tx: DbOrTx,
  cfg: SignInConfig,
  input: { phone: string; code: string; now: Date; purpose?: CodePurpose },
): Promise<{ ok: true; phone: string } | CodeCheckFailure> {
  const phone = normalizePhone(input.phone);
  if (!phone) return { ok: false, reason: 'invalid_phone' };
  const code = input.code.trim();
  if (!/^\d{6}$/.test(code)) return { ok: false, reason: 'invalid_code' };
  const { now } = input;
  await lockPhoneForSignIn(tx, phone);
  const last = await latestSignInCode(tx, phone);
  if (!last) return { ok: false, reason: 'no_code' };
  if (last.consumedAt) return { ok: false, reason: 'used' };
  if (last.lockedAt) return { ok: false, reason: 'locked' };
  if (last.expiresAt <= now) return { ok: false, reason: 'expired' };
  if (!safeEqual(last.codeHash, codeHash(cfg, phone, code, input.purpose))) {
    const attempts = last.failedAttempts + 1;
    const lock = attempts >= cfg.limits.maxAttempts;
    await recordFailedAttempt(tx, last.id, lock ? now : null);
    return lock ? { ok: false, reason: 'locked' } : { ok: false, reason: 'wrong_code', attemptsLeft: cfg.limits.maxAttempts - attempts };
  }
  await consumeSignInCode(tx, last.id, now);
  return { ok: true, phone };
}

/** Checks a code; on success creates the account if new and a 30-day server-side session. */
export async function verifySignInCode(
  db: Db,
  cfg: SignInConfig,
  input: { phone: string; code: string; userAgent?: string | null; now?: Date },
): Promise<VerifyCodeResult> {
  const now = input.now ?? new Date();
  const early = normalizePhone(input.phone) ? (/^\d{6}$/.test(input.code.trim()) ? null : 'invalid_code') : 'invalid_phone';
  if (early) return { ok: false, reason: early };

  return db.transaction(async (tx): Promise<VerifyCodeResult> => {
    const checked = await consumeCode(tx, cfg, { phone: input.phone, code: input.code, now });
    if (!checked.ok) return checked;
    const account = await findOrCreateAccount(tx, checked.phone);
    if (account.created) {
      await appendAudit(tx, { actorAccountId: account.id, action: 'account.create', targetType: 'account', targetId: account.id, at: now });
    }
    const sessionId = await createAuthSession(tx, {
      accountId: account.id,
      expiresAt: new Date(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000),
      userAgent: input.userAgent?.slice(0, 300) ?? null,
    });
    await appendAudit(tx, { actorAccountId: account.id, action: 'auth.sign_in', targetType: 'session', targetId: sessionId, at: now });
    return { ok: true, accountId: account.id, sessionId, accountCreated: account.created };
  });
}

export async function signOutSession(db: Db, sessionId: string, now = new Date()): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await revokeSession(tx, sessionId, now);
    if (row)
      await appendAudit(tx, {
        actorAccountId: row.accountId,
        action: 'auth.sign_out',
        targetType: 'session',
        targetId: sessionId,
        at: now,
      });
    if (row) await announceRevocation(tx, { a: row.accountId, s: sessionId, why: 'signed_out' });
  });
}

/** Signs every device of an account out: each session is refused on its next request. */
export async function signOutEverywhere(db: Db, accountId: string, now = new Date()): Promise<number> {
  return db.transaction(async (tx) => {
    const revoked = await revokeAllSessions(tx, accountId, now);
    await appendAudit(tx, {
      actorAccountId: accountId,
      action: 'auth.sign_out_everywhere',
      targetType: 'account',
      targetId: accountId,
      details: { revoked },
      at: now,
    });
    await announceRevocation(tx, { a: accountId, why: 'signed_out' });
    return revoked;
  });
}
