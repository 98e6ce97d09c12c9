'use client';

import { ArrowLeft, Lock, WifiOff } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DoorContext } from '@/lib/checkin/door-context';
import { forgetDoorContext, loadDoorContext, saveDoorContext } from '@/lib/checkin/client/door-device';
import { doorQueue, onQueueEvent } from '@/lib/checkin/client/door-queue';
import { LAST_VENUE_KEY } from '@/lib/checkin/client/last-venue';
import { registerServiceWorker } from '@/lib/pwa/register';
import { DoorLocale } from './door-locale';
import { Scanner } from './scanner';

/** Whether the server has just confirmed the session ('ok'), cannot be reached, or says it has ended. */
export type Session = 'ok' | 'offline' | 'expired';
type State =
  | { phase: 'loading' }
  | { phase: 'ready'; context: DoorContext; session: Session }
  | { phase: 'need-online' }
  | { phase: 'not-checker' }
  /** The checker of the stored context, whose records taken before the closure are still sent. */
  | { phase: 'venue-closed'; accountId: string | null };

const signInUrl = (venueId: string) => `/sign-in?callbackUrl=${encodeURIComponent(`/checker/scan?v=${venueId}`)}`;

/** Asks the server who is checking where; falls back to what the device remembers when it cannot. */
async function resolveContext(venueId: string): Promise<State | { phase: 'sign-in' }> {
  const stored = loadDoorContext(venueId);
  let res: Response | null;
  try {
    res = await fetch(`/api/checkins/context?venueId=${encodeURIComponent(venueId)}`, { cache: 'no-store' });
  } catch {
    res = null;
  }
  if (res?.ok) {
    const context = (await res.json()) as DoorContext;
    saveDoorContext(context);
    localStorage.setItem(LAST_VENUE_KEY, venueId);
    return { phase: 'ready', context, session: 'ok' };
  }
  if (res?.status === 401) return stored ? { phase: 'ready', context: stored, session: 'expired' } : { phase: 'sign-in' };
  if (res && (res.status === 403 || res.status === 400)) {
    forgetDoorContext(venueId);
    // SPEC L3: the venue closed: its checker is told so (the queue still sends what was scanned before).
    const body = (await res.json().catch(() => null)) as { error?: string } | null;
    if (body?.error === 'venue_closed') return { phase: 'venue-closed', accountId: stored?.account.id ?? null };
    return { phase: 'not-checker' };
  }
  return stored ? { phase: 'ready', context: stored, session: 'offline' } : { phase: 'need-online' };
}

function DoorShellInner() {
  const t = useTranslations('door');
  const tv = useTranslations('venueClose');
  const [state, setState] = useState<State>({ phase: 'loading' });
  const [venueId, setVenueId] = useState<string | null>(null);
  const stateRef = useRef(state);
  stateRef.current = state;

  const refresh = useCallback(async (v: string) => {
    const next = await resolveContext(v);
    if (next.phase === 'sign-in') return window.location.assign(signInUrl(v));
    setState(next);
    const queue = doorQueue();
    if (next.phase === 'ready' && next.session !== 'expired') void queue.start(next.context.account.id);
    else if (next.phase === 'venue-closed' && next.accountId) void queue.start(next.accountId);
    else queue.stop();
  }, []);

  useEffect(() => {
    const v = new URLSearchParams(window.location.search).get('v') ?? localStorage.getItem(LAST_VENUE_KEY);
    registerServiceWorker();
    if (!v) {
      // No venue on this device yet: the picker (unless this is already the picker's offline stand-in).
      if (window.location.pathname === '/checker') return setState({ phase: 'need-online' });
      return window.location.replace('/checker');
    }
    setVenueId(v);
    void refresh(v);
    const again = () => void refresh(v);
    const onVisible = () => document.visibilityState === 'visible' && again();
    window.addEventListener('online', again);
    document.addEventListener('visibilitychange', onVisible);
    const off = onQueueEvent((e) => {
      // A record accepted by the server: it is reachable and the session holds.
      if (e.type === 'stored') return setState((s) => (s.phase === 'ready' && s.session === 'offline' ? { ...s, session: 'ok' } : s));
      if (e.type !== 'stopped') return;
      if (e.reason === 'unauthenticated') setState((s) => (s.phase === 'ready' ? { ...s, session: 'expired' } : s));
      else if (e.reason === 'wrong_account')
        again(); // another account signed in meanwhile: ask again
      else setState((s) => (s.phase === 'ready' && s.session === 'ok' ? { ...s, session: 'offline' } : s));
    });
    // While offline with nothing to send, look again now and then (a server outage fires no 'online').
    const probe = setInterval(() => {
      const s = stateRef.current;
      if (s.phase === 'ready' && s.session === 'offline') again();
    }, 10_000);
    return () => {
      clearInterval(probe);
      window.removeEventListener('online', again);
      document.removeEventListener('visibilitychange', onVisible);
      off();
      doorQueue().stop();
    };
  }, [refresh]);

  if (state.phase === 'ready')
    return (
      <Scanner
        context={state.context}
        session={state.session}
        signInUrl={signInUrl(state.context.venue.id)}
        onReconnect={() => venueId && void refresh(venueId)}
      />
    );
  return (
    <div className="mx-auto max-w-lg space-y-4 p-4" data-testid="door-shell" data-phase={state.phase}>
      <a href="/checker" className="inline-flex items-center gap-1 text-brand-600">
        <ArrowLeft aria-hidden size={18} />
        {t('changeVenue')}
      </a>
      {state.phase === 'loading' ? (
        <p className="text-center text-lg text-muted" role="status">
          {t('shell.loading')}
        </p>
      ) : (
        <div role="alert" className="flex items-start gap-3 rounded-2xl bg-amber-100 p-4 text-lg text-amber-950">
          {state.phase === 'venue-closed' ? (
            <Lock aria-hidden className="mt-1 shrink-0" />
          ) : (
            <WifiOff aria-hidden className="mt-1 shrink-0" />
          )}
          <p>
            {state.phase === 'need-online'
              ? t('shell.needOnline')
              : state.phase === 'venue-closed'
                ? tv('doorShell')
                : t('shell.notChecker')}
          </p>
        </div>
      )}
    </div>
  );
}

/** The scanner's offline shell: locale, then who and where, then the scanner. */
export function DoorShell() {
  return (
    <DoorLocale>
      <main id="main" className="min-h-dvh bg-surface px-3 pb-10 pt-3">
        <DoorShellInner />
      </main>
    </DoorLocale>
  );
}
