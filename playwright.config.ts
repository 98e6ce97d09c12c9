import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import {
  assertLocalDatabase,
  baseURL,
  chromiumArgs,
  chromiumPath,
  e2eDatabase,
  port,
  runDir,
  serverEnv,
  sinkPort,
} from './tests/e2e/support/config';

// End-to-end tests run the production build (scripts/test.sh builds it first) in Chromium.
// Projects: `setup` signs the shared accounts in once and saves their storage state (tests/e2e/shared.setup.ts);
// `phone` is the suite. .ci/run runs all of it on PostgreSQL and, on PGlite, only the tests tagged @smoke
// (the core journey) or @pglite (a branch of its own on PGlite);
// `screens` (screenshots for people to look at) only with E2E_SCREENS=1 — `npm run screens`.
assertLocalDatabase(process.env.DATABASE_URL);
const phone = {
  ...devices['Pixel 7'],
  viewport: { width: 390, height: 844 },
  launchOptions: { executablePath: chromiumPath(), args: chromiumArgs },
};

export default defineConfig({
  testDir: 'tests/e2e',
  tsconfig: './tests/e2e/tsconfig.json',
  outputDir: path.join(runDir, 'results'),
  fullyParallel: true,
  workers: 2,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    baseURL,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: { executablePath: chromiumPath(), args: chromiumArgs },
  },
  projects: [
    { name: 'setup', testMatch: /\.setup\.ts$/, use: phone },
    { name: 'phone', dependencies: ['setup'], testIgnore: /screens\.spec\.ts$/, use: phone },
    ...(process.env.E2E_SCREENS ? [{ name: 'screens', testMatch: /screens\.spec\.ts$/, use: phone }] : []),
  ],
  globalTeardown: './tests/e2e/support/log-check.ts',
  webServer: [
    {
      command: `node tests/e2e/support/otp-sink.mjs ${sinkPort}`,
      url: `http://127.0.0.1:${sinkPort}/health`,
      reuseExistingServer: false,
    },
    {
      // Through the production launcher (npm run serve), as deployed: its own answers (malformed paths,
      // cross-origin actions) are part of what is tested. One worker: the tests share one server's state.
      // The server's whole output also goes to the run folder: the global teardown searches it for personal data.
      // On a PostgreSQL server the database is set up and migrated first, as the owner (e2eDatabase).
      command: `bash -c 'set -o pipefail; ${e2eDatabase?.setupCommand ? `${e2eDatabase.setupCommand} && ` : ''}node scripts/serve.mjs 2>&1 | tee -a "${path.join(runDir, 'server.log')}"'`,
      url: `${baseURL}/sign-in`,
      // The launcher stamps each socket's address (no proxy in front): TRUSTED_PROXY_HOPS=0.
      env: { ...serverEnv, PORT: String(port), WEB_CONCURRENCY: '1', TRUSTED_PROXY_HOPS: '0' },
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: 'pipe',
      stderr: 'pipe',
    },
  ],
});
