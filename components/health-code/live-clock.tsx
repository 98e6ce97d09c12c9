'use client';

import { useLocale } from 'next-intl';
import { useEffect, useState } from 'react';
import { CHINA_TIME_ZONE } from '@/lib/time';

/** A ticking clock in China Standard Time: a screenshot cannot pass for a live screen. */
export function LiveClock({ label, className }: { label: string; className?: string }) {
  const locale = useLocale();
  const [now, setNow] = useState<Date | null>(null);
  useEffect(() => {
    setNow(new Date());
    const timer = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(timer);
  }, []);
  const text = now
    ? new Intl.DateTimeFormat(locale, {
        timeZone: CHINA_TIME_ZONE,
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hour12: false,
      }).format(now)
    : '\u00a0';
  return (
    <time aria-label={label} className={className} suppressHydrationWarning>
      {text}
    </time>
  );
}
