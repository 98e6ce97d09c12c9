import 'server-only';
import { VENUE_TYPES, type VenueType } from './venue-types';
import { normalizePhone } from '@/lib/auth/phone';
import { isServedTownship } from '@/lib/regions/divisions';
import type { VenueInfo } from '@/db/queries/venues';

export type VenueField = 'name' | 'type' | 'townshipCode' | 'address' | 'contactPhone';
export type VenueFieldError = 'required' | 'too_long' | 'too_short' | 'unknown_type' | 'region' | 'phone';

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
  const name = str('name');
  if (!name) errors.name = 'required';
  else if (Array.from(name).length < 2) errors.name = 'too_short';
  else if (Array.from(name).length > 50) errors.name = 'too_long';
  const type = str('type');
  if (!type) errors.type = 'required';
  else if (!VENUE_TYPES.includes(type as VenueType)) errors.type = 'unknown_type';
  const townshipCode = str('townshipCode');
  // An empty or partial pick gets the same words: choose down to the township.
  if (!isServedTownship(townshipCode)) errors.townshipCode = 'region';
  const address = str('address');
  if (!address) errors.address = 'required';
  else if (Array.from(address).length < 2) errors.address = 'too_short';
  else if (Array.from(address).length > 100) errors.address = 'too_long';
  const rawPhone = str('contactPhone');
  const contactPhone = rawPhone ? normalizeContactPhone(rawPhone) : null;
  if (!rawPhone) errors.contactPhone = 'required';
  else if (!contactPhone) errors.contactPhone = 'phone';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, info: { name, type, townshipCode, address, contactPhone: contactPhone! } };
}
