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

/**
 * The records stored with a note since this page opened (an offline scan synced after the holder
 * re-issued their code, or after the checker's binding ended): listed until the checker has read them.
 */
export function useFlaggedRecords() {
  const [flagged, setFlagged] = useState<FlaggedRecord[]>([]);
  useEffect(
    () =>
      onQueueEvent((e) => {
        if (e.type !== 'stored') return;
        const flags = flagsOf(e.record);
        if (flags.length === 0) return;
        const { clientId, person, temperature, effectiveAt } = e.record;
        setFlagged((list) =>
          list.some((f) => f.clientId === clientId) ? list : [...list, { clientId, nameMasked: person.nameMasked, temperature, effectiveAt, flags }],
        );
      }),
    [],
  );
  const dismiss = useCallback((clientId: string) => setFlagged((list) => list.filter((f) => f.clientId !== clientId)), []);
  return { flagged, dismiss };
}
