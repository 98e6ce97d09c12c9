'use server';

import { getDb } from '@/db';
import { getCurrentUser } from '@/lib/auth/require-user';
import { issueQuickToken } from '@/lib/checkin/quick-checkin';
import { env } from '@/lib/env';
import { qrSvgDataUrl } from '@/lib/health-code/qr-image';
import { codeKeysFromEnv } from '@/lib/health-code/token';
import { isUuid } from '@/lib/utils/uuid';

/** A fresh sunflower code for this checker at this venue (refreshed by the screen before it expires). */
export async function quickCodeAction(venueId: string) {
  const user = await getCurrentUser();
  if (!user) return { ok: false as const, reason: 'unauthenticated' };
  if (!isUuid(venueId)) return { ok: false as const, reason: 'invalid' };
  const issued = await issueQuickToken(await getDb(), codeKeysFromEnv(), user, venueId);
  if (!issued.ok) return issued;
  const url = `${env().NEXTAUTH_URL.replace(/\/$/, '')}/q/${issued.token}`;
  return { ok: true as const, url, qr: await qrSvgDataUrl(url, 'black'), expiresAt: issued.expiresAt };
}
