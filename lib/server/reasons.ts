/**
 * The one error vocabulary at every door (server actions and route handlers). Services add their own
 * domain reasons (`not_admin`, `weekly_limit`, …); these are the ones any door may give.
 */
export const COMMON_REASONS = ['unauthenticated', 'forbidden', 'invalid', 'not_found', 'conflict', 'rate_limited'] as const;
export type CommonReason = (typeof COMMON_REASONS)[number];

/**
 * HTTP status of a refusal, for every route handler (lib/http/route.ts) and every record of a batch:
 * the one place where a reason becomes a status. A refusal not listed is about the content (422).
 */
const STATUS: Record<string, number> = {
  unauthenticated: 401,
  unauthorized: 401, // a bearer key (the status import), not a session
  forbidden: 403,
  not_checker: 403,
  venue_closed: 403,
  not_admin: 403,
  wrong_account: 403,
  not_eligible: 403,
  not_found: 404,
  conflict: 409,
  body_too_large: 413,
  too_many_records: 413,
  content_type_must_be_application_json: 415,
  rate_limited: 429,
  // The request itself could not be read (lib/http/read-json.ts).
  empty_body: 400,
  invalid_utf8: 400,
  invalid_json: 400,
  json_too_deep: 400,
};

export function httpStatusOf(reason: string): number {
  return STATUS[reason] ?? 422;
}

/** A whole request refused (its query or envelope malformed): 'invalid' is 400; anything else as above. */
export function httpStatusOfRequest(reason: string): number {
  return reason === 'invalid' ? 400 : httpStatusOf(reason);
}
