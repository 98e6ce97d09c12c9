import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { getDb } from '@/db';
import { wasActiveCheckerAt } from '@/db/queries/checker-bindings';
import { venueById } from '@/db/queries/venues';
import { requireUser } from '@/lib/auth/require-user';
import { isUuid } from '@/lib/utils/uuid';
import { QuickScreen } from './_components/quick-screen';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('quick'))('title') };
}

export default async function QuickCheckinCodePage({ searchParams }: { searchParams: Promise<{ v?: string }> }) {
  const { v } = await searchParams;
  const user = await requireUser(v ? `/checker/quick?v=${encodeURIComponent(v)}` : '/checker');
  if (!isUuid(v)) redirect('/checker');
  const db = await getDb();
  const [active, venue] = await Promise.all([wasActiveCheckerAt(db, v, user.accountId, new Date()), venueById(db, v)]);
  if (!active || !venue) redirect('/checker');
  return <QuickScreen venue={{ id: venue.id, name: venue.name }} />;
}
