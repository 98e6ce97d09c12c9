// The two PostgreSQL roles (SPEC L5), by fixed names: the owner runs the migrations (`npm run migrate`)
// and owns every table; the app's role owns nothing and holds only the grants of db/grants.ts. PGlite
// is one role and needs neither. No secrets here, and no server-only marker: Playwright's config reads it.

export const OWNER_ROLE = 'venues_owner';
export const APP_ROLE = 'venues_app';

/** The same server and database as `url`, connecting as `role` (no password: trust on a local server). */
export function urlAsRole(url: string, role: string, database?: string): string {
  const u = new URL(url);
  u.username = role;
  u.password = '';
  if (database) u.pathname = `/${database}`;
  return u.toString();
}

/** The same server and role as `url`, another database. */
export function urlWithDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
