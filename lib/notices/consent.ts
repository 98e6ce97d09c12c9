import 'server-only';
import type { DbOrTx } from '@/db';
import { accountById } from '@/db/queries/accounts';
import { insertNotice } from '@/db/queries/notices';
import { maskPhone } from '@/lib/auth/phone';

// The inbox's notices of consent (SPEC L1, #19), each made in the transaction of its cause. A person
// appears masked (张**), an account by its masked phone (accounts have no display name).

type Relation = 'family' | 'self';
type PersonRef = { id: string; nameMasked: string };

/** How an account is named to others: its masked phone. */
export async function accountLabel(tx: DbOrTx, accountId: string): Promise<string> {
  return maskPhone((await accountById(tx, accountId))?.phone ?? null);
}

const uniq = (ids: (string | null | undefined)[], except: (string | null | undefined)[] = []) => [
  ...new Set(ids.filter((x): x is string => Boolean(x) && !except.includes(x))),
];

/** A link request, to whoever may answer it (the person's own account, else every guardian). */
export async function noticeLinkRequest(
  tx: DbOrTx,
  to: string[],
  request: { id: string; relation: Relation; requesterAccountId: string },
  person: PersonRef,
  now: Date,
) {
  const who = await accountLabel(tx, request.requesterAccountId);
  for (const accountId of uniq(to, [request.requesterAccountId]))
    await insertNotice(tx, {
      kind: 'link_request',
      to: { accountId },
      params: { requestId: request.id, who, relation: request.relation, person: person.nameMasked },
      source: `link:${request.id}:ask:${accountId}`,
      at: now,
    });
}

/** The answer, to the requester. */
export function noticeLinkResult(
  tx: DbOrTx,
  request: { id: string; relation: Relation; requesterAccountId: string },
  person: PersonRef,
  outcome: 'accepted' | 'refused',
  now: Date,
) {
  return insertNotice(tx, {
    kind: 'link_result',
    to: { accountId: request.requesterAccountId },
    params: { requestId: request.id, relation: request.relation, person: person.nameMasked, outcome },
    source: `link:${request.id}:result`,
    at: now,
  });
}

/** Somebody new is linked to the person (a guardian, or their own account): to everyone linked before. */
export async function noticeGuardianAdded(
  tx: DbOrTx,
  to: string[],
  added: { requestId: string; accountId: string; relation: Relation },
  person: PersonRef & { selfAccountId: string | null },
  now: Date,
) {
  const who = await accountLabel(tx, added.accountId);
  for (const accountId of uniq(to, [added.accountId]))
    await insertNotice(tx, {
      kind: 'guardian_added',
      to: { accountId },
      // `mine`: the reader is the person's own account (their 我的监护人), else a guardian (their family list).
      params: { who, relation: added.relation, person: person.nameMasked, personId: person.id, mine: accountId === person.selfAccountId },
      source: `link:${added.requestId}:added:${accountId}`,
      at: now,
    });
}

/**
 * A guardianship ended: `left` (the guardian stopped guarding), `removed` (the person removed them) or
 * `ended_all` (the person ended every guardianship). `eventId` makes each notice exactly once.
 */
export async function noticeGuardianRemoved(
  tx: DbOrTx,
  to: string[],
  removed: { accountId: string; how: 'left' | 'removed' | 'ended_all'; eventId: string },
  person: PersonRef & { selfAccountId: string | null },
  now: Date,
) {
  const who = await accountLabel(tx, removed.accountId);
  for (const accountId of uniq(to))
    await insertNotice(tx, {
      kind: 'guardian_removed',
      to: { accountId },
      params: {
        who,
        how: removed.how,
        person: person.nameMasked,
        personId: person.id,
        you: accountId === removed.accountId,
        mine: accountId === person.selfAccountId,
      },
      source: `guardian:${removed.eventId}:${removed.accountId}:${accountId}`,
      at: now,
    });
}

/** The person's codes were re-issued: to the person's own account and every guardian. */
export async function noticeCodeReissued(
  tx: DbOrTx,
  to: string[],
  event: { byAccountId: string; generation: number },
  person: PersonRef,
  now: Date,
) {
  const who = await accountLabel(tx, event.byAccountId);
  for (const accountId of uniq(to))
    await insertNotice(tx, {
      kind: 'code_reissued',
      to: { accountId },
      params: { who, person: person.nameMasked, personId: person.id },
      source: `reissue:${person.id}:${event.generation}:${accountId}`,
      at: now,
    });
}
