'use client';

import { CheckCheck } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { toast } from '@/components/ui/toaster';
import { errorMessage } from '@/lib/i18n/message-of';
import { readAllNoticesAction } from '../actions';

export function MarkAllRead() {
  const t = useTranslations('inbox');
  const tr = useTranslations();
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  return (
    <Button
      variant="secondary"
      size="sm"
      disabled={busy}
      data-testid="inbox-mark-all"
      onClick={async () => {
        setBusy(true);
        const result = await readAllNoticesAction();
        setBusy(false);
        if (result.ok) toast.success(t('allRead'));
        else toast.error(errorMessage(tr, 'reasons', result.reason));
        router.refresh();
      }}
    >
      <CheckCheck aria-hidden size={18} />
      {t('markAllRead')}
    </Button>
  );
}
