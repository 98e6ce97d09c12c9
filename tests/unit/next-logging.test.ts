import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// Issue #16: in development Next logs each server action call with its arguments — the ID registration
// form's state, a nearly correct ID number. next.config.js turns that log off.
describe('next.config.js logging', () => {
  it('does not log server action calls (their arguments are form state)', () => {
    const config = createRequire(import.meta.url)('../../next.config.js') as { logging?: { serverFunctions?: boolean } | false };
    expect(config.logging === false || config.logging?.serverFunctions === false).toBe(true);
  });
});
