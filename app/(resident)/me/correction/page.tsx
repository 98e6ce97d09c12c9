import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { Card } from '@/components/ui/card';
import { getDb } from '@/db';
import { personOfAccount } from '@/db/queries/persons';
import { requireUser } from '@/lib/auth/require-user';
import { correctionStateOf } from '@/lib/identity/corrections';
import { decryptField, fieldKeysFromEnv } from '@/lib/identity/field-crypto';
import { isUuid } from '@/lib/utils/uuid';
import { RequestForm } from './_components/request-form';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('officials.request'))('title') };
}

/** 身份信息更正 (SPEC L2): a person's own account or guardian asks; a passport or permit holder only. */
export default async function CorrectionRequestPage({ searchParams }: { searchParams: Promise<{ p?: string }> }) {
  const { p } = await searchParams;
  const user = await requireUser(`/me/correction${p ? `?p=${encodeURIComponent(p)}` : ''}`);
  if (!p || !isUuid(p)) notFound();
  const db = await getDb();
  const [t, tp, person, state] = await Promise.all([
    getTranslations('officials.request'),
    getTranslations('person'),
    personOfAccount(db, user.accountId, p),
    correctionStateOf(db, user, p),
  ]);
  if (!person || !state) notFound();
  const latest = state.latest;
  return (
    <div className="mx-auto max-w-md space-y-4">
      <h1 className="text-2xl font-semibold">{t('title')}</h1>
      <Card className="space-y-3">
        <p className="font-medium">
          {decryptField(fieldKeysFromEnv(), person.nameEnc)} · {tp(`idTypes.${person.idType as 'passport'}`)}
        </p>
        {!state.correctable ? (
          <p className="text-muted" data-testid="correction-not-correctable">
            {t('notCorrectable')}
          </p>
        ) : latest?.status === 'pending' ? (
          <p className="rounded-xl bg-amber-50 p-3 text-amber-900" data-testid="correction-pending">
            {t('status.pending')}
          </p>
        ) : (
          <>
            <p className="text-muted">{t('intro')}</p>
            {latest && (
              <p className="text-sm text-muted">
                {latest.status === 'refused'
                  ? t('status.refused', { reason: latest.reason ?? '' })
                  : t(`status.${latest.status as 'applied'}`)}
              </p>
            )}
            <RequestForm personId={person.id} />
          </>
        )}
      </Card>
      <Link href={`/me?p=${person.id}`} className="inline-block text-brand-600 underline-offset-4 hover:underline">
        {t('back')}
      </Link>
    </div>
  );
}
