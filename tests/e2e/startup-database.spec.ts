import { spawn } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { e2eDatabase, port, serverEnv } from './support/config';

// SPEC L5 at the real start-up path (instrumentation.ts → lib/server-start.ts → db/index.ts): a production
// server connected as the tables' owner, or handed the owner's URL, refuses to start and says why.
test.skip(!e2eDatabase, 'needs the PostgreSQL server (PGlite is one role)');

function startProduction(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const p = port + 80 + Number(process.env.TEST_PARALLEL_INDEX ?? 0);
  return new Promise((resolve) => {
    const child = spawn('npx', ['next', 'start', '-p', String(p)], { env: { ...process.env, ...serverEnv, ...env } });
    let output = '';
    let nudged = false;
    const read = (d: Buffer) => {
      output += d;
      // Instrumentation may wait for the first request: nudge the server once it is ready.
      if (!nudged && /Ready in/.test(output)) {
        nudged = true;
        void fetch(`http://localhost:${p}/`).catch(() => {});
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

test('production refuses to start as the owner of the tables', async () => {
  const { code, output } = await startProduction({ DATABASE_URL: e2eDatabase!.ownerUrl });
  expect(code).toBe(1);
  expect(output).toContain('Refusing to start');
  expect(output).toMatch(/owns tables/);
});

test('production refuses to start when it is handed the owner URL', async () => {
  const { code, output } = await startProduction({ MIGRATION_DATABASE_URL: e2eDatabase!.ownerUrl });
  expect(code).toBe(1);
  expect(output).toContain('Refusing to start');
  expect(output).toContain('MIGRATION_DATABASE_URL');
});
