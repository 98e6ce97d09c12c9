import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { runDir } from './config';

// Every phone number, name and ID number a test invents is written here, so the end of the run can
// search the server's log for them (tests/e2e/support/log-check.ts).
export type SeededPii = { phone?: string; name?: string; idNumber?: string };
const file = () => path.join(runDir, 'seeded-pii.jsonl');

export function recordSeeded(pii: SeededPii) {
  appendFileSync(file(), `${JSON.stringify(pii)}\n`);
}

export function readSeeded(): SeededPii[] {
  if (!existsSync(file())) return [];
  return readFileSync(file(), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as SeededPii);
}
