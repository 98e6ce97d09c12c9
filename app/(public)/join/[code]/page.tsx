import { Store } from 'lucide-react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { headers } from 'next/headers';
import { getTranslations } from 'next-intl/server';
import { buttonVariants } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { getDb } from '@/db';
import { clientIp } from '@/lib/auth/client-ip';
import { requireUser } from '@/lib/auth/require-user';
import { formatRegion } from '@/lib/regions/divisions';
import { lookupInviteCode } from '@/lib/venues/checkers';
import { inviteLimitsFromEnv } from '@/lib/venues/invite-limits';
import { JoinForm } from './_components/join-form';
import { messageOf } from '@/lib/i18n/message-of';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('join'))('title') };
}

/** Opened by the invite QR: confirm the venue's name and type, give a display name, ask to join. */
export default async function JoinByCodePage({ params }: { params: Promise<{ code: string }> }) {
  const { code: raw } = await params;
  const code = decodeURIComponent(raw).slice(0, 20);
  const user = await requireUser(`/join/${encodeURIComponent(code)}`);
  const [t, tr] = await Promise.all([getTranslations('join'), getTranslations()]);
  const found = await lookupInviteCode(await getDb(), user, code, clientIp(await headers()), inviteLimitsFromEnv());
  if (!found.ok) {
    return (
      <Card className="mx-auto max-w-md space-y-4 text-center" data-testid="join-error" data-reason={found.reason}>
        <h1 className="text-xl font-semibold">{t('title')}</h1>
        <p role="alert" className="font-medium text-danger">
          {found.reason === 'venue_closed'
            ? tr('venueClose.join.venue_closed')
            : t(`errors.${found.reason}`, { seconds: found.reason === 'rate_limited' ? found.retryAfterSeconds : 0 })}
        </p>
        <Link href="/join" className={buttonVariants({ variant: 'secondary' })}>
          {t('find')}
        </Link>
      </Card>
    );
  }
  return (
    <Card className="mx-auto max-w-md space-y-5">
      <h1 className="text-2xl font-semibold">{t('confirmTitle')}</h1>
      <div className="flex gap-3 rounded-xl bg-brand-50 p-4">
        <Store aria-hidden className="mt-1 shrink-0 text-brand-600" size={28} />
        <div>
          <p className="text-xl font-semibold" data-testid="join-venue-name">
            {found.venue.name}
          </p>
          <p className="text-muted">
            {messageOf(tr, 'venue.types', found.venue.type, 'other')} · {formatRegion(found.venue.townshipCode)}
          </p>
        </div>
      </div>
      <JoinForm code={code} />
    </Card>
  );
}
