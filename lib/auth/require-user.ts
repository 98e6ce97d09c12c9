import { getServerSession } from 'next-auth';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { getDb } from '@/db';
import { findActiveSession } from '@/db/queries/accounts';
import { authOptions } from './options';

export type CurrentUser = { accountId: string; sessionId: string; phone: string };

/**
 * The signed-in user, checked against the server-side session row on every request (a session revoked
 * by "sign out everywhere" stops here). Null when signed out. Cached for one request.
 */
export const getCurrentUser = cache(async (): Promise<CurrentUser | null> => {
  const session = await getServerSession(authOptions());
  if (!session?.sid) return null;
  const row = await findActiveSession(await getDb(), session.sid, new Date());
  return row ? { accountId: row.accountId, sessionId: row.sessionId, phone: row.phone } : null;
});

/** For pages and server actions: the user, or a redirect to sign-in that comes back here. */
export async function requireUser(returnTo = '/'): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (user) return user;
  redirect(`/sign-in?callbackUrl=${encodeURIComponent(returnTo)}`);
}
