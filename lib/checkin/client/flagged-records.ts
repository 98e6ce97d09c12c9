'use client';

import { useCallback, useEffect, useState } from 'react';
import type { StoredCheckin } from '../record-checkin';
import { onQueueEvent } from './door-queue';

/** Why a stored record arrived with a note: taken before the change, sent after it (migration 0015). */
export type RecordFlag = 'codeReissued' | 'checkerUnbound';

/** A record the queue sent that the server stored with a note the checker should read. */
export type FlaggedRecord = {
  clientId: string;
  nameMasked: string;
  temperature: string | null;
  effectiveAt: string;
  flags: RecordFlag[];
};

export function flagsOf(record: Pick<StoredCheckin, 'codeReissued' | 'checkerUnbound'>): RecordFlag[] {
  const flags: RecordFlag[] = [];
  if (record.codeReissued) flags.push('codeReissued');
  if (record.checkerUnbound) flags.push('checkerUnbound');
  return flags;
}

const STORE_KEY = 'door-flagged-records';

function load(): FlaggedRecord[] {
  try {
    const list = JSON.parse(sessionStorage.getItem(STORE_KEY) ?? '[]') as unknown;
    return Array.isArray(list) ? (list as FlaggedRecord[]) : [];
  } catch {
    return [];
  }
}

function save(list: FlaggedRecord[]) {
  try {
    if (list.length === 0) sessionStorage.removeItem(STORE_KEY);
    else sessionStorage.setItem(STORE_KEY, JSON.stringify(list));
  } catch {
    // Storage full or unavailable: the list still shows on this page.
  }
}

/**
 * The records stored with a note (an offline scan synced after the holder re-issued their code, or after
 * the checker's binding ended): listed until the checker has read them, across reloads of this tab.
 */
export function useFlaggedRecords() {
  const [flagged, setFlagged] = useState<FlaggedRecord[]>([]);
  const update = useCallback((change: (list: FlaggedRecord[]) => FlaggedRecord[]) => {
    setFlagged((list) => {
      const next = change(list);
      save(next);
      return next;
    });
  }, []);
  useEffect(() => {
    setFlagged(load());
    return onQueueEvent((e) => {
      if (e.type !== 'stored') return;
      const flags = flagsOf(e.record);
      if (flags.length === 0) return;
      const { clientId, person, temperature, effectiveAt } = e.record;
      update((list) =>
        list.some((f) => f.clientId === clientId)
          ? list
          : [...list, { clientId, nameMasked: person.nameMasked, temperature, effectiveAt, flags }],
      );
    });
  }, [update]);
  const dismiss = useCallback((clientId: string) => update((list) => list.filter((f) => f.clientId !== clientId)), [update]);
  return { flagged, dismiss };
}
