/** The device remembers the venue the checker used last (SPEC: "picks one of their active venues (remembered)"). */
export const LAST_VENUE_KEY = 'door:last-venue';
