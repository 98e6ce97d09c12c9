'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { useLiveTopic } from '@/lib/live/live-provider';

/**
 * SPEC T1: an official's page hears the `ops` topic; when the role is revoked or moved the server ends it
 * (`end {reason, topic: 'ops'}`) and the page reloads into what the account may see now (the refusal, or
 * the new region).
 */
export function OpsLive() {
  const t = useTranslations('officials.home');
  const [ended, setEnded] = useState(false);
  useLiveTopic('ops', {
    end: () => {
      setEnded(true);
      window.location.reload();
    },
  });
  return ended ? (
    <p role="status" className="rounded-xl bg-amber-50 p-3 text-amber-900">
      {t('revoked')}
    </p>
  ) : null;
}
