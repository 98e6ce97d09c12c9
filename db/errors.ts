/** The PostgreSQL error code of a failed query, looking through drizzle's wrapper (both drivers). */
export function pgErrorCode(error: unknown): string | undefined {
  let e: unknown = error;
  for (let i = 0; i < 4 && e && typeof e === 'object'; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** A unique or exclusion constraint refused the write: the rule held, and the caller reports it nicely. */
export const isUniqueViolation = (error: unknown) => pgErrorCode(error) === '23505';
