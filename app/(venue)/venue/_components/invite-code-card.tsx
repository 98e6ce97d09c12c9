import { Printer } from 'lucide-react';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { buttonVariants } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { qrSvgDataUrl } from '@/lib/health-code/qr-image';
import { formatInviteCode } from '@/lib/venues/invite-code';
import { joinUrl } from '@/lib/venues/join-url';

/** V1/V3: the fixed invite code and its QR, which opens the join page. */
export async function InviteCodeCard({ venueName, inviteCode }: { venueName: string; inviteCode: string }) {
  const t = await getTranslations('venue');
  const qr = await qrSvgDataUrl(await joinUrl(inviteCode), 'black');
  return (
    <Card className="flex flex-col items-center gap-4 text-center sm:flex-row sm:text-left">
      {/* eslint-disable-next-line @next/next/no-img-element -- a data URL generated on the server */}
      <img src={qr} alt={t('inviteQrAlt', { name: venueName })} className="h-40 w-40 shrink-0" />
      <div className="min-w-0 flex-1">
        <h2 className="text-sm text-muted">{t('inviteCode')}</h2>
        <p className="font-mono text-3xl font-semibold tracking-widest" data-testid="invite-code">
          {formatInviteCode(inviteCode)}
        </p>
        <p className="mt-2 text-sm text-muted">{t('inviteCodeHint')}</p>
        <Link href="/venue/poster" className={buttonVariants({ variant: 'secondary', size: 'sm', className: 'mt-3' })}>
          <Printer aria-hidden size={16} />
          {t('printPoster')}
        </Link>
      </div>
    </Card>
  );
}
