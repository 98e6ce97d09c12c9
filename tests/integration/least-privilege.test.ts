import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openAppDatabase, openDatabase, rowsOf, type DatabaseHandle } from '@/db';
import { pgErrorCode } from '@/db/errors';
import { APP_TABLE_PRIVILEGES } from '@/db/grants';
import { APP_ROLE, OWNER_ROLE, urlAsRole, urlWithDatabase } from '@/db/role-names';
import { appRoleProblems } from '@/db/roles';
import { asOwner, createTestDb } from '../helpers/test-db';

// SPEC L5: the app's database role owns nothing and cannot disable, drop or bypass the rules. On the
// PostgreSQL server only: PGlite is one role (the README says so).
const onServer = inject('dbTemplate').kind === 'postgres';

let h: DatabaseHandle;
let dbName = '';
beforeAll(async () => {
  h = await createTestDb();
  if (onServer) dbName = rowsOf<{ name: string }>(await h.db.execute(sql`select current_database() as name`))[0].name;
});
afterAll(async () => {
  await h.close();
});

/**
 * Every table's privileges for the app's role. A new table fails this until someone decides its grants
 * in db/grants.ts and writes them here too: read-and-append unless the code must change or remove rows.
 */
const EXPECTED_GRANTS: Record<string, string> = {
  account_deletions: 'INSERT, SELECT, UPDATE',
  account_phone_changes: 'DELETE, INSERT, SELECT, UPDATE',
  account_roles: 'DELETE, INSERT, SELECT, UPDATE',
  accounts: 'INSERT, SELECT, UPDATE',
  admin_replacements: 'INSERT, SELECT, UPDATE',
  alert_messages: 'DELETE, INSERT, SELECT, UPDATE',
  alert_pending: 'DELETE, INSERT, SELECT, UPDATE',
  audit_log: 'INSERT, SELECT',
  auth_sessions: 'DELETE, INSERT, SELECT, UPDATE',
  checker_bindings: 'INSERT, SELECT, UPDATE',
  checker_day_stats: 'DELETE, INSERT, SELECT, UPDATE',
  checker_removals: 'INSERT, SELECT, UPDATE',
  checkin_rollup_queue: 'DELETE, INSERT, SELECT, UPDATE',
  checkins: 'INSERT, SELECT',
  code_displays: 'DELETE, INSERT, SELECT',
  door_red_followups: 'INSERT, SELECT, UPDATE',
  erased_person_links: '',
  guardianships: 'DELETE, INSERT, SELECT',
  identity_corrections: 'INSERT, SELECT, UPDATE',
  job_runs: 'INSERT, SELECT, UPDATE',
  link_requests: 'DELETE, INSERT, SELECT, UPDATE',
  notice_outbox: 'DELETE, INSERT, SELECT, UPDATE',
  notice_reads: 'DELETE, INSERT, SELECT',
  notices: 'DELETE, INSERT, SELECT',
  person_code_history: 'INSERT, SELECT',
  person_documents: 'INSERT, SELECT',
  persons: 'INSERT, SELECT, UPDATE',
  quick_links: 'DELETE, INSERT, SELECT, UPDATE',
  rate_limits: 'DELETE, INSERT, SELECT, UPDATE',
  sign_in_codes: 'DELETE, INSERT, SELECT, UPDATE',
  status_changes: 'INSERT, SELECT',
  status_import_batches: 'INSERT, SELECT',
  trace_case_contacts: 'INSERT, SELECT, UPDATE',
  trace_case_events: 'INSERT, SELECT',
  trace_cases: 'INSERT, SELECT, UPDATE',
  trace_handoffs: 'INSERT, SELECT',
  venue_entrance_day_stats: 'DELETE, INSERT, SELECT, UPDATE',
  venue_entrances: 'INSERT, SELECT, UPDATE',
  venue_alert_settings: 'INSERT, SELECT, UPDATE',
  venue_day_demographics: 'DELETE, INSERT, SELECT, UPDATE',
  venue_day_stats: 'DELETE, INSERT, SELECT, UPDATE',
  venue_hour_stats: 'DELETE, INSERT, SELECT, UPDATE',
  venue_info_edits: 'INSERT, SELECT',
  venue_visitor_days: 'DELETE, INSERT, SELECT, UPDATE',
  venues: 'INSERT, SELECT, UPDATE',
};

async function refusal(statement: ReturnType<typeof sql>): Promise<string> {
  try {
    await h.db.execute(statement);
    return 'allowed';
  } catch (error) {
    return pgErrorCode(error) ?? String(error);
  }
}

