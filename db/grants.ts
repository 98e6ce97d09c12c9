import 'server-only';
import type postgres from 'postgres';
import { APP_ROLE } from './role-names';

/**
 * What the app's role may do, table by table (SPEC L5): exactly what the code needs, decided here, and
 * nothing on the evidence tables beyond reading and appending. Applied by every `npm run migrate`
 * (applyAppGrants) after the migrations, so this file — not the history of migrations — is the one place
 * to read the decision, and a grant made by hand is taken back at the next migrate.
 *
 * A table missing here gets DEFAULT_TABLE_PRIVILEGES (also the owner's default privileges, so a table
 * created outside `npm run migrate` starts the same way): read and append only. Code that updates or
 * deletes in a new table fails with "permission denied" until its line is added here, and the grants
 * test (tests/integration/least-privilege.test.ts) fails until the decision is written down.
 */
type Privilege = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';
const READ_APPEND: Privilege[] = ['SELECT', 'INSERT'];
const READ_WRITE: Privilege[] = ['SELECT', 'INSERT', 'UPDATE'];
const ALL_ROWS: Privilege[] = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'];

export const DEFAULT_TABLE_PRIVILEGES = READ_APPEND;

export const APP_TABLE_PRIVILEGES: Record<string, Privilege[]> = {
  // Append-only evidence (refuse_change triggers as well): never UPDATE, DELETE or TRUNCATE.
  checkins: READ_APPEND,
  audit_log: READ_APPEND,
  status_changes: READ_APPEND,
  // Written once, never changed by the code.
  status_import_batches: READ_APPEND,
  venue_info_edits: READ_APPEND,
  // An ended code (re-issue) never changes (refuse_change trigger as well).
  person_code_history: READ_APPEND,
  // A person's documents (first and renewed passports): added, never changed (a trigger as well); gone with the person.
  person_documents: READ_APPEND,
  // Rows with a life cycle (consumed, revoked, approved, resolved, claimed); SELECT … FOR UPDATE needs UPDATE too.
  // Ended sessions, codes older than a day and resolved requests past the retention period are deleted by
  // the retention job (SPEC L4, lib/retention).
  auth_sessions: ALL_ROWS,
  // Phone changed, deleted (phone freed, deleted_at set) (SPEC L2); the row stays: records name its id.
  accounts: READ_WRITE,
  account_phone_changes: ALL_ROWS,
  account_deletions: READ_WRITE,
  link_requests: ALL_ROWS,
  sign_in_codes: ALL_ROWS,
  persons: READ_WRITE,
  venues: READ_WRITE,
  checker_bindings: READ_WRITE,
  checker_removals: READ_WRITE,
  admin_replacements: READ_WRITE,
  job_runs: READ_WRITE,
  // Renamed and soft-deleted (removed_at), never deleted (a trigger refuses it as well).
  venue_entrances: READ_WRITE,
  // A guardian removed is a row deleted.
  guardianships: ['SELECT', 'INSERT', 'DELETE'],
  // Counters and derived data: upserted, pruned, rebuilt.
  rate_limits: ALL_ROWS,
  checkin_rollup_queue: ALL_ROWS,
  venue_day_stats: ALL_ROWS,
  venue_hour_stats: ALL_ROWS,
  venue_visitor_days: ALL_ROWS,
  venue_day_demographics: ALL_ROWS,
  checker_day_stats: ALL_ROWS,
  venue_entrance_day_stats: ALL_ROWS,
  // 亮码记录: kept three days (H6), then pruned by the retention job.
  code_displays: ['SELECT', 'INSERT', 'DELETE'],
  // Short links of the sunflower code: pruned once their token has expired.
  quick_links: ALL_ROWS,
  // Notices are never edited; old ones are pruned (lib/jobs/jobs.ts). The outbox is a queue.
  notices: ['SELECT', 'INSERT', 'DELETE'],
  notice_reads: ['SELECT', 'INSERT', 'DELETE'],
  notice_outbox: ALL_ROWS,
  // 短信提醒: the admin's settings (and the digest cursor); a message's life cycle (pending → sent/failed).
  venue_alert_settings: READ_WRITE,
  // Texts name the admin's phone: deleted after the retention period.
  alert_messages: ALL_ROWS,
  // Marks of venues with notices to digest (a trigger on notices sets them); cleared once accounted for.
  alert_pending: ALL_ROWS,
  // An official's role: its region changed, or revoked (deleted; the audit log keeps the history) (SPEC T1).
  account_roles: ALL_ROWS,
  // 流调 (SPEC T2–T4): cases are closed and their windows changed, contacts cleared; nothing deleted
  // (triggers refuse it). The timeline and the hand-offs are append-only.
  trace_cases: READ_WRITE,
  trace_case_contacts: READ_WRITE,
  trace_case_events: READ_APPEND,
  trace_handoffs: READ_APPEND,
  // SPEC T6: a red code at a door, verified then handled (upserted; each step audited).
  door_red_followups: READ_WRITE,
  // SPEC L2: a resident's request to correct an identity, applied or refused by an official.
  identity_corrections: READ_WRITE,
  // Erased persons whose last links the retention function cuts: only the owner's functions touch it.
  erased_person_links: [],
};

