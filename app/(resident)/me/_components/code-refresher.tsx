'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { recordDisplayAction } from '../actions';

/**
 * Keeps the displayed code current and logs the display: one display log per opening, and a refresh
 * every minute so a colour change reaches the screen without the holder doing anything.
 */
export function CodeRefresher({ personId, kind }: { personId: string; kind: 'personal' | 'offline' }) {
  const router = useRouter();
  useEffect(() => {
    void recordDisplayAction(personId, kind);
  }, [personId, kind]);
  useEffect(() => {
    const timer = setInterval(() => router.refresh(), 60_000);
    const onVisible = () => document.visibilityState === 'visible' && router.refresh();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [router]);
  return null;
}
