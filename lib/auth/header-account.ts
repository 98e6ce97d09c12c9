import 'server-only';
import { getDb } from '@/db';
import { maskPhone } from '@/lib/auth/phone';
import { getCurrentUser } from '@/lib/auth/require-user';
import { isHealthOfficial } from '@/lib/health-code/officials';

/** What the site header shows of the signed-in account (masked phone, official or not); null when signed out. */
export async function headerAccount(): Promise<{ maskedPhone: string; isOfficial: boolean } | null> {
  const user = await getCurrentUser();
  if (!user) return null;
  return { maskedPhone: maskPhone(user.phone), isOfficial: await isHealthOfficial(await getDb(), user.accountId) };
}
