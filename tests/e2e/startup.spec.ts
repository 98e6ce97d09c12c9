import { spawn } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { serverEnv } from './support/config';

function startProduction(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('npx', ['next', 'start', '-p', String(3190 + Number(process.env.TEST_PARALLEL_INDEX ?? 0))], {
      env: { ...process.env, ...serverEnv, PGLITE_DIR: '', ...env },
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
    // next start only runs instrumentation on the first request in some versions: nudge it.
    setTimeout(() => void fetch(`http://localhost:${3190 + Number(process.env.TEST_PARALLEL_INDEX ?? 0)}/`).catch(() => {}), 2_000);
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
