'use client';

import { useEffect } from 'react';

/** Keeps the screen awake while a door screen is open (Screen Wake Lock), re-acquired when visible again. */
export function useWakeLock(active = true) {
  useEffect(() => {
    if (!active || typeof navigator === 'undefined' || !('wakeLock' in navigator)) return;
    let lock: WakeLockSentinel | null = null;
    const acquire = () => {
      if (document.visibilityState === 'visible')
        navigator.wakeLock
          .request('screen')
          .then((l) => (lock = l))
          .catch(() => {});
    };
    acquire();
    document.addEventListener('visibilitychange', acquire);
    return () => {
      document.removeEventListener('visibilitychange', acquire);
      lock?.release().catch(() => {});
    };
  }, [active]);
}
