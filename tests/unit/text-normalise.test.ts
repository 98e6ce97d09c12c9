// The one text normaliser (lib/text/normalise.ts, issue #16 "Spoofable names"): what it refuses, what it
// keeps, and — over hostile strings — that nothing it accepts carries a control, a bidi control or
// nothing visible, and that accepting is stable.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseText, textLength } from '@/lib/text/normalise';
import { PURE_RUNS } from '../helpers/fuzz-runs';

const ok = (text: string) => ({ ok: true, text });
const refused = (error: string) => ({ ok: false, error });

describe('normaliseText', () => {
  it('refuses NUL and the other C0/C1 controls (PostgreSQL refuses NUL in text)', () => {
    for (const c of ['\u0000', '\u0001', '\u0008', '\u001B', '\u007F', '\u0085', '\u009F']) {
      expect(normaliseText(`东门${c}岗亭`), JSON.stringify(c)).toEqual(refused('text_control'));
    }
  });

  it('refuses bidi embeddings, overrides and isolates, which make a name read differently', () => {
    for (const c of ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069']) {
      expect(normaliseText(`abc${c}gpj.exe`), JSON.stringify(c)).toEqual(refused('text_control'));
    }
  });

  it('refuses text made only of invisible characters, so "required" cannot pass on it', () => {
    for (const s of [
      '\u200B',
      '\u200B\u200C\u200D',
      '\u2060\uFEFF\u200B',
      '\u3164',
      '\u115F\u1160',
      '\uFFA0',
      '\u00AD',
      '\uFE0F',
      '\u034F',
      '\u2800',
      ' \u200E ',
    ]) {
      expect(normaliseText(s), JSON.stringify(s)).toEqual(refused('text_invisible'));
    }
  });

  it('gives empty text for nothing typed (the caller says whether that is allowed)', () => {
    for (const s of ['', '   ', '\t\n', '\u3000', null, undefined, 42]) expect(normaliseText(s)).toEqual(ok(''));
  });

  it('drops invisible characters inside text, collapses whitespace and composes (NFC)', () => {
    expect(normaliseText('  张\u200B三  ')).toEqual(ok('张三'));
    expect(normaliseText('天河\u3000城\t东门')).toEqual(ok('天河 城 东门'));
    expect(normaliseText('\u200E王师傅\u200F')).toEqual(ok('王师傅'));
    expect(normaliseText('Jose\u0301')).toEqual(ok('José'));
    expect(normaliseText('Jose\u0301').ok && (normaliseText('Jose\u0301') as { text: string }).text.length).toBe(4);
  });

  it('keeps the middle dot of minority names and the joiners of emoji sequences', () => {
    expect(normaliseText('阿依·古丽')).toEqual(ok('阿依·古丽'));
    const family = '👨\u200D👩\u200D👧\u200D👦';
    expect(normaliseText(`${family}之家`)).toEqual(ok(`${family}之家`));
    const rainbow = '🏳\uFE0F\u200D🌈';
    expect(normaliseText(rainbow)).toEqual(ok(rainbow));
    const skin = '👩🏽\u200D💻';
    expect(normaliseText(skin)).toEqual(ok(skin));
    const england = '🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}';
    expect(normaliseText(england)).toEqual(ok(england));
    // A joiner between letters is not an emoji's: dropped.
    expect(normaliseText('王\u200D五')).toEqual(ok('王五'));
  });

  it('keeps line breaks in multi-line text (notes, reasons), at most one blank line', () => {
    expect(normaliseText('原管理员\r\n\r\n\r\n手机丢失  ', { multiline: true })).toEqual(ok('原管理员\n\n手机丢失'));
    expect(normaliseText('a\nb')).toEqual(ok('a b'));
  });

  it('counts characters as people do', () => {
    expect(textLength('𠀀𠀁')).toBe(2);
  });

  it(`over hostile strings (${PURE_RUNS} cases): accepted text is clean, visible or empty, and stable`, () => {
    const hostile = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc
        .array(
          fc.constantFrom(
            '王',
            '·',
            ' ',
            '\u200B',
            '\u200D',
            '\u202E',
            '\u2066',
            '\u0000',
            '\uFE0F',
            '👨',
            '\u3164',
            '\u00AD',
            'e',
            '\u0301',
            '\n',
          ),
          {
            maxLength: 12,
          },
        )
        .map((cs) => cs.join('')),
    );
    fc.assert(
      fc.property(hostile, fc.boolean(), (input, multiline) => {
        const r = normaliseText(input, { multiline });
        if (!r.ok) return;
        // eslint-disable-next-line no-control-regex -- the controls are what must not be there
        expect(r.text).not.toMatch(/[\u0000-\u0008\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/u);
        expect(r.text).toBe(r.text.normalize('NFC'));
        expect(r.text).toBe(r.text.trim());
        if (r.text !== '') expect(r.text).toMatch(/[^\s\p{M}\p{Cf}\u2800\u3164]/u);
        expect(normaliseText(r.text, { multiline })).toEqual(r);
      }),
      { numRuns: PURE_RUNS },
    );
  });
});
