import { getDb } from '@/db';
import { canHaveOfflineCode } from '@/lib/health-code/offline-eligibility';
import { getCodeForAccount } from '@/lib/health-code/personal-codes';
import { qrPng } from '@/lib/health-code/qr-image';
import { codeKeysFromEnv } from '@/lib/health-code/token';
import { fieldKeysFromEnv } from '@/lib/identity/field-crypto';
import { refuse, route } from '@/lib/http/route';
import { isUuid } from '@/lib/utils/uuid';

/** The offline code as a PNG download, for the person and their guardians only. */
export const GET = route<'session', undefined, { personId: string }>({ auth: 'session' }, async ({ user, params }) => {
  // A malformed id is not found either: a stranger learns nothing, not even that the person exists.
  if (!isUuid(params.personId)) return refuse('not_found');
  const keys = { codeKeys: codeKeysFromEnv(), fieldKeys: fieldKeysFromEnv() };
  const code = await getCodeForAccount(await getDb(), keys, user, params.personId, 'offline');
  if (!code) return refuse('not_found');
  if (!canHaveOfflineCode(code.birthDate)) return refuse('not_eligible');
  const png = await qrPng(code.token);
  return new Response(new Uint8Array(png), {
    headers: {
      'content-type': 'image/png',
      'content-disposition': `attachment; filename="offline-code-${code.shortCode}.png"`,
      'cache-control': 'private, no-store',
    },
  });
});
