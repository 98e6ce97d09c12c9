/** V2: the venue types, in the FAQ's order. A leaf module: db/schema/venues.ts builds its check constraint from it. */
export const VENUE_TYPES = [
  'residential_gate',
  'office',
  'retail',
  'dining_lodging',
  'culture_entertainment',
  'sports_recreation',
  'transport',
  'other',
] as const;
export type VenueType = (typeof VENUE_TYPES)[number];
