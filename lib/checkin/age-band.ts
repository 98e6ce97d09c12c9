import { ageBand, ageOn, type AgeBand } from '@/lib/identity/id-documents';
import { chinaDateOf } from '@/lib/time';

export type { AgeBand };

/** The age band of a person on the China date of an instant: what venues see instead of a birth date. */
export function ageBandOn(birthDate: string, at: Date): AgeBand {
  return ageBand(ageOn(birthDate, chinaDateOf(at)));
}
