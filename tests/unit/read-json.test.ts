import { describe, expect, it } from 'vitest';
import { readJsonBody } from '@/lib/http/read-json';

const JSON_TYPE = { 'content-type': 'application/json' };

function post(body: BodyInit | null, headers: Record<string, string> = JSON_TYPE) {
  return new Request('http://x', { method: 'POST', headers, body });
}

/** A streamed body with no content-length, delivered in the given chunks. */
function streamed(chunks: Uint8Array[], headers: Record<string, string> = JSON_TYPE) {
  let pulls = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulls < chunks.length) controller.enqueue(chunks[pulls++]);
      else controller.close();
    },
  });
  const req = new Request('http://x', { method: 'POST', headers, body: stream, duplex: 'half' } as RequestInit & { duplex: 'half' });
  return { req, pulled: () => pulls };
}

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

describe('readJsonBody', () => {
  it('reads a good body', async () => {
    expect(await readJsonBody(post('{"a":[1,{"b":"张三"}],"c":null}'), 1024)).toEqual({
      ok: true,
      value: { a: [1, { b: '张三' }], c: null },
    });
    expect(await readJsonBody(post('{"a":1}', { 'content-type': 'application/json; charset=utf-8' }), 1024)).toEqual({
      ok: true,
      value: { a: 1 },
    });
    expect(await readJsonBody(post('"x"', { 'content-type': 'Application/JSON' }), 1024)).toEqual({ ok: true, value: 'x' });
  });

  it('refuses a wrong or missing content type with 415', async () => {
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/jsonp',
      'text/json',
      '',
    ]) {
      const headers: Record<string, string> = type ? { 'content-type': type } : {};
      const result = await readJsonBody(post('{"a":1}', headers), 1024);
      expect(result, type).toMatchObject({ ok: false, status: 415 });
    }
    // new Request() defaults a string body to text/plain.
    expect(await readJsonBody(new Request('http://x', { method: 'POST', body: '{}' }), 1024)).toMatchObject({ ok: false, status: 415 });
  });

  it('refuses a declared content-length over the cap with 413 before reading', async () => {
    const result = await readJsonBody(post('{"a":1}', { ...JSON_TYPE, 'content-length': '100000' }), 1024);
    expect(result).toEqual({ ok: false, status: 413, error: 'body_too_large' });
  });

  it('refuses a streamed body without a length once it passes the cap, without reading the rest', async () => {
    const chunk = new TextEncoder().encode(`"${'a'.repeat(510)}",`);
    const { req, pulled } = streamed(Array.from({ length: 100 }, () => chunk));
    expect(req.headers.get('content-length')).toBeNull();
    expect(await readJsonBody(req, 2048)).toEqual({ ok: false, status: 413, error: 'body_too_large' });
    expect(pulled()).toBeLessThan(20);
  });

  it('refuses a body that lies about its length (declared small, sent large)', async () => {
    const chunk = new TextEncoder().encode('a'.repeat(1000));
    const { req } = streamed([chunk, chunk, chunk], { ...JSON_TYPE, 'content-length': '10' });
    expect(await readJsonBody(req, 2048)).toMatchObject({ ok: false, status: 413 });
  });

  it('accepts a body of exactly the cap, streamed in pieces', async () => {
    const text = `{"k":"${'x'.repeat(1024 - 8)}"}`;
    expect(new TextEncoder().encode(text).length).toBe(1024);
    const bytes = new TextEncoder().encode(text);
    const { req } = streamed([bytes.subarray(0, 300), bytes.subarray(300, 700), bytes.subarray(700)]);
    expect(await readJsonBody(req, 1024)).toMatchObject({ ok: true });
    expect(await readJsonBody(streamed([bytes, new Uint8Array([0x20])]).req, 1024)).toMatchObject({ ok: false, status: 413 });
  });

  it('decodes a multi-byte character split across chunks', async () => {
    const bytes = new TextEncoder().encode('{"name":"张三"}');
    const i = bytes.indexOf(0xe5) + 1; // inside 张
    const { req } = streamed([bytes.subarray(0, i), bytes.subarray(i)]);
    expect(await readJsonBody(req, 1024)).toEqual({ ok: true, value: { name: '张三' } });
  });

  it('refuses invalid UTF-8 with 400 invalid_utf8', async () => {
    for (const bytes of [
      [0x22, 0xff, 0xfe, 0x22],
      [0x22, 0xc3, 0x22], // truncated 2-byte sequence
      [0x22, 0xed, 0xa0, 0x80, 0x22], // encoded surrogate
      [0x22, 0xc0, 0xaf, 0x22], // overlong '/'
    ]) {
      expect(await readJsonBody(post(new Uint8Array(bytes)), 1024)).toEqual({ ok: false, status: 400, error: 'invalid_utf8' });
    }
  });

  it('allows depth 16 and refuses depth 17 with json_too_deep', async () => {
    expect(await readJsonBody(post(nested(16)), 1024)).toMatchObject({ ok: true });
    expect(await readJsonBody(post(nested(17)), 1024)).toEqual({ ok: false, status: 400, error: 'json_too_deep' });
    const objects = (d: number) => '{"a":'.repeat(d) + '1' + '}'.repeat(d);
    expect(await readJsonBody(post(objects(16)), 1024)).toMatchObject({ ok: true });
    expect(await readJsonBody(post(objects(17)), 1024)).toMatchObject({ ok: false, error: 'json_too_deep' });
    // Depth is the maximum nesting, not the number of brackets.
    expect(await readJsonBody(post(`[${Array.from({ length: 40 }, () => '[[]]').join(',')}]`), 1024)).toMatchObject({ ok: true });
    // A custom limit.
    expect(await readJsonBody(post(nested(3)), 1024, 2)).toMatchObject({ ok: false, error: 'json_too_deep' });
  });

  it('does not count brackets inside strings, including after escaped quotes', async () => {
    expect(await readJsonBody(post(`{"a":"${'['.repeat(50)}${'{'.repeat(50)}"}`), 1024)).toEqual({
      ok: true,
      value: { a: '['.repeat(50) + '{'.repeat(50) },
    });
    const tricky = `{"a":"\\"${'['.repeat(30)}\\\\","b":[1]}`;
    expect(await readJsonBody(post(tricky), 1024)).toEqual({ ok: true, value: { a: `"${'['.repeat(30)}\\`, b: [1] } });
    // An escaped backslash ends right before the closing quote: the brackets after it are real.
    expect(await readJsonBody(post(`["\\\\",${nested(16)}]`), 1024)).toMatchObject({ ok: false, error: 'json_too_deep' });
  });

  it('refuses invalid JSON and an empty body with 400', async () => {
    for (const text of ['{', '{"a":}', "{'a':1}", 'undefined', '{"a":1}}', '[1,]', 'NaN']) {
      expect(await readJsonBody(post(text), 1024), text).toEqual({ ok: false, status: 400, error: 'invalid_json' });
    }
    expect(await readJsonBody(post(''), 1024)).toMatchObject({ ok: false, status: 400 });
    expect(await readJsonBody(post(null), 1024)).toEqual({ ok: false, status: 400, error: 'empty_body' });
  });
});
