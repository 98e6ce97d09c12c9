/** V2: the venue types, in the FAQ's order. The database's check constraint holds the same list. */
export const VENUE_TYPES = ['residential_gate', 'office', 'retail', 'dining_lodging', 'culture_entertainment', 'sports_recreation', 'transport', 'other'] as const;
export type VenueType = (typeof VENUE_TYPES)[number];
