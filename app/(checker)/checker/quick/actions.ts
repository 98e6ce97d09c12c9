'use server';

import { z } from 'zod';
import { issueQuickLink } from '@/lib/checkin/quick-link';
import { publicOrigin } from '@/lib/auth/public-origin';
import { qrSvgDataUrl } from '@/lib/health-code/qr-image';
import { codeKeysFromEnv } from '@/lib/health-code/token';
import { action } from '@/lib/server/action';

/**
 * A fresh sunflower code for this checker at this venue and entrance (null: the main one), refreshed by
 * the screen before it expires. The QR encodes the short link (PUBLIC_URL/q/<short id>), stored with the
 * token in the same transaction.
 */
export const quickCodeAction = action(
  { auth: 'user', input: z.tuple([z.uuid(), z.uuid().nullable()]) },
  async (tx, user, [venueId, entranceId], now) => {
    const origin = await publicOrigin();
    const issued = await issueQuickLink(tx, codeKeysFromEnv(), user, { venueId, entranceId, origin }, now);
    if (!issued.ok) return issued;
    return { ok: true as const, url: issued.url, qr: await qrSvgDataUrl(issued.url, 'black'), expiresAt: issued.expiresAt };
  },
);
