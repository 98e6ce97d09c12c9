import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import { assertLocalDatabase, baseURL, chromiumArgs, chromiumPath, port, runDir, serverEnv, sinkPort } from './tests/e2e/support/config';

// End-to-end tests run the production build (scripts/test.sh builds it first) in Chromium.
assertLocalDatabase(process.env.DATABASE_URL);

export default defineConfig({
  testDir: 'tests/e2e',
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
    {
      name: 'phone',
      use: { ...devices['Pixel 7'], viewport: { width: 390, height: 844 }, launchOptions: { executablePath: chromiumPath(), args: chromiumArgs } },
    },
  ],
  webServer: [
    {
      command: `node tests/e2e/support/otp-sink.mjs ${sinkPort}`,
      url: `http://127.0.0.1:${sinkPort}/health`,
      reuseExistingServer: false,
    },
    {
      command: `npx next start -p ${port}`,
      url: `${baseURL}/sign-in`,
      env: serverEnv,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: 'pipe',
      stderr: 'pipe',
    },
  ],
});
