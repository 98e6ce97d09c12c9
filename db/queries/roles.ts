import 'server-only';
import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db';
import { accountRoles } from '@/db/schema';

export type PlatformRole = 'health_official';

export async function hasRole(db: DbOrTx, accountId: string, role: PlatformRole): Promise<boolean> {
  const [row] = await db
    .select({ accountId: accountRoles.accountId })
    .from(accountRoles)
    .where(and(eq(accountRoles.accountId, accountId), eq(accountRoles.role, role)));
  return Boolean(row);
}

/**
 * Grants a role in a region (GB/T 2260 code; '44' the whole province); returns false when the account
 * already had it (its region is left as it was).
 */
export async function grantRole(
  db: DbOrTx,
  accountId: string,
  role: PlatformRole,
  grantedByAccountId: string | null,
  regionCode = '44',
): Promise<boolean> {
  const rows = await db
    .insert(accountRoles)
    .values({ accountId, role, grantedByAccountId, regionCode })
    .onConflictDoNothing()
    .returning({ accountId: accountRoles.accountId });
  return rows.length > 0;
}

/** The region of the account's role, or null when it does not hold it (never granted, or revoked). */
export async function roleRegionOf(db: DbOrTx, accountId: string, role: PlatformRole): Promise<string | null> {
  const [row] = await db
    .select({ regionCode: accountRoles.regionCode })
    .from(accountRoles)
    .where(and(eq(accountRoles.accountId, accountId), eq(accountRoles.role, role)));
  return row?.regionCode ?? null;
}
