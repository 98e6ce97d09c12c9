/**
 * `npm run db:setup -- postgres://postgres@127.0.0.1:5432/venues [--fresh]`: a local PostgreSQL database
 * for development, CI and the e2e server. With a superuser's URL it creates the roles venues_owner and
 * venues_app (no passwords: for a local server with trust authentication only) and the database owned by
 * venues_owner (when missing; --fresh drops it first), then prints the owner's and the app's URLs. Migrate
 * it next with `MIGRATION_DATABASE_URL=<owner URL> npm run migrate`. Production creates its roles with
 * passwords instead (README, "Database roles").
 */
import postgres from 'postgres';
import { APP_ROLE, OWNER_ROLE, urlAsRole, urlWithDatabase } from '@/db/role-names';
import { createOwnedDatabase, ensureRoles } from '@/db/roles';

async function main() {
  const args = process.argv.slice(2);
  const fresh = args.includes('--fresh');
  const adminUrl = args.find((a) => !a.startsWith('--'));
  if (!adminUrl) throw new Error('usage: npm run db:setup -- postgres://<superuser>@127.0.0.1:5432/<database> [--fresh]');
  const u = new URL(adminUrl);
  const name = decodeURIComponent(u.pathname.slice(1));
  if (!['localhost', '127.0.0.1', '::1', '[::1]'].includes(u.hostname))
    throw new Error(`db:setup is for a local server (got ${u.hostname})`);
  if (!name || name === 'postgres' || name.startsWith('template'))
    throw new Error('name a database of its own, not postgres or a template');
  await ensureRoles(urlWithDatabase(adminUrl, 'postgres'));
  const admin = postgres(urlWithDatabase(adminUrl, 'postgres'), { max: 1, onnotice: () => {} });
  try {
    const [existing] = await admin<{ owner: string }[]>`
      select pg_get_userbyid(datdba) as owner from pg_database where datname = ${name}`;
    if (!existing || fresh) await createOwnedDatabase(adminUrl, name, { replace: fresh });
    else if (existing.owner !== OWNER_ROLE) throw new Error(`database ${name} exists and belongs to ${existing.owner}, not ${OWNER_ROLE}`);
  } finally {
    await admin.end();
  }
  console.log(`MIGRATION_DATABASE_URL=${urlAsRole(adminUrl, OWNER_ROLE, name)}\nDATABASE_URL=${urlAsRole(adminUrl, APP_ROLE, name)}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
