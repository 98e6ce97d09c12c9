// Runs once when a server process starts: checks the configuration, migrates the database, seeds demo
// data in development. A production server with an unfit configuration refuses to start.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { startServer } = await import('./lib/server-start');
  await startServer();
}
