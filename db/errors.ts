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

/** The database is not fit for the app to start on (schema behind, or a role with too much power): say so and stop. */
export class DatabaseSetupError extends Error {
  override name = 'DatabaseSetupError';
}
/** By name: Next may load db/ in several bundles of one process, each with its own class. */
export const isDatabaseSetupError = (error: unknown): error is DatabaseSetupError =>
  error instanceof Error && error.name === 'DatabaseSetupError';

// ---- query errors without personal data ------------------------------------------------------------

/** What is kept of a driver error: codes and names of schema objects, never values. */
const SAFE_FIELDS = ['code', 'severity', 'constraint_name', 'table_name', 'column_name', 'schema_name', 'routine'] as const;

/**
 * A failed query as it may be logged: the SQL text (parameters are placeholders in it), never the
 * parameters, and the driver's error reduced to its code and message. PostgreSQL's `detail` ("Key
 * (phone)=(…) already exists", "Failing row contains (…)") and `where` ("unnamed portal parameter $1 =
 * '…'") are dropped; a data exception's message (class 22: `invalid input syntax for type uuid: "…"`,
 * `value "…" is out of range`) has its quoted values masked.
 */
export class DatabaseQueryError extends Error {
  override name = 'DatabaseQueryError';
  readonly query: string;
  readonly code: string | undefined;
  constructor(query: string, cause: unknown) {
    const reduced = reduceDriverError(cause);
    super(`Failed query (parameters withheld): ${query}${reduced ? `\n${reduced.name}: ${reduced.message}` : ''}`, { cause: reduced });
    this.query = query;
    this.code = reduced?.code;
  }
}

type ReducedError = Error & { code?: string };

function reduceDriverError(error: unknown): ReducedError | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const source = error as Record<string, unknown>;
  const code = typeof source.code === 'string' ? source.code : undefined;
  const raw = typeof source.message === 'string' ? source.message : String(error);
  const message = code?.startsWith('22') ? raw.replace(/"[^"]*"/g, '"…"').replace(/'[^']*'/g, "'…'") : raw;
  const reduced = new Error(message) as ReducedError;
  // The driver's class name is minified in Next's bundles ('l: new row …'): one plain name instead.
  reduced.name = code ? 'DatabaseError' : 'Error';
  for (const field of SAFE_FIELDS)
    if (typeof source[field] === 'string') (reduced as unknown as Record<string, string>)[field] = source[field];
  // This error's own stack, not the driver's: the driver's first line repeats its message.
  reduced.stack = `${reduced.name}: ${message}`;
  return reduced;
}

/** drizzle's wrapper for a failed query, recognised without importing it (its message holds the parameters). */
function isDrizzleQueryError(error: unknown): error is Error & { query: string; params: unknown[] } {
  return error instanceof Error && 'query' in error && 'params' in error && error.message.startsWith('Failed query:');
}

/**
 * Every query drizzle runs (both drivers, transactions included) goes through PgPreparedQuery's
 * queryWithCache, which wraps a driver error as `Failed query: … params: …` — the parameters in clear
 * (a phone, a name), printed by Next as it is. Installed once per copy of drizzle: the same failure is
 * rethrown as a DatabaseQueryError. (Tested in tests/integration/query-errors.test.ts: drizzle is pinned,
 * and the test fails if a new version moves the wrapping elsewhere.)
 */
export function redactQueryErrors(preparedQuery: { prototype: object }): void {
  const proto = preparedQuery.prototype as { queryWithCache?: (...args: unknown[]) => Promise<unknown>; __redacted?: true };
  const original = proto.queryWithCache;
  if (proto.__redacted || typeof original !== 'function') return;
  proto.queryWithCache = async function (this: unknown, ...args: unknown[]) {
    try {
      return await original.apply(this, args);
    } catch (error) {
      if (isDrizzleQueryError(error)) throw new DatabaseQueryError(error.query, error.cause);
      throw error;
    }
  };
  proto.__redacted = true;
}
