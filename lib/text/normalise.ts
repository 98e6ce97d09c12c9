/**
 * The one normaliser for free text people type (venue names and addresses, checkers' display names,
 * person names, officials' notes and reasons): NFC, whitespace collapsed, invisible format characters
 * dropped, and refused outright — with a reason the forms turn into words — when the text carries
 * control characters (PostgreSQL refuses NUL in text) or bidi overrides and isolates (a name that reads
 * differently from what is stored), or when nothing visible is left ("required" must not pass on
 * zero-width spaces).
 *
 * Kept: the middle dot `·` of minority names, and the zero-width joiners, variation selectors and tags
 * inside emoji sequences (👨‍👩‍👧, 🏴󠁧󠁢󠁥󠁮󠁧󠁿).
 */

/** Why a text was refused: each is a message in the `reasons` catalogue (and a form's field error). */
export type TextProblem = 'text_control' | 'text_invisible';
export const TEXT_PROBLEMS: readonly TextProblem[] = ['text_control', 'text_invisible'];

export type NormalisedText = { ok: true; text: string } | { ok: false; error: TextProblem };

// C0 and C1 controls other than the whitespace ones (tab, line and form feeds), DEL, and lone surrogates.
// eslint-disable-next-line no-control-regex -- finding control characters is this pattern's job
const CONTROL = /[\u0000-\u0008\u000E-\u001F\u007F-\u009F\p{Cs}]/u;
// Bidi embeddings, overrides and isolates: they reorder what is shown (U+202A–U+202E, U+2066–U+2069).
const BIDI = /[\u202A-\u202E\u2066-\u2069]/u;
// Emoji sequences whose joiners and tags must survive: ZWJ sequences and tag sequences (subdivision flags).
const EMOJI = String.raw`\p{Extended_Pictographic}(?:\u{FE0F}|\p{Emoji_Modifier})?`;
const EMOJI_SEQUENCE = new RegExp(String.raw`${EMOJI}(?:\u{200D}${EMOJI})+|\u{1F3F4}[\u{E0020}-\u{E007E}]+\u{E007F}`, 'gu');
// Invisible characters outside those sequences: format characters (zero-width space and joiners, word
// joiner, BOM, soft hyphen, bidi marks, tags, …) and the Hangul fillers that render as nothing.
const INVISIBLE = /[\p{Cf}\u115F\u1160\u3164\uFFA0]/gu;
// What shows nothing on its own: whitespace, combining marks (variation selectors, CGJ), the braille blank.
const BLANK = /^[\s\p{M}\u2800]*$/u;

function dropInvisible(text: string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(EMOJI_SEQUENCE)) {
    out += text.slice(last, m.index).replace(INVISIBLE, '') + m[0];
    last = m.index + m[0].length;
  }
  return out + text.slice(last).replace(INVISIBLE, '');
}

/**
 * Normalises free text. Empty (or only spaces) gives `''` — whether that is allowed is the caller's rule;
 * text with something in it but nothing visible is `text_invisible`. `multiline` keeps line breaks (one
 * `\n` each, blank lines at most one), else every run of whitespace becomes one space.
 */
export function normaliseText(input: unknown, opts: { multiline?: boolean } = {}): NormalisedText {
  if (typeof input !== 'string') return { ok: true, text: '' };
  if (CONTROL.test(input) || BIDI.test(input)) return { ok: false, error: 'text_control' };
  // Composed after the invisible characters are out: e + ZWSP + U+0301 is é.
  const visible = dropInvisible(input).normalize('NFC');
  const text = opts.multiline
    ? visible
        .replace(/\r\n?/g, '\n')
        .split('\n')
        .map((line) => line.replace(/\s+/g, ' ').trim())
        .join('\n')
        .replace(/\n{3,}/g, '\n\n')
        .trim()
    : visible.replace(/\s+/g, ' ').trim();
  // Something was typed, but nothing of it shows.
  if (BLANK.test(text)) return input.replace(/\s+/g, '') === '' ? { ok: true, text: '' } : { ok: false, error: 'text_invisible' };
  return { ok: true, text };
}

/** Length as people count it: code points, not UTF-16 units (𠀀 is one character). */
export const textLength = (text: string) => Array.from(text).length;
