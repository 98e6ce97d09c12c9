import 'server-only';
import { getDb } from '@/db';
import { maskPhone } from '@/lib/auth/phone';
import { getCurrentUser } from '@/lib/auth/require-user';
import { isHealthOfficial } from '@/lib/health-code/officials';
import { unreadCount } from '@/lib/notices/inbox';

/**
 * What the site header shows of the signed-in account (masked phone, official or not, unread notices for
 * the bell); null when signed out.
 */
export async function headerAccount(): Promise<{ maskedPhone: string; isOfficial: boolean; unread: number; unreadAsOf: number } | null> {
  const user = await getCurrentUser();
  if (!user) return null;
  const db = await getDb();
  const [isOfficial, { unread, asOf }] = await Promise.all([isHealthOfficial(db, user.accountId), unreadCount(db, user)]);
  return { maskedPhone: maskPhone(user.phone), isOfficial, unread, unreadAsOf: asOf };
}
