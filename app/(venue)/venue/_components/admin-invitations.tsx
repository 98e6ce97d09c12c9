'use client';

import { useFormatter, useTranslations } from 'next-intl';
import { ActionButton } from '@/components/action-button';
import { Card } from '@/components/ui/card';
import { acceptInvitationAction } from '../actions';
import { errorMessage } from '@/lib/i18n/message-of';

type Invitation = { id: string; venueName: string; expiresAt: Date };

/** V4/V7: a pending invitation to take over a venue, shown to the invited phone's account. */
export function AdminInvitations({ invitations }: { invitations: Invitation[] }) {
  const t = useTranslations('venue');
  const tr = useTranslations();
  const format = useFormatter();
  if (invitations.length === 0) return null;
  return (
    <section aria-labelledby="invitations" className="space-y-2">
      <h2 id="invitations" className="text-lg font-semibold">
        {t('invitationsTitle')}
      </h2>
      {invitations.map((inv) => (
        <Card key={inv.id} className="flex flex-col gap-3 border-brand-500 bg-brand-50 sm:flex-row sm:items-center">
          <p className="flex-1">
            {t('invitationBody', {
              name: inv.venueName,
              date: format.dateTime(inv.expiresAt, { dateStyle: 'medium', timeStyle: 'short' }),
            })}
          </p>
          <ActionButton
            run={() => acceptInvitationAction(inv.id)}
            variant="primary"
            label={t('accept')}
            success={t('accepted')}
            errorText={(r) => errorMessage(tr, 'venue.errors', r)}
            testId="accept-invitation"
          />
        </Card>
      ))}
    </section>
  );
}
