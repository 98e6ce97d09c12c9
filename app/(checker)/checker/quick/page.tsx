import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { getDb } from '@/db';
import { wasActiveCheckerAt } from '@/db/queries/checker-bindings';
import { venueById } from '@/db/queries/venues';
import { requireUser } from '@/lib/auth/require-user';
import { quickEntranceOf } from '@/lib/checkin/quick-entrance';
import { venueClosedFor } from '@/lib/checkin/venue-closed';
import { Card } from '@/components/ui/card';
import { buttonVariants } from '@/components/ui/button';
import Link from 'next/link';
import { isUuid } from '@/lib/utils/uuid';
import { QuickScreen } from './_components/quick-screen';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('quick'))('title') };
}

type Search = { v?: string; entrance?: string };

export default async function QuickCheckinCodePage({ searchParams }: { searchParams: Promise<Search> }) {
  const { v, entrance } = await searchParams;
  const back = new URLSearchParams({ ...(v ? { v } : {}), ...(entrance ? { entrance } : {}) });
  const user = await requireUser(v ? `/checker/quick?${back}` : '/checker');
  if (!isUuid(v)) redirect('/checker');
  const db = await getDb();
  const [active, venue, chosen] = await Promise.all([
    wasActiveCheckerAt(db, v, user.accountId, new Date()),
    venueById(db, v),
    quickEntranceOf(db, v, entrance),
  ]);
  if (!active && (await venueClosedFor(db, v, user.accountId))) {
    // SPEC L3: the checker's venue closed: say so rather than silently going back to the picker.
    const tv = await getTranslations('venueClose');
    return (
      <Card className="mx-auto max-w-lg space-y-3" data-testid="quick-venue-closed">
        <p role="alert" className="text-lg font-medium text-amber-900">
          {tv('doorShell')}
        </p>
        <Link href="/checker" className={buttonVariants({ variant: 'secondary' })}>
          {tv('chooseVenue')}
        </Link>
      </Card>
    );
  }
  if (!active || !venue || !chosen) redirect('/checker');
  const t = await getTranslations('sunflower');
  return (
    <QuickScreen
      venue={{ id: venue.id, name: venue.name }}
      entrance={{ id: chosen.id, name: chosen.name ?? t('mainEntrance'), fellBack: chosen.fellBack }}
    />
  );
}
