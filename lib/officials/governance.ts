import 'server-only';
import type { Db, DbOrTx } from '@/db';
import { findOrCreateAccount } from '@/db/queries/accounts';
import { appendAudit } from '@/db/queries/audit';
import {
  deleteRole,
  lockOfficialBootstrap,
  lockRole,
  officialsInRegion,
  provinceOfficialExists,
  setRoleRegion,
} from '@/db/queries/officials';
import { grantRole } from '@/db/queries/roles';
import { maskPhone, normalizePhone } from '@/lib/auth/phone';
import { announceRevocation } from '@/lib/live/revocations';
import { noticeOfficialRole } from '@/lib/notices/officials';
import { regionLevelOf } from '@/lib/regions/divisions';
import { isUuid } from '@/lib/utils/uuid';
import { authorizeOfficial } from './capabilities';
import { statedReason } from './reason';

// SPEC T1: the official role is granted, moved and revoked by officials, only at or below their own region
// (lib/officials/capabilities.ts: `grant_role`), never their own; every change is audited with its reason,
// told to the account, and a revocation or move ends the account's official pages and streams at once.

type Actor = { accountId: string };

/**
 * HEALTH_OFFICIAL_PHONES grants the province level only while no province official exists: the very
 * first deploy; after that officials grant each other, and a revoked one does not come back at the next start.
 */
export async function bootstrapOfficials(db: Db, phones: string[], now = new Date()) {
  const valid = [...new Set(phones.map((p) => normalizePhone(p)).filter((p): p is string => Boolean(p)))];
  if (valid.length === 0) return { granted: 0 };
  return db.transaction(async (tx) => {
    await lockOfficialBootstrap(tx);
    if (await provinceOfficialExists(tx)) return { granted: 0 };
    let granted = 0;
    for (const phone of valid) {
      const account = await findOrCreateAccount(tx, phone);
      if (!(await grantRole(tx, account.id, 'health_official', null, '44'))) continue;
      granted += 1;
      await appendAudit(tx, {
        actorAccountId: null,
        action: 'role.grant',
        targetType: 'account',
        targetId: account.id,
        reason: 'configuration',
        details: { role: 'health_official', region: '44', by: 'configuration' },
        at: now,
      });
    }
    return { granted };
  });
}

const knownRegion = (code: string) => /^\d{2,9}$/.test(code) && regionLevelOf(code) !== null;

/** Grants the role to the account of `phone` (made if new) in `region`, at or below the actor's own. */
export async function grantOfficial(db: Db, actor: Actor, input: { phone: string; region: string; reason: string }, now = new Date()) {
  const allowed = await authorizeOfficial(db, actor.accountId, 'grant_role', { none: true });
  if (!allowed.ok) return allowed;
  const phone = normalizePhone(input.phone);
  if (!phone) return { ok: false as const, reason: 'invalid_phone' as const };
  if (!knownRegion(input.region)) return { ok: false as const, reason: 'invalid_region' as const };
  const why = statedReason(input.reason);
  if (!why.ok) return why;
  const scoped = await authorizeOfficial(db, actor.accountId, 'grant_role', { region: input.region });
  if (!scoped.ok) return { ok: false as const, reason: 'outside_region' as const };
  return db.transaction(async (tx) => {
    const account = await findOrCreateAccount(tx, phone);
    if (account.id === actor.accountId) return { ok: false as const, reason: 'own_role' as const };
    if (!(await grantRole(tx, account.id, 'health_official', actor.accountId, input.region))) {
      return { ok: false as const, reason: 'already_official' as const };
    }
    await appendAudit(tx, {
      actorAccountId: actor.accountId,
      action: 'role.grant',
      targetType: 'account',
      targetId: account.id,
      reason: why.reason,
      details: { role: 'health_official', region: input.region },
      at: now,
    });
    await noticeOfficialRole(tx, account.id, 'granted', input.region, `${now.getTime()}`, now);
    return { ok: true as const, accountId: account.id };
  });
}

/**
 * The official `accountId`, inside the actor's region, and not the actor: locked, so a move and a revoke
 * of the same official run one after the other.
 */
