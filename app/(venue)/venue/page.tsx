import { Building2 } from 'lucide-react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { buttonVariants } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { getDb } from '@/db';
import { closedVenuesOfAdmin, venueOfAdmin } from '@/db/queries/venues';
import { requireUser } from '@/lib/auth/require-user';
import { formatRegion } from '@/lib/regions/divisions';
import { myAdminInvitations } from '@/lib/venues/admin-replacement';
import { myCheckerVenues, myClosedCheckerVenues } from '@/lib/venues/checkers';
import { closedVenuesSince } from '@/lib/venues/closed-since';
import { AdminInvitations } from './_components/admin-invitations';
import { CheckerVenues } from './_components/checker-venues';
import { ClosedVenues } from './_components/closed-venues';
import { CloseVenueForm } from './_components/close-venue-form';
import { InviteCodeCard } from './_components/invite-code-card';
import { VenueTabs } from './_components/venue-tabs';
import { messageOf } from '@/lib/i18n/message-of';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('venue'))('title') };
}

/** My Venue: the admin's venue (if any), invitations to become an admin, and the venues this account checks at. */
export default async function MyVenuePage({ searchParams }: { searchParams: Promise<{ notice?: string }> }) {
  const user = await requireUser('/venue');
  const { notice } = await searchParams;
  const db = await getDb();
  const now = new Date();
  const [t, tv, tr, format, venue, closed, invitations, bindings, closedBindings] = await Promise.all([
    getTranslations('venue'),
    getTranslations('venueClose'),
    getTranslations(),
    getFormatter(),
    venueOfAdmin(db, user.accountId),
    closedVenuesOfAdmin(db, user.accountId, closedVenuesSince(now)),
    myAdminInvitations(db, user),
    myCheckerVenues(db, user),
    myClosedCheckerVenues(db, user, now),
  ]);
  return (
    <div className="mx-auto max-w-3xl space-y-5">
      <h1 className="text-2xl font-semibold">{t('title')}</h1>
      {venue && (notice === 'registered' || notice === 'saved') && (
        <p role="status" className="rounded-xl bg-ok-bg p-3 font-medium text-ok">
          {t(notice)}
        </p>
      )}
      {(notice === 'closed' || notice === 'reopened') && (
        <p role="status" className="rounded-xl bg-ok-bg p-3 font-medium text-ok" data-testid="venue-notice">
          {tv(notice === 'closed' ? 'closedNotice' : 'reopenedNotice')}
        </p>
      )}
      <AdminInvitations invitations={invitations} />
      {venue ? (
        <div className="space-y-4">
          <VenueTabs current="overview" />
          <Card>
            <div className="flex flex-wrap items-center gap-2">
              <h2 className="text-xl font-semibold" data-testid="venue-name">
                {venue.name}
              </h2>
              <span className="rounded-full bg-brand-50 px-3 py-0.5 text-sm text-brand-700">{t('adminBadge')}</span>
            </div>
            <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5">
              <dt className="text-muted">{t('info.type')}</dt>
              <dd>{messageOf(tr, 'venue.types', venue.type, 'other')}</dd>
              <dt className="text-muted">{t('info.region')}</dt>
              <dd>{formatRegion(venue.townshipCode)}</dd>
              <dt className="text-muted">{t('info.address')}</dt>
              <dd>{venue.address}</dd>
              <dt className="text-muted">{t('info.contactPhone')}</dt>
              <dd>{venue.contactPhone}</dd>
              <dt className="text-muted">{t('info.createdAt')}</dt>
              <dd>{format.dateTime(venue.createdAt, { dateStyle: 'medium' })}</dd>
            </dl>
          </Card>
          <InviteCodeCard venueName={venue.name} inviteCode={venue.inviteCode} />
          <CloseVenueForm venueName={venue.name} />
        </div>
      ) : (
        <Card className="flex flex-col items-start gap-3 sm:flex-row sm:items-center">
          <Building2 aria-hidden size={40} className="shrink-0 text-brand-600" />
          <div className="flex-1">
            <h2 className="text-lg font-semibold">{t('noVenueTitle')}</h2>
            <p className="text-muted">{t('noVenueBody')}</p>
          </div>
          <Link href="/venue/register" className={buttonVariants({ size: 'lg', className: 'w-full sm:w-auto' })}>
            {t('register')}
          </Link>
        </Card>
      )}
      <ClosedVenues venues={closed} hasOpenVenue={Boolean(venue)} now={now} />
      <CheckerVenues bindings={bindings} closed={closedBindings} />
    </div>
  );
}
