// The pieces every door shares: FormData read one way, zod problems as form codes, one reason → status
// map, and run-time codes turned into catalogue texts with the catalogue's own fallbacks.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import zh from '@/lib/i18n/messages/zh-CN.json';
import { errorMessage, messageOf } from '@/lib/i18n/message-of';
import { fieldErrorsOf, formList, formObject, formText } from '@/lib/server/action';
import { COMMON_REASONS, httpStatusOf, httpStatusOfRequest } from '@/lib/server/reasons';

/** A root translator over the Chinese catalogue, as next-intl's (`has`, and `{name}` values filled). */
function translator() {
  const get = (key: string) => key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], zh);
  const t = (key: string, values: Record<string, unknown> = {}) => {
    const text = get(key);
    if (typeof text !== 'string') throw new Error(`missing ${key}`);
    return text.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''));
  };
  t.has = (key: string) => typeof get(key) === 'string';
  return t as never;
}

describe('form input', () => {
  it('reads a field sent once as text, several times as a list, and drops files', () => {
    const form = new FormData();
    form.append('name', '欧阳');
    form.append('personId', 'a');
    form.append('personId', 'b');
    form.append('photo', new Blob(['x']), 'x.png');
    expect(formObject(form)).toEqual({ name: '欧阳', personId: ['a', 'b'] });
  });

  it('cuts text to its length and never refuses a missing field; a list keeps at most its maximum', () => {
    const schema = z.object({ phone: formText(5), personId: formList(2) });
    expect(schema.parse({ phone: '13800138000', personId: 'a' })).toEqual({ phone: '13800', personId: ['a'] });
    expect(schema.parse({})).toEqual({ phone: '', personId: [] });
    expect(schema.parse({ personId: ['a', 'b', 'c'] }).personId).toEqual(['a', 'b']);
  });

  it('turns zod problems into one code per field', () => {
    const parsed = z.object({ a: z.string().max(1), b: z.string().min(1), c: z.uuid() }).safeParse({ a: 'xx', b: '', c: 'no' });
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(fieldErrorsOf(parsed.error)).toEqual({ a: 'too_long', b: 'required', c: 'format' });
  });
});

describe('one reason → status map', () => {
  it('gives the shared vocabulary its statuses; anything about the content is 422', () => {
    expect(COMMON_REASONS.map((r) => [r, httpStatusOf(r)])).toEqual([
      ['unauthenticated', 401],
      ['forbidden', 403],
      ['invalid', 422],
      ['not_found', 404],
      ['conflict', 409],
      ['rate_limited', 429],
    ]);
    expect(httpStatusOfRequest('invalid')).toBe(400);
    expect(httpStatusOf('not_checker')).toBe(403);
    expect(httpStatusOf('temperature_too_high')).toBe(422);
    expect(httpStatusOf('body_too_large')).toBe(413);
  });
});

describe('catalogue texts for run-time codes', () => {
  const t = translator();

  it('takes the group’s own text, then the shared one, then the group’s “unknown”', () => {
    expect(errorMessage(t, 'members.errors', 'not_admin')).toBe(zh.members.errors.not_admin);
    expect(errorMessage(t, 'members.errors', 'unauthenticated')).toBe(zh.reasons.unauthenticated);
    expect(errorMessage(t, 'members.errors', 'no_such_reason')).toBe(zh.members.errors.unknown);
    expect(errorMessage(t, 'members.errors', undefined)).toBe(zh.members.errors.unknown);
    expect(errorMessage(t, ['quick.errors', 'door.errors'], 'not_checker')).toBe(zh.door.errors.not_checker);
  });

  it('falls back to the named entry for a code the catalogue does not have (an inherited key included)', () => {
    expect(messageOf(t, 'venue.types', 'retail', 'other')).toBe(zh.venue.types.retail);
    expect(messageOf(t, 'venue.types', 'constructor', 'other')).toBe(zh.venue.types.other);
    expect(messageOf(t, 'person.errors', null, 'format')).toBe(zh.person.errors.format);
  });
});
