/**
 * One meaning per number (issue #17): every count the venue sees — the scanner, the cards, the charts, the
 * per-checker table, the fever list, the CSV — is one of these, named for what it counts, with the same
 * label everywhere (`label` is the key in the `numbers` message namespace). The SQL predicates live in
 * db/queries/stats-definitions.ts, keyed by these names; nothing else writes its own.
 *
 * A record *stands* when no record supersedes it (`superseded_by_id is null` and no record names it in
 * `supersedes_id`): the visit is counted once, by its latest reading (V12). Every number is computed from
 * the facts stored on the record (day, hour, checker, entrance, gender, age band then), so a later change
 * to a person or venue changes no past number.
 */
export const STAT_DEFINITIONS = {
  /** 检测人次: standing records (all methods, quick check-ins included). */
  checkins: { label: 'checkins', counts: 'standing records' },
  /** 检测人数: per China day, distinct persons with a standing record that day. */
  visitors: { label: 'visitors', counts: 'distinct persons with a standing record, per China day' },
  /** 人天: over a range, the sum of the daily 检测人数 — never a distinct count over the range. */
  visitorDays: { label: 'visitorDays', counts: 'sum over the days of the daily 检测人数' },
  /** 发热人次: standing records with a fever (≥ 37.3 °C). */
  fevers: { label: 'fevers', counts: 'standing records with fever' },
  /** 发热人数: per China day, distinct persons with a standing fever that day (from the fever index). */
  feverPersons: { label: 'feverPersons', counts: 'distinct persons with a standing fever, per China day' },
  /**
   * 发热后复测正常: fever records superseded by a later normal *measured* record (scan or typed; a quick
   * check-in never corrects a measurement). Apart from 发热人次: a corrected fever no longer stands.
   */
  feversCorrected: { label: 'feversCorrected', counts: 'fever records superseded by a later normal measured record' },
} as const;

export type StatKey = keyof typeof STAT_DEFINITIONS;

/** The fever list's two views: the standing fevers (agrees with 发热人次), or the corrected ones. */
export const FEVER_KINDS = ['standing', 'corrected'] as const;
export type FeverKind = (typeof FEVER_KINDS)[number];