describe.skipIf(!onServer)('the app role (PostgreSQL server)', () => {
  it('holds exactly the decided privileges on every table, and owns nothing', async () => {
    const rows = rowsOf<{ table: string; privileges: string | null; owner: string }>(
      await h.db.execute(sql`
        select t.tablename as "table", t.tableowner as owner,
               (select string_agg(g.privilege_type, ', ' order by g.privilege_type) from information_schema.role_table_grants g
                 where g.table_schema = 'public' and g.table_name = t.tablename and g.grantee = ${APP_ROLE}) as privileges
          from pg_tables t where t.schemaname = 'public' order by 1`),
    );
    expect(Object.fromEntries(rows.map((r) => [r.table, r.privileges ?? '']))).toEqual(EXPECTED_GRANTS);
    // Every table has its line in db/grants.ts (the decision), not just the default.
    expect(rows.map((r) => r.table).filter((t) => !(t in APP_TABLE_PRIVILEGES))).toEqual([]);
    expect(new Set(rows.map((r) => r.owner))).toEqual(new Set([OWNER_ROLE]));
  });

  it('may call checkin_insert, checkins_cut_person_links and person_erase and no other function of the schema', async () => {
    const rows = rowsOf<{ name: string; app: boolean; anyone: boolean }>(
      await h.db.execute(sql`
        select p.proname as name, has_function_privilege(${APP_ROLE}, p.oid, 'EXECUTE') as app,
               coalesce((select bool_or(a.grantee = 0) from aclexplode(p.proacl) a where a.privilege_type = 'EXECUTE'), false) as anyone
          from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'public' order by 1`),
    );
    expect(rows.filter((r) => r.app).map((r) => r.name)).toEqual(['checkin_insert', 'checkins_cut_person_links', 'person_erase']);
    expect(rows.filter((r) => r.anyone)).toEqual([]);
    expect(rows.map((r) => r.name)).toEqual(expect.arrayContaining(['refuse_change', 'refuse_invite_code_change']));
  });

  it('cannot change, remove or switch off the append-only records, nor the rules themselves', async () => {
    const attempts: Record<string, ReturnType<typeof sql>> = {
      'UPDATE checkins': sql`update checkins set temperature_deci = 370`,
      'DELETE checkins': sql`delete from checkins`,
      'UPDATE audit_log': sql`update audit_log set action = 'tampered'`,
      'DELETE audit_log': sql`delete from audit_log`,
      'UPDATE status_changes': sql`update status_changes set colour = 'green'`,
      'DELETE status_changes': sql`delete from status_changes`,
      'TRUNCATE checkins': sql`truncate checkins`,
      'TRUNCATE audit_log': sql`truncate audit_log`,
      'TRUNCATE status_changes': sql`truncate status_changes`,
      'DROP TRIGGER': sql`drop trigger checkins_append_only on checkins`,
      'ALTER TABLE … DISABLE TRIGGER': sql`alter table checkins disable trigger checkins_append_only`,
      'ALTER TABLE … DISABLE TRIGGER ALL': sql`alter table audit_log disable trigger all`,
      'SET session_replication_role': sql`set session_replication_role = replica`,
      'CREATE OR REPLACE FUNCTION refuse_change': sql.raw(
        `create or replace function refuse_change() returns trigger language plpgsql as $$ begin return new; end $$`,
      ),
      'DROP FUNCTION refuse_change': sql`drop function refuse_change() cascade`,
      'DROP TABLE checkins': sql`drop table checkins`,
      'ALTER TABLE checkins OWNER': sql.raw(`alter table checkins owner to ${APP_ROLE}`),
      'CREATE TABLE in public': sql`create table public.app_made (a int)`,
      'CREATE SCHEMA': sql`create schema app_made`,
      'DROP SCHEMA public': sql`drop schema public cascade`,
      'SET ROLE owner': sql.raw(`set role ${OWNER_ROLE}`),
      'ALTER ROLE … SUPERUSER': sql.raw(`alter role ${APP_ROLE} superuser`),
    };
    const outcomes: Record<string, string> = {};
    for (const [name, statement] of Object.entries(attempts)) outcomes[name] = await refusal(statement);
    expect(outcomes).toEqual(Object.fromEntries(Object.keys(attempts).map((k) => [k, '42501'])));
    // And the rules are all still there, switched on.
    const triggers = rowsOf<{ name: string; enabled: string }>(
      await h.db.execute(sql`select tgname as name, tgenabled as enabled from pg_trigger where not tgisinternal order by 1`),
    );
    expect(triggers).toEqual(
      expect.arrayContaining(
        ['audit_log_append_only', 'checkins_append_only', 'checkins_no_truncate', 'status_changes_append_only'].map((name) => ({
          name,
          enabled: 'O',
        })),
      ),
    );
  });

  it('the start-up check passes the app role and refuses the owner and a superuser', async () => {
    expect(await appRoleProblems(h.db)).toEqual([]);
    const ownerProblems = await asOwner(h, (db) => appRoleProblems(db));
    expect(ownerProblems.join('\n')).toMatch(/owns tables \(.*accounts/);
    expect(ownerProblems.join('\n')).toMatch(/owns the database/);
    const tmpl = inject('dbTemplate');
    if (tmpl.kind !== 'postgres') return;
    const superuser = await openDatabase({ kind: 'postgres', url: urlWithDatabase(tmpl.adminUrl, dbName), poolMax: 1 });
    try {
      expect((await appRoleProblems(superuser.db)).join('\n')).toMatch(/is a superuser/);
    } finally {
      await superuser.close();
    }
  });

  it('the app refuses to start as the owner, as a superuser, or when it was handed the owner URL', async () => {
    const tmpl = inject('dbTemplate');
    if (tmpl.kind !== 'postgres') return;
    const superuserUrl = urlWithDatabase(tmpl.adminUrl, dbName);
    await expect(openAppDatabase(superuserUrl, 1, false)).rejects.toThrow(/superuser[\s\S]*venues_app/);
    await expect(openAppDatabase(urlAsRole(tmpl.adminUrl, OWNER_ROLE, dbName), 1, false)).rejects.toMatchObject({
      name: 'DatabaseSetupError',
      message: expect.stringMatching(/owns tables/),
    });
    await expect(openAppDatabase(urlAsRole(tmpl.adminUrl, APP_ROLE, dbName), 1, true)).rejects.toThrow(/MIGRATION_DATABASE_URL/);
    const app = await openAppDatabase(urlAsRole(tmpl.adminUrl, APP_ROLE, dbName), 1, false);
    await app.close();
  });
});
