import { inspect } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db';
import { isUniqueViolation, pgErrorCode } from '@/db/errors';
import { accounts } from '@/db/schema';
import { describeRequestError } from '@/lib/request-error';
import { createTestDb } from '../helpers/test-db';

// Issue #16: drizzle wrapped a driver error as `Failed query: … params: …` with the parameters in clear,
// and PostgreSQL's detail ("Key (phone)=(…) already exists") and context ("unnamed portal parameter $1 =
// '…'") went with it; Next printed all of that. A failed query now carries its SQL and its code only.

let h: DatabaseHandle;
beforeAll(async () => {
  h = await createTestDb();
});
afterAll(async () => {
  await h.close();
});

const PHONE = '13912340987';

async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (error) {
    return error;
  }
  throw new Error('expected the query to fail');
}

/** Everything a logger or Next's error overlay could print of an error, hidden properties and causes included. */
const everything = (error: unknown) =>
  [String(error), (error as Error).stack, inspect(error, { depth: 10, showHidden: true }), JSON.stringify(error)].join('\n');

describe('a failed query carries no parameters', () => {
  it('a unique violation: the code stays, the phone goes (drizzle builder, raw SQL, in a transaction)', async () => {
    await h.db.insert(accounts).values({ phone: PHONE });
    const errors = [
      await failure(h.db.insert(accounts).values({ phone: PHONE })),
      await failure(h.db.execute(sql`insert into accounts (phone) values (${PHONE})`)),
      await failure(h.db.transaction((tx) => tx.insert(accounts).values({ phone: PHONE }))),
    ];
    for (const error of errors) {
      expect(error).toMatchObject({ name: 'DatabaseQueryError' });
      expect((error as Error).message).toMatch(/^Failed query \(parameters withheld\): insert into "?accounts"?/);
      expect(pgErrorCode(error)).toBe('23505');
      expect(isUniqueViolation(error)).toBe(true);
      expect(everything(error)).not.toContain(PHONE);
      expect(everything(error)).not.toMatch(/params:/);
    }
  });

  it('a data exception: the value is masked in the message and the parameter context is dropped', async () => {
    const error = await failure(h.db.execute(sql`select ${PHONE}::int as n`));
    expect(pgErrorCode(error)).toBe('22003');
    expect(everything(error)).not.toContain(PHONE);
    expect((error as Error).message).toMatch(/out of range for type integer/);
  });

  it('onRequestError logs an error without a query string or parameters', () => {
    const drizzleShaped = Object.assign(new Error(`Failed query: select 1\nparams: ${PHONE}`), { digest: '123' });
    const logged = describeRequestError(
      drizzleShaped,
      { path: `/venue/stats?phone=${PHONE}`, method: 'GET' },
      { routePath: '/venue/stats', routeType: 'render' },
    );
    expect(JSON.stringify(logged)).not.toContain(PHONE);
    expect(logged).toMatchObject({
      path: '/venue/stats',
      route: '/venue/stats',
      digest: '123',
      error: { message: 'Failed query: select 1' },
    });
  });
});
