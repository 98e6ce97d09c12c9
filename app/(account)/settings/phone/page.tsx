import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { Card } from '@/components/ui/card';
import { maskPhone } from '@/lib/auth/phone';
import { requireUser } from '@/lib/auth/require-user';
import { ChangePhoneForm } from './_components/change-phone-form';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('accountLife.phone'))('title') };
}

/** 更换手机号 (SPEC L2): a code to the new number, then the number moves and every device signs in again. */
export default async function ChangePhonePage() {
  const user = await requireUser('/settings/phone');
  const t = await getTranslations('accountLife.phone');
  return (
    <div className="mx-auto max-w-lg space-y-4">
      <Link href="/settings" className="text-sm text-brand-700 underline-offset-2 hover:underline">
        ← {t('back')}
      </Link>
      <h1 className="text-2xl font-semibold">{t('title')}</h1>
      <Card className="space-y-4">
        <p className="text-muted">{t('intro')}</p>
        <p className="font-mono" data-testid="current-phone">
          {t('current', { phone: maskPhone(user.phone) })}
        </p>
        <ChangePhoneForm />
      </Card>
    </div>
  );
}
