import { getDb } from '@/db';
import { getCurrentUser } from '@/lib/auth/require-user';
import { canHaveOfflineCode } from '@/lib/health-code/offline-eligibility';
import { getCodeForAccount } from '@/lib/health-code/personal-codes';
import { qrPng } from '@/lib/health-code/qr-image';
import { codeKeysFromEnv } from '@/lib/health-code/token';
import { fieldKeysFromEnv } from '@/lib/identity/field-crypto';
import { isUuid } from '@/lib/utils/uuid';

/** The offline code as a PNG download, for the person and their guardians only. */
export async function GET(_req: Request, ctx: { params: Promise<{ personId: string }> }) {
  const user = await getCurrentUser();
  if (!user) return Response.json({ error: 'unauthenticated' }, { status: 401 });
  const { personId } = await ctx.params;
  if (!isUuid(personId)) return Response.json({ error: 'not_found' }, { status: 404 });
  const code = await getCodeForAccount(await getDb(), { codeKeys: codeKeysFromEnv(), fieldKeys: fieldKeysFromEnv() }, user, personId, 'offline');
  if (!code) return Response.json({ error: 'not_found' }, { status: 404 });
  if (!canHaveOfflineCode(code.birthDate)) return Response.json({ error: 'not_eligible' }, { status: 403 });
  const png = await qrPng(code.token);
  return new Response(new Uint8Array(png), {
    headers: {
      'content-type': 'image/png',
      'content-disposition': `attachment; filename="offline-code-${code.shortCode}.png"`,
      'cache-control': 'private, no-store',
    },
  });
}
