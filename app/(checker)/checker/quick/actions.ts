'use server';

import { z } from 'zod';
import { issueQuickToken } from '@/lib/checkin/quick-checkin';
import { publicOrigin } from '@/lib/auth/public-origin';
import { qrSvgDataUrl } from '@/lib/health-code/qr-image';
import { codeKeysFromEnv } from '@/lib/health-code/token';
import { action } from '@/lib/server/action';

/** A fresh sunflower code for this checker at this venue (refreshed by the screen before it expires). */
export const quickCodeAction = action({ auth: 'user', input: z.tuple([z.uuid()]) }, async (tx, user, [venueId], now) => {
  const issued = await issueQuickToken(tx, codeKeysFromEnv(), user, venueId, now);
  if (!issued.ok) return issued;
  const url = `${await publicOrigin()}/q/${issued.token}`;
  return { ok: true as const, url, qr: await qrSvgDataUrl(url, 'black'), expiresAt: issued.expiresAt };
});
