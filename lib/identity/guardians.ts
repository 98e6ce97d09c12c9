import 'server-only';
import { randomUUID } from 'node:crypto';
import type { DbOrTx } from '@/db';
import { appendAudit } from '@/db/queries/audit';
import {
  findSelfPerson,
  guardiansOfPerson,
  lockPersonLinks,
  personForConsent,
  removeAllGuardianships,
  removeGuardianship,
} from '@/db/queries/persons';
import { maskPhone } from '@/lib/auth/phone';
import { noticeGuardianRemoved } from '@/lib/notices/consent';
import { ageOn, todayInChina } from './id-documents';

// 我的监护人 (SPEC L1: "a person sees and removes their guardians"): what the account's own person may do
// about the accounts that guard them. A minor sees them but does not remove them (their guardians are
// their parents; a child's own phone must not cut them off), so removing is for adults only.

type Actor = { accountId: string };

const isAdult = (birthDate: string, now: Date) => ageOn(birthDate, todayInChina(now)) >= 18;

async function ownPerson(db: DbOrTx, actor: Actor) {
  const self = await findSelfPerson(db, actor.accountId);
  return self ? personForConsent(db, self.id) : null;
}

/** The account's own person's guardians (masked phone, since when); null when it has no own person. */
export async function myGuardians(db: DbOrTx, actor: Actor, now: Date) {
  const person = await ownPerson(db, actor);
  if (!person) return null;
  const guardians = await guardiansOfPerson(db, person.id);
  return {
    person: { id: person.id, nameMasked: person.nameMasked },
    adult: isAdult(person.birthDate, now),
    guardians: guardians.map((g) => ({ accountId: g.accountId, phone: maskPhone(g.phone), since: g.since })),
  };
}

/** The person (own account, adult) removes one guardian; the removed guardian and the others are told. */
export async function removeMyGuardian(tx: DbOrTx, actor: Actor, input: { guardianAccountId: string }, now: Date) {
  const person = await ownPerson(tx, actor);
  if (!person) return { ok: false as const, reason: 'not_found' as const };
  if (!isAdult(person.birthDate, now)) return { ok: false as const, reason: 'not_adult' as const };
  await lockPersonLinks(tx, person.id);
  if (!(await removeGuardianship(tx, input.guardianAccountId, person.id))) return { ok: false as const, reason: 'not_found' as const };
  const others = (await guardiansOfPerson(tx, person.id)).map((g) => g.accountId);
  await noticeGuardianRemoved(
    tx,
    [input.guardianAccountId, ...others],
    { accountId: input.guardianAccountId, how: 'removed', eventId: randomUUID() },
    person,
    now,
  );
  await appendAudit(tx, {
    actorAccountId: actor.accountId,
    action: 'guardianship.remove_by_person',
    targetType: 'person',
    targetId: person.id,
    details: { guardianAccountId: input.guardianAccountId },
    at: now,
  });
  return { ok: true as const };
}

/** An adult with their own account ends every guardianship at once; each former guardian is told. */
export async function endAllMyGuardianships(tx: DbOrTx, actor: Actor, _input: unknown, now: Date) {
  const person = await ownPerson(tx, actor);
  if (!person) return { ok: false as const, reason: 'not_found' as const };
  if (!isAdult(person.birthDate, now)) return { ok: false as const, reason: 'not_adult' as const };
  await lockPersonLinks(tx, person.id);
  const ended = await removeAllGuardianships(tx, person.id);
  if (ended.length === 0) return { ok: false as const, reason: 'no_guardians' as const };
  const eventId = randomUUID();
  for (const accountId of ended) await noticeGuardianRemoved(tx, [accountId], { accountId, how: 'ended_all', eventId }, person, now);
  await appendAudit(tx, {
    actorAccountId: actor.accountId,
    action: 'guardianship.end_all',
    targetType: 'person',
    targetId: person.id,
    details: { guardians: ended.length },
    at: now,
  });
  return { ok: true as const, ended: ended.length };
}
