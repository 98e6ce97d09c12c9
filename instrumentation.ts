import type { Instrumentation } from 'next';

// Runs once when a server process starts: checks the configuration, checks the database (PGlite is
// migrated; a PostgreSQL server must be up to date and the app's role must own nothing, SPEC L5), seeds
// demo data in development. A production server with an unfit configuration or database refuses to start.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { startServer } = await import('./lib/server-start');
  await startServer();
}

// Every error Next catches while answering a request, logged through the masking logger (lib/log.ts)
// without the request's query or a failed query's parameters (db/errors.ts redacts those at the source).
export const onRequestError: Instrumentation.onRequestError = async (error, request, context) => {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { reportRequestError } = await import('./lib/request-error');
  reportRequestError(error, request, context);
};
