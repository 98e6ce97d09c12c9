import 'server-only';
import { getDatabase, holdDatabaseWhile, type DatabaseHandle } from '@/db';
import { isDatabaseSetupError } from '@/db/errors';
import { autovacuumIsOn } from '@/db/queries/database-settings';
import { DEMO_ACCOUNTS } from '@/lib/demo/accounts';
import { configurationWarnings, env, exportAuthOrigin, productionProblems } from './env';
import { log } from './log';

export async function startServer(): Promise<void> {
  let problems: string[];
  try {
    problems = productionProblems(env());
  } catch (error) {
    problems = [(error as Error).message];
  }
  if (problems.length > 0) {
    console.error(`Refusing to start: the configuration is not fit for production.\n- ${problems.join('\n- ')}`);
    process.exit(1);
  }
  const e = env();
  for (const warning of configurationWarnings(e)) log().warn(warning);
  exportAuthOrigin(e);
  if (e.NODE_ENV === 'development') {
    // A fresh clone's first page compiles while the database is created, migrated and seeded; anything that
    // asks for the database meanwhile waits until all of that is done (so it never sees a half-seeded demo).
    const ready = holdDatabaseWhile((open) => prepareDatabase(e, open));
    ready.catch((error) => {
      refuseUnfitDatabase(error);
      log().error({ err: error }, 'database start-up failed');
    });
  } else {
    await prepareDatabase(e, getDatabase).catch((error) => {
      refuseUnfitDatabase(error);
      throw error;
    });
  }
}

/** A database the app must not run on (schema behind, a role that could bend the rules: SPEC L5) stops the server. */
function refuseUnfitDatabase(error: unknown) {
  if (!isDatabaseSetupError(error)) return;
  console.error(`Refusing to start: ${error.message}`);
  process.exit(1);
}

async function prepareDatabase(e: ReturnType<typeof env>, open: () => Promise<DatabaseHandle>): Promise<void> {
  const { db, kind } = await open();
  log().info({ database: kind }, 'database ready');
  if (kind === 'postgres') {
    if (!(await autovacuumIsOn(db))) {
      // The rollup queue is a conveyor belt of deleted rows and the door's plans follow the statistics:
      // without autovacuum both degrade as the tables grow (docs/scaling.md).
      log().warn('PostgreSQL runs with autovacuum off: the rollup queue and the planner statistics will degrade; turn it on');
    }
  }
  if (e.HEALTH_OFFICIAL_PHONES.length > 0) {
    const { bootstrapOfficials } = await import('@/lib/health-code/officials');
    await bootstrapOfficials(db, e.HEALTH_OFFICIAL_PHONES);
  }
  const { startJobRunner } = await import('@/lib/jobs/start');
  startJobRunner();
  const seed = e.SEED_DEMO || (e.NODE_ENV === 'development' && kind === 'pglite');
  if (seed) {
    const { seedDemoIfEmpty } = await import('@/lib/demo/seed');
    if (await seedDemoIfEmpty(db)) {
      // Printed plainly (not through the scrubbing logger): these are public demo numbers.
      console.info(
        `Demo data seeded. Demo accounts:\n${DEMO_ACCOUNTS.map((d) => `  ${d.phone}  ${d.label.zh} / ${d.label.en}`).join('\n')}`,
      );
    }
  }
}