async function governed(tx: DbOrTx, actor: Actor, accountId: string) {
  if (accountId === actor.accountId) return { ok: false as const, reason: 'own_role' as const };
  if (!isUuid(accountId)) return { ok: false as const, reason: 'not_found' as const };
  const region = await lockRole(tx, accountId);
  // Not an official, or one outside the actor's region: the same answer (nothing said of who they are).
  if (!region) return { ok: false as const, reason: 'not_found' as const };
  const scoped = await authorizeOfficial(tx, actor.accountId, 'grant_role', { official: accountId, region });
  if (!scoped.ok) return { ok: false as const, reason: scoped.reason === 'forbidden' ? ('forbidden' as const) : ('not_found' as const) };
  return { ok: true as const, region };
}

/** Moves an official (inside the actor's region) to another region at or below the actor's own. */
export async function changeOfficialRegion(
  db: Db,
  actor: Actor,
  input: { accountId: string; region: string; reason: string },
  now = new Date(),
) {
  const allowed = await authorizeOfficial(db, actor.accountId, 'grant_role', { none: true });
  if (!allowed.ok) return allowed;
  if (!knownRegion(input.region)) return { ok: false as const, reason: 'invalid_region' as const };
  const why = statedReason(input.reason);
  if (!why.ok) return why;
  return db.transaction(async (tx) => {
    const target = await governed(tx, actor, input.accountId);
    if (!target.ok) return target;
    const scoped = await authorizeOfficial(tx, actor.accountId, 'grant_role', { region: input.region });
    if (!scoped.ok) return { ok: false as const, reason: 'outside_region' as const };
    if (target.region === input.region) return { ok: false as const, reason: 'same_region' as const };
    await setRoleRegion(tx, input.accountId, input.region, actor.accountId);
    await appendAudit(tx, {
      actorAccountId: actor.accountId,
      action: 'role.change',
      targetType: 'account',
      targetId: input.accountId,
      reason: why.reason,
      details: { role: 'health_official', from: target.region, to: input.region },
      at: now,
    });
    await noticeOfficialRole(tx, input.accountId, 'changed', input.region, `${now.getTime()}`, now);
    // Their open pages show the old region: end them, they reload into the new one.
    await announceRevocation(tx, { a: input.accountId, r: 'official', why: 'official_changed' });
    return { ok: true as const };
  });
}

/** Takes the role from an official inside the actor's region: their pages and streams end at once. */
export async function revokeOfficial(db: Db, actor: Actor, input: { accountId: string; reason: string }, now = new Date()) {
  const allowed = await authorizeOfficial(db, actor.accountId, 'grant_role', { none: true });
  if (!allowed.ok) return allowed;
  const why = statedReason(input.reason);
  if (!why.ok) return why;
  return db.transaction(async (tx) => {
    const target = await governed(tx, actor, input.accountId);
    if (!target.ok) return target;
    await deleteRole(tx, input.accountId);
    await appendAudit(tx, {
      actorAccountId: actor.accountId,
      action: 'role.revoke',
      targetType: 'account',
      targetId: input.accountId,
      reason: why.reason,
      details: { role: 'health_official', region: target.region },
      at: now,
    });
    await noticeOfficialRole(tx, input.accountId, 'revoked', target.region, `${now.getTime()}`, now);
    await announceRevocation(tx, { a: input.accountId, r: 'official', why: 'official_revoked' });
    return { ok: true as const };
  });
}

/** 人员管理: the officials inside the actor's region (the actor among them), phones masked. */
export async function officialsOfRegion(db: DbOrTx, actor: Actor) {
  const allowed = await authorizeOfficial(db, actor.accountId, 'grant_role', { none: true });
  if (!allowed.ok) return null;
  const rows = await officialsInRegion(db, allowed.official.regionCode);
  return {
    official: allowed.official,
    officials: rows.map((r) => ({
      accountId: r.accountId,
      phone: maskPhone(r.phone),
      regionCode: r.regionCode,
      grantedAt: r.grantedAt,
      self: r.accountId === actor.accountId,
    })),
  };
}
