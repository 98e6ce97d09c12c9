import 'server-only';
import { sql } from 'drizzle-orm';
import type { DbOrTx } from './index';
import { rowsOf } from './index';
import { APP_ROLE, OWNER_ROLE, urlAsRole, urlWithDatabase } from './role-names';

/**
 * Creates the owner and app roles on a server if they are missing (cluster-wide; concurrent callers are
 * fine). For development, tests, CI, the bench and the drill on a local server with trust authentication:
 * no passwords. Production creates its roles with passwords by hand (README, "Database roles").
 * `adminUrl` connects as a superuser (or a role with CREATEROLE).
 */
export async function ensureRoles(adminUrl: string): Promise<void> {
  const { default: postgres } = await import('postgres');
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    for (const role of [OWNER_ROLE, APP_ROLE]) {
      // Two processes may create it at once: the loser's duplicate is what we wanted anyway.
      await admin.unsafe(`
        do $$ begin
          if not exists (select 1 from pg_roles where rolname = '${role}') then
            create role "${role}" login nosuperuser nocreatedb nocreaterole noreplication nobypassrls;
          end if;
        exception when duplicate_object or unique_violation then null;
        end $$`);
    }
  } finally {
    await admin.end();
  }
}

/**
 * Creates database `name` (optionally as a copy of `template`) owned by the owner role, and returns the
 * owner's and the app's URLs for it. `adminUrl` is a superuser's URL on the same server.
 */
export async function createOwnedDatabase(
  adminUrl: string,
  name: string,
  opts: { template?: string; replace?: boolean } = {},
): Promise<{ ownerUrl: string; appUrl: string }> {
  const { default: postgres } = await import('postgres');
  const admin = postgres(urlWithDatabase(adminUrl, 'postgres'), { max: 1, onnotice: () => {} });
  try {
    if (opts.replace) await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.unsafe(`create database "${name}"${opts.template ? ` template "${opts.template}"` : ''} owner "${OWNER_ROLE}"`);
  } finally {
    await admin.end();
  }
  return { ownerUrl: urlAsRole(adminUrl, OWNER_ROLE, name), appUrl: urlAsRole(adminUrl, APP_ROLE, name) };
}

/**
 * Why the connected role must not run the app (SPEC L5): empty when it owns nothing and holds no
 * attribute that bypasses the rules. A superuser, a table's owner (or a member of its role), the owner of
 * the database or of the schema, a role that may create objects in the schema, create roles, bypass row
 * security or replicate could switch the append-only triggers off or drop the tables.
 */
export async function appRoleProblems(db: DbOrTx): Promise<string[]> {
  const [r] = rowsOf<{
    role: string;
    superuser: boolean;
    bypassrls: boolean;
    replication: boolean;
    createrole: boolean;
    tables: string | null;
    functions: string | null;
    owns_database: boolean;
    owns_schema: boolean;
    can_create: boolean;
  }>(
    await db.execute(sql`
      select r.rolname as role, r.rolsuper as superuser, r.rolbypassrls as bypassrls, r.rolreplication as replication,
             r.rolcreaterole as createrole,
             (select string_agg(t.tablename, ', ' order by t.tablename) from pg_tables t
               where t.schemaname = 'public' and pg_has_role(current_user, t.tableowner, 'MEMBER')) as tables,
             (select string_agg(p.proname, ', ' order by p.proname) from pg_proc p join pg_namespace n on n.oid = p.pronamespace
               where n.nspname = 'public' and pg_has_role(current_user, p.proowner, 'MEMBER')) as functions,
             pg_has_role(current_user, (select datdba from pg_database where datname = current_database()), 'MEMBER') as owns_database,
             pg_has_role(current_user, (select nspowner from pg_namespace where nspname = 'public'), 'MEMBER') as owns_schema,
             has_schema_privilege(current_user, 'public', 'CREATE') as can_create
        from pg_roles r where r.rolname = current_user`),
  );
  const problems: string[] = [];
  const who = `the role ${r.role}`;
  if (r.superuser) problems.push(`${who} is a superuser`);
  if (r.tables) problems.push(`${who} owns tables (${r.tables.length > 200 ? `${r.tables.slice(0, 200)}…` : r.tables})`);
  if (r.functions) problems.push(`${who} owns functions (${r.functions})`);
  if (r.owns_database) problems.push(`${who} owns the database`);
  if (r.owns_schema) problems.push(`${who} owns the schema public`);
  if (r.can_create && !r.owns_schema) problems.push(`${who} may create objects in the schema public`);
  if (r.bypassrls) problems.push(`${who} has BYPASSRLS`);
  if (r.replication) problems.push(`${who} has REPLICATION`);
  if (r.createrole) problems.push(`${who} has CREATEROLE (it could make itself a member of the owner)`);
  return problems;
}
