import 'server-only';
import type { DbOrTx } from '@/db';
import { insertNotice } from '@/db/queries/notices';

// The inbox's notices of officials' governance (SPEC T1) and identity corrections (SPEC L2), each made in
// the transaction of its cause and exactly once (its source).

export type RoleChange = 'granted' | 'changed' | 'revoked';

/** The account was made an official, moved to another region, or had the role taken away. */
export function noticeOfficialRole(tx: DbOrTx, accountId: string, change: RoleChange, regionCode: string, auditKey: string, now: Date) {
  return insertNotice(tx, {
    kind: 'official_role',
    to: { accountId },
    params: { change, region: regionCode },
    source: `official-role:${accountId}:${change}:${auditKey}`,
    at: now,
  });
}

/** An identity correction was applied or refused: to the person's own account and every guardian. */
export async function noticeIdentityCorrected(
  tx: DbOrTx,
  to: string[],
  correction: { id: string; outcome: 'applied' | 'refused' },
  person: { nameMasked: string; id: string },
  now: Date,
) {
  for (const accountId of new Set(to)) {
    await insertNotice(tx, {
      kind: 'identity_corrected',
      to: { accountId },
      params: { outcome: correction.outcome, person: person.nameMasked, personId: person.id },
      source: `identity-correction:${correction.id}:${accountId}`,
      at: now,
    });
  }
}
