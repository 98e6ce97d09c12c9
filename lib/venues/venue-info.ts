import 'server-only';
import { VENUE_TYPES, type VenueType } from './venue-types';
import { normalizePhone } from '@/lib/auth/phone';
import { isServedTownship } from '@/lib/regions/divisions';
import type { VenueInfo } from '@/db/queries/venues';
import { normaliseText, textLength, type TextProblem } from '@/lib/text/normalise';

export type VenueField = 'name' | 'type' | 'townshipCode' | 'address' | 'contactPhone';
export type VenueFieldError = 'required' | 'too_long' | 'too_short' | 'unknown_type' | 'region' | 'phone' | TextProblem;

const LANDLINE = /^0\d{2,3}-?\d{7,8}(-\d{1,6})?$/;

/** A mobile number or a landline with area code (020-12345678), as venues print on their doors. */
export function normalizeContactPhone(input: string): string | null {
  const compact = input.replace(/\s/g, '');
  return normalizePhone(compact) ?? (LANDLINE.test(compact) ? compact : null);
}

/** Validates the editable information of a venue (V2, V6); every error is a code the form turns into words. */
export function validateVenueInfo(
  input: Record<string, unknown>,
): { ok: true; info: VenueInfo } | { ok: false; errors: Partial<Record<VenueField, VenueFieldError>> } {
  const str = (k: string) => (typeof input[k] === 'string' ? (input[k] as string).trim().replace(/\s+/g, ' ') : '');
  const errors: Partial<Record<VenueField, VenueFieldError>> = {};
  // Free text people read (on the poster, the door, the official's screen): the one normaliser.
  const text = (k: 'name' | 'address', min: number, max: number) => {
    const n = normaliseText(input[k]);
    if (!n.ok) errors[k] = n.error;
    else if (!n.text) errors[k] = 'required';
    else if (textLength(n.text) < min) errors[k] = 'too_short';
    else if (textLength(n.text) > max) errors[k] = 'too_long';
    return n.ok ? n.text : '';
  };
  const name = text('name', 2, 50);
  const type = str('type');
  if (!type) errors.type = 'required';
  else if (!VENUE_TYPES.includes(type as VenueType)) errors.type = 'unknown_type';
  const townshipCode = str('townshipCode');
  // An empty or partial pick gets the same words: choose down to the township.
  if (!isServedTownship(townshipCode)) errors.townshipCode = 'region';
  const address = text('address', 2, 100);
  const rawPhone = str('contactPhone');
  const contactPhone = rawPhone ? normalizeContactPhone(rawPhone) : null;
  if (!rawPhone) errors.contactPhone = 'required';
  else if (!contactPhone) errors.contactPhone = 'phone';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, info: { name, type, townshipCode, address, contactPhone: contactPhone! } };
}
