import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { buttonVariants } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { getDb } from '@/db';
import { requireUser } from '@/lib/auth/require-user';
import { visitDetails } from '@/lib/checkin/quick-checkin';
import { codeKeysFromEnv } from '@/lib/health-code/token';
import { decryptField, fieldKeysFromEnv } from '@/lib/identity/field-crypto';
import { QuickForm } from './_components/quick-form';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('quick'))('visitTitle') };
}

/** The visitor picks themselves and/or family members and confirms (signing in first if needed). */
export default async function QuickVisitPage({ params }: { params: Promise<{ ticket: string }> }) {
  const { ticket: raw } = await params;
  const ticket = decodeURIComponent(raw).slice(0, 300);
  const user = await requireUser(`/q/v/${encodeURIComponent(ticket)}`);
  const [t, ts, tv, details] = await Promise.all([
    getTranslations('quick'),
    getTranslations('sunflower'),
    getTranslations('venueClose'),
    visitDetails(await getDb(), codeKeysFromEnv(), user, ticket),
  ]);
  if (!details.ok) {
    return (
      <Card className="mx-auto max-w-md text-center" data-testid="quick-error">
        <p role="alert" className="text-lg font-medium text-danger">
          {details.reason === 'venue_closed' ? tv('quick.venue_closed') : t(`errors.${details.reason}`)}
        </p>
      </Card>
    );
  }
  if (details.persons.length === 0) {
    return (
      <Card className="mx-auto max-w-md space-y-3 text-center">
        <p>{t('noPersons')}</p>
        <Link href="/me/register" className={buttonVariants()}>
          {t('toRegister')}
        </Link>
      </Card>
    );
  }
  const keys = fieldKeysFromEnv();
  return (
    <Card className="mx-auto max-w-md">
      <QuickForm
        ticket={ticket}
        venueName={
          details.entranceName ? ts('venueAtEntrance', { venue: details.venueName, entrance: details.entranceName }) : details.venueName
        }
        persons={details.persons.map((p) => ({ id: p.id, relation: p.relation, label: decryptField(keys, p.nameEnc) }))}
      />
    </Card>
  );
}