/** Functions the app calls by name; every other function of the schema is only ever run by a trigger. */
export const APP_FUNCTIONS = ['checkin_insert', 'checkins_cut_person_links', 'person_erase'];

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Makes the app role's privileges exactly the ones above, in one transaction (other sessions never see a
 * half-granted schema). Run as the owner of the tables, after the migrations. Returns the tables that had
 * no entry (they got the default).
 */
export async function applyAppGrants(sql: postgres.Sql): Promise<string[]> {
  const [role] = await sql`select 1 from pg_roles where rolname = ${APP_ROLE}`;
  if (!role) {
    throw new Error(
      `The app's role ${APP_ROLE} does not exist. Create it first (README, "Database roles"): CREATE ROLE ${APP_ROLE} LOGIN PASSWORD '…';`,
    );
  }
  const tables = (await sql<{ name: string }[]>`select tablename as name from pg_tables where schemaname = 'public' order by 1`).map(
    (r) => r.name,
  );
  const functions = await sql<{ signature: string; name: string }[]>`
    select p.oid::regprocedure::text as signature, p.proname as name
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace
     where n.nspname = 'public' and p.prokind = 'f'`;
  const app = ident(APP_ROLE);
  const undecided = tables.filter((t) => !(t in APP_TABLE_PRIVILEGES));
  await sql.begin(async (tx) => {
    const run = (text: string) => tx.unsafe(text);
    // Nobody but the owner creates objects in the schema (PostgreSQL 15's default; older databases granted it to PUBLIC).
    await run(`revoke create on schema public from public`);
    await run(`grant usage on schema public to ${app}`);
    await run(`revoke all on all tables in schema public from ${app}`);
    await run(`revoke all on all sequences in schema public from ${app}`);
    for (const table of tables) {
      const privileges = APP_TABLE_PRIVILEGES[table] ?? DEFAULT_TABLE_PRIVILEGES;
      if (privileges.length > 0) await run(`grant ${privileges.join(', ')} on table ${ident(table)} to ${app}`);
    }
    await run(`grant usage on all sequences in schema public to ${app}`);
    // Functions are executable by PUBLIC by default; only the ones the app calls stay so (triggers fire regardless).
    await run(`revoke execute on all functions in schema public from public`);
    for (const f of functions) {
      const name = f.signature;
      await run(
        APP_FUNCTIONS.includes(f.name) ? `grant execute on function ${name} to ${app}` : `revoke execute on function ${name} from ${app}`,
      );
    }
    // The app checks at start-up that the schema is up to date: it reads drizzle's journal, nothing else there.
    await run(`grant usage on schema drizzle to ${app}`);
    await run(`grant select on drizzle.__drizzle_migrations to ${app}`);
    // Tables and sequences this role creates later (outside `npm run migrate` too) start read-and-append.
    await run(`alter default privileges in schema public grant ${DEFAULT_TABLE_PRIVILEGES.join(', ')} on tables to ${app}`);
    await run(`alter default privileges in schema public grant usage on sequences to ${app}`);
    // (Not per schema: EXECUTE for PUBLIC is a global default, which a per-schema entry cannot take away.)
    await run(`alter default privileges revoke execute on functions from public`);
  });
  return undecided;
}
