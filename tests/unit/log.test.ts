import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, scrubText } from '@/lib/log';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { logger: createLogger(stream), lines };
}

describe('the logger keeps personal data out', () => {
  it('masks phone numbers, ID numbers, codes and tokens in messages and values', () => {
    const { logger, lines } = capture();
    logger.info(
      { phone: '13812345678', details: { note: 'called 13812345678 about 44010619900307123X' }, code: '123456' },
      'sign-in for 13812345678 with 654321',
    );
    logger.warn({ err: new Error('token eyJhbGciOiJFZERTQSJ9.eyJwIjoxfQ.c2lnbmF0dXJl rejected') }, 'bad');
    const out = lines.join('\n');
    for (const secret of ['13812345678', '44010619900307123X', '123456', '654321', 'eyJhbGciOiJFZERTQSJ9']) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('[phone]');
    expect(out).toContain('[redacted]');
  });

  it('leaves ordinary text alone', () => {
    expect(scrubText('database ready in 2300 ms, 12 rows')).toBe('database ready in 2300 ms, 12 rows');
  });
});
