import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { getDb } from '@/db';
import { venueOfAdmin } from '@/db/queries/venues';
import { requireUser } from '@/lib/auth/require-user';
import { qrSvgDataUrl } from '@/lib/health-code/qr-image';
import { formatRegion } from '@/lib/regions/divisions';
import { formatInviteCode } from '@/lib/venues/invite-code';
import { joinUrl } from '@/lib/venues/join-url';
import { PrintButton } from './print-button';
import { messageOf } from '@/lib/i18n/message-of';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('poster'))('title') };
}

/** V1: an A4 poster with the venue name, the QR and the typed code; the print stylesheet drops the app chrome. */
export default async function PosterPage() {
  const user = await requireUser('/venue/poster');
  const venue = await venueOfAdmin(await getDb(), user.accountId);
  if (!venue) redirect('/venue');
  const [t, tr] = await Promise.all([getTranslations('poster'), getTranslations()]);
  const qr = await qrSvgDataUrl(await joinUrl(venue.inviteCode), 'black');
  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <article
        className="mx-auto flex aspect-[210/297] w-full flex-col items-center justify-center gap-6 rounded-2xl border-2 border-black bg-white p-8 text-center print:rounded-none print:border-0"
        data-testid="poster"
      >
        <p className="text-xl text-neutral-700">
          {messageOf(tr, 'venue.types', venue.type, 'other')} · {formatRegion(venue.townshipCode)}
        </p>
        <h1 className="text-4xl font-bold leading-tight">{venue.name}</h1>
        <p className="text-2xl font-semibold">{t('title')}</p>
        {/* eslint-disable-next-line @next/next/no-img-element -- a data URL generated on the server */}
        <img src={qr} alt={tr('venue.inviteQrAlt', { name: venue.name })} className="aspect-square w-3/5" />
        <p className="font-mono text-5xl font-bold tracking-[0.2em]">{formatInviteCode(venue.inviteCode)}</p>
        <p className="text-lg">{t('scanToBind')}</p>
        <p className="text-base text-neutral-700">{t('orType')}</p>
      </article>
      <PrintButton label={t('print')} />
    </div>
  );
}
