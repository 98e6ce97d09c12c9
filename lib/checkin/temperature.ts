// Temperature rules (SPEC "Check-in records"): °C with one decimal, 34.0–43.0 accepted, ≥ 37.3 is a fever.
// Kept as tenths of a degree (integers) so comparisons are exact; shared by the scanner and the server.
export const MIN_TEMPERATURE_DECI = 340;
export const MAX_TEMPERATURE_DECI = 430;
export const FEVER_FROM_DECI = 373;
/** The preset chips at the door: one tap for a normal reading. */
export const PRESET_TEMPERATURES_DECI = [360, 361, 362, 363, 364, 365, 366, 367, 368, 369, 370, 371, 372] as const;

export type TemperatureResult = { ok: true; deci: number; fever: boolean } | { ok: false; reason: 'format' | 'too_low' | 'too_high' };

/** Parses "36.6", "36", 36.6 or "36,6"; more than one decimal is a format error, not silently rounded. */
export function parseTemperature(input: unknown): TemperatureResult {
  const text =
    typeof input === 'number'
      ? Number.isFinite(input)
        ? String(input)
        : ''
      : typeof input === 'string'
        ? input.trim().replace(',', '.')
        : '';
  const match = /^(\d{2})(?:\.(\d))?$/.exec(text);
  if (!match) return { ok: false, reason: 'format' };
  const deci = Number(match[1]) * 10 + Number(match[2] ?? '0');
  if (deci < MIN_TEMPERATURE_DECI) return { ok: false, reason: 'too_low' };
  if (deci > MAX_TEMPERATURE_DECI) return { ok: false, reason: 'too_high' };
  return { ok: true, deci, fever: deci >= FEVER_FROM_DECI };
}

export const isFeverDeci = (deci: number) => deci >= FEVER_FROM_DECI;
export const formatTemperature = (deci: number) => `${Math.floor(deci / 10)}.${deci % 10}`;
