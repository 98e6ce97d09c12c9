/**
 * The one error vocabulary at every door (server actions and route handlers). Services add their own
 * domain reasons (`not_admin`, `weekly_limit`, …); these are the ones any door may give.
 */
export const COMMON_REASONS = ['unauthenticated', 'forbidden', 'invalid', 'not_found', 'conflict', 'rate_limited'] as const;
export type CommonReason = (typeof COMMON_REASONS)[number];
