import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { runDir, serverEnv } from './config';
import { readSeeded } from './seeded';

/**
 * Global teardown (issue #9): the production server's whole log for this run (stdout and stderr, see
 * playwright.config.ts) must contain no seeded name, phone number or ID number. Fails the run if it does.
 */
export default function checkServerLog() {
  const logFile = path.join(runDir, 'server.log');
  if (!existsSync(logFile)) throw new Error(`no server log at ${logFile}: the webServer command must write it`);
  const log = readFileSync(logFile, 'utf8');
  const seeded = readSeeded();
  const values = new Set<string>(serverEnv.HEALTH_OFFICIAL_PHONES.split(','));
  for (const s of seeded) for (const v of [s.phone, s.name, s.idNumber, s.idNumber?.slice(0, 17)]) if (v) values.add(v);
  const found = [...values].filter((v) => log.includes(v));
  const lines = log.split('\n').length;
  if (found.length > 0) {
    const examples = found.slice(0, 5).map((v) =>
      log
        .split('\n')
        .find((l) => l.includes(v))
        ?.slice(0, 300),
    );
    throw new Error(
      `personal data in the server log (${found.length} values, e.g. ${found.slice(0, 5).join(', ')}):\n${examples.join('\n')}`,
    );
  }
  console.log(`server log: ${lines} lines searched for ${values.size} seeded names, phone numbers and ID numbers — none found`);
}
