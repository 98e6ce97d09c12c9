import { getTranslations } from 'next-intl/server';
import { Card } from '@/components/ui/card';

/** What a non-official sees on the case pages: the same card as /ops. */
export async function OpsForbidden() {
  const t = await getTranslations('ops');
  return (
    <Card className="mx-auto max-w-md text-center" data-testid="ops-forbidden">
      <h1 className="text-xl font-semibold">{t('forbiddenTitle')}</h1>
      <p className="mt-2 text-muted">{t('forbiddenBody')}</p>
    </Card>
  );
}
