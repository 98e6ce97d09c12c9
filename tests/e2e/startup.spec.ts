import { spawn } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { serverEnv } from './support/config';

function startProduction(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('npx', ['next', 'start', '-p', String(3190 + Number(process.env.TEST_PARALLEL_INDEX ?? 0))], {
      env: { ...process.env, ...serverEnv, PGLITE_DIR: '', ...env },
    });
    let output = '';
    let nudged = false;
    const read = (d: Buffer) => {
      output += d;
      // next start only runs instrumentation on the first request in some versions: nudge it once it is ready.
      if (!nudged && /Ready in/.test(output)) {
        nudged = true;
        void fetch(`http://localhost:${3190 + Number(process.env.TEST_PARALLEL_INDEX ?? 0)}/`).catch(() => {});
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

test('production refuses to start with the development code sender', async () => {
  const { code, output } = await startProduction({ OTP_SENDER: 'dev' });
  expect(code).toBe(1);
  expect(output).toContain('Refusing to start');
  expect(output).toContain('OTP_SENDER=dev');
});

test('production refuses to start with the development secret', async () => {
  const { code, output } = await startProduction({ NEXTAUTH_SECRET: 'development-only-secret-do-not-use-in-production' });
  expect(code).toBe(1);
  expect(output).toContain('NEXTAUTH_SECRET');
});
