import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { Card } from '@/components/ui/card';
import { getDb } from '@/db';
import { requireUser } from '@/lib/auth/require-user';
import { canHaveOfflineCode } from '@/lib/health-code/offline-eligibility';
import { getCodeForAccount } from '@/lib/health-code/personal-codes';
import { qrSvgDataUrl } from '@/lib/health-code/qr-image';
import { formatShortCode } from '@/lib/health-code/short-code';
import { codeKeysFromEnv } from '@/lib/health-code/token';
import { fieldKeysFromEnv } from '@/lib/identity/field-crypto';
import { isUuid } from '@/lib/utils/uuid';
import { CodeRefresher } from '../../_components/code-refresher';
import { PrintActions } from './_components/print-actions';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('printCode'))('title') };
}

/** H2: the offline physical code (physical code) for minors and people 60+: black QR, short code, masked name. */
export default async function PrintCodePage({ params }: { params: Promise<{ personId: string }> }) {
  const { personId } = await params;
  const user = await requireUser(`/me/print/${personId}`);
  if (!isUuid(personId)) notFound();
  const code = await getCodeForAccount(
    await getDb(),
    { codeKeys: codeKeysFromEnv(), fieldKeys: fieldKeysFromEnv() },
    user,
    personId,
    'offline',
  );
  if (!code) notFound();
  const t = await getTranslations('printCode');
  if (!canHaveOfflineCode(code.birthDate)) {
    return <Card className="mx-auto max-w-md text-center">{t('notEligible')}</Card>;
  }
  const qr = await qrSvgDataUrl(code.token, 'black');
  return (
    <div className="mx-auto max-w-md space-y-4">
      <CodeRefresher personId={code.personId} kind="offline" />
      <article className="rounded-2xl border-2 border-black bg-white p-6 text-center print:border-4" data-testid="offline-code">
        <h1 className="text-xl font-semibold">{t('caption')}</h1>
        {/* eslint-disable-next-line @next/next/no-img-element -- a data URL generated on the server */}
        <img src={qr} alt={t('title')} className="mx-auto mt-4 aspect-square w-full max-w-[300px]" />
        <p className="mt-3 text-3xl font-semibold tracking-wider">{code.nameMasked}</p>
        <p className="mt-2 font-mono text-2xl tracking-widest">{t('shortCode', { code: formatShortCode(code.shortCode) })}</p>
        <p className="mt-4 text-left text-sm leading-relaxed text-neutral-700">{t('notice')}</p>
      </article>
      <PrintActions pngHref={`/me/print/${code.personId}/png`} />
    </div>
  );
}
