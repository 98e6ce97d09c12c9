/** H1: the reasons a code is red, each with guidance for having it removed (messages: healthCode.reasons.*). */
export const RED_REASONS = [
  'confirmed',
  'suspected',
  'close_contact',
  'other_province',
  'centralised_isolation',
  'home_isolation',
] as const;
export type RedReason = (typeof RED_REASONS)[number];
export type Colour = 'green' | 'red';

export type CodeStatus = { colour: 'green'; reason: null; since: Date | null } | { colour: 'red'; reason: RedReason; since: Date };

export const isRedReason = (v: unknown): v is RedReason => RED_REASONS.includes(v as RedReason);
