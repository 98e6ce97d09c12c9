import type { Messages } from 'next-intl';

/**
 * Codes that arrive at run time (a refusal reason, a venue type from the database) turned into catalogue
 * texts without casting each key: the catalogue is typed (lib/i18n/app-config.d.ts), and these helpers
 * are the one place that looks a run-time code up in it, with a fallback the compiler checks.
 */

/** Groups of texts in the catalogue (objects whose entries are all strings), as dotted paths. */
type Groups<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string
    ? never
    : (T[K] extends Record<string, string> ? `${P}${K}` : never) | Groups<T[K], `${P}${K}.`>;
}[keyof T & string];
type At<T, P extends string> = P extends `${infer H}.${infer R}`
  ? H extends keyof T
    ? At<T[H], R>
    : never
  : P extends keyof T
    ? T[P]
    : never;

export type MessageGroup = Groups<Messages>;
/** The groups holding refusal texts: each has an `unknown` entry. */
export type ErrorCatalogue = { [G in MessageGroup]: 'unknown' extends keyof At<Messages, G> ? G : never }[MessageGroup];
export type EntryOf<G extends MessageGroup> = keyof At<Messages, G> & string;

type Values = Record<string, string | number | Date>;
/** A root translator (useTranslations() / getTranslations() without a namespace). */
type Translate = { (key: never, values?: never): string; has(key: never): boolean };
type Lookup = { (key: string, values?: Values): string; has(key: string): boolean };

/** The text of `code` in `group` when the catalogue has one, else the group's `fallback` entry. */
export function messageOf<G extends MessageGroup>(
  t: Translate,
  group: G,
  code: string | null | undefined,
  fallback: EntryOf<G>,
  values?: Values,
): string {
  const look = t as unknown as Lookup;
  return code && look.has(`${group}.${code}`) ? look(`${group}.${code}`, values) : look(`${group}.${fallback}`, values);
}

/**
 * A refusal in the reader's language: the text of the first group that has `code`, else the common one
 * for the error vocabulary every door shares ('reasons', lib/server/reasons.ts), else the first group's
 * `unknown`.
 */
export function errorMessage(
  t: Translate,
  groups: ErrorCatalogue | readonly ErrorCatalogue[],
  code: string | null | undefined,
  values?: Values,
): string {
  const look = t as unknown as Lookup;
  const list = typeof groups === 'string' ? [groups] : groups;
  for (const group of [...list, 'reasons']) {
    if (code && look.has(`${group}.${code}`)) return look(`${group}.${code}`, values);
  }
  return look(`${list[0]}.unknown`, values);
}
