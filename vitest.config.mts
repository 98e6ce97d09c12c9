import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: {
      '@': path.dirname(fileURLToPath(import.meta.url)),
      // Tests import server modules directly; outside Next's react-server layer the marker would throw.
      'server-only': path.join(path.dirname(fileURLToPath(import.meta.url)), 'node_modules/server-only/empty.js'),
    },
  },
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    globalSetup: ['tests/setup/global-setup.ts'],
    environment: 'node',
    // Generous: CI runs vitest beside Playwright on 2 cores, where the heaviest database tests (retention's
    // 40 days of records, sign-in-bounds' day of guesses) have taken 30–50 s; alone they take 10–25 s.
    testTimeout: 90_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
