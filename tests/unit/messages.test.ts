import { describe, expect, it } from 'vitest';
import en from '@/lib/i18n/messages/en.json';
import zh from '@/lib/i18n/messages/zh-CN.json';

function keys(obj: object, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

describe('message catalogues', () => {
  it('have the same keys in Chinese and English', () => {
    expect(keys(en).sort()).toEqual(keys(zh).sort());
  });

  it('have no empty strings', () => {
    const empty = (o: object): string[] =>
      keys(o).filter((k) => k.split('.').reduce<unknown>((x, p) => (x as Record<string, unknown>)[p], o) === '');
    expect([...empty(zh), ...empty(en)]).toEqual([]);
  });
});
