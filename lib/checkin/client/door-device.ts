// What the scanner's offline shell keeps on the device (localStorage): the checker and venue it last
// confirmed online for each venue, and the last measured clock offset.
import type { DoorContext } from '../door-context';

const CONTEXTS_KEY = 'door:contexts';
const CLOCK_OFFSET_KEY = 'door:clock-offset';

type Stored = Record<string, DoorContext & { savedAt: number }>;

function read(): Stored {
  try {
    return JSON.parse(localStorage.getItem(CONTEXTS_KEY) ?? '{}') as Stored;
  } catch {
    return {};
  }
}

export function saveDoorContext(context: DoorContext) {
  localStorage.setItem(CONTEXTS_KEY, JSON.stringify({ ...read(), [context.venue.id]: { ...context, savedAt: Date.now() } }));
}

export function loadDoorContext(venueId: string): DoorContext | null {
  return read()[venueId] ?? null;
}

export function forgetDoorContext(venueId: string) {
  const all = read();
  delete all[venueId];
  localStorage.setItem(CONTEXTS_KEY, JSON.stringify(all));
}

export function saveClockOffset(ms: number) {
  localStorage.setItem(CLOCK_OFFSET_KEY, String(ms));
}

export function loadClockOffset(): number {
  const n = Number(localStorage.getItem(CLOCK_OFFSET_KEY));
  return Number.isFinite(n) ? n : 0;
}
