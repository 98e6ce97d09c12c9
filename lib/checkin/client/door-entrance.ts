// The entrance the checker last picked at each venue, kept on the device beside the door's other memories
// (localStorage, as door-device.ts and last-venue.ts do).
import type { DoorEntrance } from '../door-context';

const ENTRANCES_KEY = 'door:entrances';

function read(): Record<string, string> {
  try {
    return JSON.parse(localStorage.getItem(ENTRANCES_KEY) ?? '{}') as Record<string, string>;
  } catch {
    return {};
  }
}

export function saveEntranceChoice(venueId: string, entranceId: string) {
  try {
    localStorage.setItem(ENTRANCES_KEY, JSON.stringify({ ...read(), [venueId]: entranceId }));
  } catch {
    // A full device still checks at the entrance chosen on screen; it is only not remembered.
  }
}

export function loadEntranceChoice(venueId: string): string | null {
  return read()[venueId] ?? null;
}

/**
 * The entrance to check at: the one remembered for this venue if it is still open, else the main one.
 * `fellBack`: a remembered entrance was removed since (the scanner says so once). `remembered`: whether the
 * checker has picked at this venue on this device before (if not, the scanner asks).
 */
export function chooseEntrance(
  entrances: DoorEntrance[],
  rememberedId: string | null,
): { entrance: DoorEntrance | null; fellBack: boolean; remembered: boolean } {
  const main = entrances.find((e) => e.isMain) ?? entrances[0] ?? null;
  if (!rememberedId) return { entrance: main, fellBack: false, remembered: false };
  const kept = entrances.find((e) => e.id === rememberedId);
  return kept ? { entrance: kept, fellBack: false, remembered: true } : { entrance: main, fellBack: true, remembered: true };
}
