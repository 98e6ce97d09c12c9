import 'server-only';
import type { Db } from '@/db';
import { appendAudit } from '@/db/queries/audit';
import { codeDisplaysSince, guardiansOfPerson, insertCodeDisplay, personOfAccount, reissuePersonCodes } from '@/db/queries/persons';
import { statusAt } from '@/db/queries/health-status';
import { decryptField, type FieldKeys } from '@/lib/identity/field-crypto';
import { noticeCodeReissued } from '@/lib/notices/consent';
import { issueShortCode } from './issue-short-code';
import { signCodeToken, type CodeKeys, type CodeKind } from './token';

export type CodeView = {
  personId: string;
  relation: 'self' | 'family';
  name: string;
  nameMasked: string;
  idNumberMasked: string;
  idType: string;
  gender: 'M' | 'F';
  birthDate: string;
  token: string;
  shortCode: string;
  status: Awaited<ReturnType<typeof statusAt>>;
};

/**
 * A person's code as its holder (self or guardian) sees it: the signed token, the short code and the
 * colour now. Null when the account may not see this person — the caller answers "not found".
 */
export async function getCodeForAccount(
  db: Db,
  deps: { codeKeys: CodeKeys; fieldKeys: FieldKeys },
  actor: { accountId: string },
  personId: string,
  kind: CodeKind,
  now = new Date(),
): Promise<CodeView | null> {
  const person = await personOfAccount(db, actor.accountId, personId);
  if (!person) return null;
  return {
    personId: person.id,
    relation: person.relation,
    name: decryptField(deps.fieldKeys, person.nameEnc),
    nameMasked: person.nameMasked,
    idNumberMasked: person.idNumberMasked,
    idType: person.idType,
    gender: person.gender as 'M' | 'F',
    birthDate: person.birthDate,
    token: signCodeToken(deps.codeKeys, { personId: person.id, kind, generation: person.codeGeneration }),
    shortCode: person.shortCode,
    status: await statusAt(db, person.idHash, now),
  };
}

/** 亮码记录: kept for every opening of a code page by an account allowed to open it. */
export async function recordCodeDisplay(db: Db, actor: { accountId: string }, personId: string, kind: CodeKind, now = new Date()) {
  if (!(await personOfAccount(db, actor.accountId, personId))) return { ok: false as const };
  await insertCodeDisplay(db, { personId, accountId: actor.accountId, kind, displayedAt: now });
  return { ok: true as const };
}

/** The last three days of a person's display log, for the person and their guardians (H6). */
export async function listCodeDisplays(db: Db, actor: { accountId: string }, personId: string, now = new Date()) {
  if (!(await personOfAccount(db, actor.accountId, personId))) return null;
  return codeDisplaysSince(db, personId, new Date(now.getTime() - 3 * 86_400_000));
}

/**
 * Re-issues a person's codes: every earlier QR and short code stops working for anything after now (a
 * lost printed code). The ended code is kept (person_code_history) with the instant it ended, so a record
 * the door took with it before that instant and sends later is still stored, flagged (migration 0015).
 * Done by the person's own account, or by a guardian only when the person has no account of their own
 * (`self_only` otherwise); the person and every guardian are told (`code_reissued`).
 */
export async function reissueCodes(db: Db, actor: { accountId: string }, personId: string, now = new Date()) {
  const person = await personOfAccount(db, actor.accountId, personId);
  if (!person) return { ok: false as const, reason: 'not_found' as const };
  if (person.relation === 'family' && person.selfAccountId) return { ok: false as const, reason: 'self_only' as const };
  return db.transaction(async (tx) => {
    const generation = await reissuePersonCodes(tx, personId, await issueShortCode(tx), now);
    const guardians = (await guardiansOfPerson(tx, personId)).map((g) => g.accountId);
    await noticeCodeReissued(
      tx,
      [person.selfAccountId, ...guardians].filter((a): a is string => Boolean(a) && a !== actor.accountId),
      { byAccountId: actor.accountId, generation },
      { id: person.id, nameMasked: person.nameMasked },
      now,
    );
    await appendAudit(tx, {
      actorAccountId: actor.accountId,
      action: 'person.reissue_codes',
      targetType: 'person',
      targetId: personId,
      details: { generation },
      at: now,
    });
    return { ok: true as const, generation };
  });
}
