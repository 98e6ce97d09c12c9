import { spawn } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { serverEnv } from './support/config';

function startProduction(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    // Through the launcher, as deployed: a worker refused at start-up stops it with the worker's exit code.
    const port = String(3190 + Number(process.env.TEST_PARALLEL_INDEX ?? 0));
    const child = spawn(process.execPath, ['scripts/serve.mjs'], {
      env: { ...process.env, ...serverEnv, PGLITE_DIR: '', PORT: port, WEB_CONCURRENCY: '1', ...env },
    });
    let output = '';
    let nudged = false;
    const read = (d: Buffer) => {
      output += d;
      // Instrumentation may run only on the first request in some versions: nudge it once it is ready.
      if (!nudged && /ready on/.test(output)) {
        nudged = true;
        void fetch(`http://localhost:${port}/`).catch(() => {});
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
