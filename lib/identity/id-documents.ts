import { CHINA_TIME_ZONE } from '@/lib/time';
import { normaliseText, type TextProblem } from '@/lib/text/normalise';

export type IdType = 'cn_resident' | 'hk_macao_permit' | 'taiwan_permit' | 'passport';
export const ID_TYPES: readonly IdType[] = ['cn_resident', 'hk_macao_permit', 'taiwan_permit', 'passport'];

export type Gender = 'M' | 'F';

/** Reason codes only; the UI owns the wording. */
export type IdError =
  | 'required'
  | 'format'
  | 'unknown_type'
  | 'checksum'
  | 'region'
  | 'birth_date_invalid'
  | 'birth_date_future'
  | 'birth_date_too_early'
  | 'nationality_format'
  | 'nationality_chn';

export type IdField = 'idType' | 'idNumber' | 'issueCount' | 'nationality' | 'gender' | 'birthDate';

export interface IdDocumentInput {
  idType: string;
  idNumber: string;
  issueCount?: string;
  nationality?: string;
  gender?: string;
  birthDate?: string;
}

export interface IdDocument {
  idType: IdType;
  /** Upper case, no spaces; never includes a permit's issue count, so re-issued permits stay the same person. */
  idNumber: string;
  /** HK/Macao and Taiwan permits: the 2-digit issue count printed on the card (not part of the document's identity). */
  issueCount: string | null;
  /** Passports only: ISO 3166-1 alpha-3. */
  nationality: string | null;
  gender: Gender;
  birthDate: string;
}

export type IdDocumentResult = { ok: true; doc: IdDocument } | { ok: false; errors: Partial<Record<IdField, IdError>> };

export interface ValidateOptions {
  /** YYYY-MM-DD; defaults to today in China so a late-evening server in another zone agrees with the user. */
  today?: string;
}

const EARLIEST_BIRTH_DATE = '1900-01-01';
// 81/82/83 are the 2018+ residence permits for HK, Macao and Taiwan residents.
const PROVINCE_CODES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82,
  83,
]);
const RESIDENT_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const RESIDENT_CHECK_CHARS = '10X98765432';

/** The FAQ (港澳、台湾同胞的证件号码如何输入): both permits take their number and a 2-digit issue count. */
export function hasIssueCount(idType: string): boolean {
  return idType === 'hk_macao_permit' || idType === 'taiwan_permit';
}

export function isIdType(value: string): value is IdType {
  return (ID_TYPES as readonly string[]).includes(value);
}

export function todayInChina(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: CHINA_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** True for a real YYYY-MM-DD calendar date (rejects 2023-02-29, 2024-13-01 …). */
export function isCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

export function computeResidentCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * RESIDENT_WEIGHTS[i];
  return RESIDENT_CHECK_CHARS[sum % 11];
}

export function validateIdDocument(input: IdDocumentInput, options: ValidateOptions = {}): IdDocumentResult {
  const rawType = (input.idType ?? '').trim();
  if (!rawType) return { ok: false, errors: { idType: 'required' } };
  if (!isIdType(rawType)) return { ok: false, errors: { idType: 'unknown_type' } };
  const today = options.today ?? todayInChina();

  if (rawType === 'cn_resident') return validateResident(input, today);

  const errors: Partial<Record<IdField, IdError>> = {};
  const idNumber = compact(input.idNumber);
  const numberError = checkOtherNumber(rawType, idNumber);
  if (numberError) errors.idNumber = numberError;

  let issueCount: string | null = null;
  if (hasIssueCount(rawType)) {
    issueCount = (input.issueCount ?? '').trim();
    if (!issueCount) errors.issueCount = 'required';
    else if (!/^\d{2}$/.test(issueCount)) errors.issueCount = 'format';
  }

  let nationality: string | null = null;
  if (rawType === 'passport') {
    nationality = (input.nationality ?? '').trim().toUpperCase();
    const nationalityError = checkNationality(nationality);
    if (nationalityError) errors.nationality = nationalityError;
  }

  const gender = (input.gender ?? '').trim().toUpperCase();
  if (!gender) errors.gender = 'required';
  else if (gender !== 'M' && gender !== 'F') errors.gender = 'format';

  const birthDate = (input.birthDate ?? '').trim();
  const birthError = birthDate ? checkBirthDate(birthDate, today) : 'required';
  if (birthError) errors.birthDate = birthError;

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, doc: { idType: rawType, idNumber, issueCount, nationality, gender: gender as Gender, birthDate } };
}

// Birth date and gender are read from the number itself; whatever the form sent is ignored so they cannot disagree.
function validateResident(input: IdDocumentInput, today: string): IdDocumentResult {
  const idNumber = compact(input.idNumber);
  const fail = (error: IdError): IdDocumentResult => ({ ok: false, errors: { idNumber: error } });
  if (!idNumber) return fail('required');
  if (!/^\d{17}[\dX]$/.test(idNumber)) return fail('format');
  // Checksum first: a mistyped digit is far more likely than a wrong region or date, and it is the actionable message.
  if (computeResidentCheckChar(idNumber) !== idNumber[17]) return fail('checksum');
  if (!PROVINCE_CODES.has(Number(idNumber.slice(0, 2)))) return fail('region');
  const birthDate = `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`;
  const birthError = checkBirthDate(birthDate, today);
  if (birthError) return fail(birthError === 'format' ? 'birth_date_invalid' : birthError);
  const gender: Gender = Number(idNumber[16]) % 2 === 1 ? 'M' : 'F';
  return { ok: true, doc: { idType: 'cn_resident', idNumber, issueCount: null, nationality: null, gender, birthDate } };
}

function checkOtherNumber(idType: Exclude<IdType, 'cn_resident'>, idNumber: string): IdError | null {
  if (!idNumber) return 'required';
  const patterns: Record<typeof idType, RegExp> = {
    // Current permits are letter + 8 digits; older cards still in circulation carry 10.
    hk_macao_permit: /^[HM](\d{8}|\d{10})$/,
    taiwan_permit: /^(\d{8}|\d{10})$/,
    passport: /^[A-Z0-9]{5,17}$/,
  };
  return patterns[idType].test(idNumber) ? null : 'format';
}

function checkNationality(nationality: string): IdError | null {
  if (!nationality) return 'required';
  if (!/^[A-Z]{3}$/.test(nationality)) return 'nationality_format';
  // Chinese citizens must register with their resident ID, so the same person cannot exist twice.
  if (nationality === 'CHN') return 'nationality_chn';
  return null;
}

/** A birth date as the documents take it (a calendar date, not in the future, not before 1900). */
export function checkBirthDate(birthDate: string, today: string): IdError | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(birthDate)) return 'format';
  if (!isCalendarDate(birthDate)) return 'birth_date_invalid';
  // Fixed-width ISO dates compare correctly as strings.
  if (birthDate > today) return 'birth_date_future';
  if (birthDate < EARLIEST_BIRTH_DATE) return 'birth_date_too_early';
  return null;
}

function compact(value: string | undefined): string {
  return (value ?? '').replace(/\s+/g, '').toUpperCase();
}

/** Rule H5: upper case, hyphens become spaces, whitespace collapsed; order is kept (callers pass surname first). */
export function normalizePassportName(name: string): string {
  return name.toUpperCase().replace(/-/g, ' ').replace(/\s+/g, ' ').trim();
}

/** Equal after normalisation, or equal once surname and given names are swapped (forms disagree on the order). */
export function passportNameMatches(registered: string, given: string): boolean {
  const a = normalizePassportName(registered);
  const b = normalizePassportName(given);
  if (!a || !b) return false;
  return a === b || swapSurname(a) === b || swapSurname(b) === a;
}

function swapSurname(name: string): string {
  const [first, ...rest] = name.split(' ');
  return rest.length === 0 ? name : `${rest.join(' ')} ${first}`;
}

const LATIN_LETTER = /[A-Za-z]/;

/** NFC, one kind of middle dot, and no stray spaces inside CJK names (people type 张 三 or 阿依 · 古丽). */
export function normalizeChineseName(name: string): string {
  const dotted = name.normalize('NFC').replace(/[.•・･‧．]/g, '·');
  if (!LATIN_LETTER.test(dotted)) return dotted.replace(/\s+/g, '');
  return dotted.replace(/\s+/g, ' ').replace(/ ?· ?/g, '·').trim();
}

export type PersonNameError = 'required' | 'too_long' | 'format' | TextProblem;
export type PersonNameResult = { ok: true; name: string } | { ok: false; error: PersonNameError };

export function validatePersonName(idType: IdType, typed: string): PersonNameResult {
  // Controls, bidi and invisible-only text are refused with their own words before the name rules.
  const normalised = normaliseText(typed);
  if (!normalised.ok) return { ok: false, error: normalised.error };
  const name = normalised.text;
  if (idType === 'passport') {
    const normalized = normalizePassportName(name);
    return checkName(normalized, 60, /^[A-Z' ]+$/);
  }
  const normalized = normalizeChineseName(name);
  const result = checkName(normalized, 40, /^[\p{Script=Han}A-Za-z· ]+$/u);
  // A middle dot only ever separates name parts.
  if (result.ok && /^·|·$|··/.test(normalized)) return { ok: false, error: 'format' };
  return result;
}

function checkName(name: string, maxLength: number, allowed: RegExp): PersonNameResult {
  const length = Array.from(name).length;
  if (length === 0) return { ok: false, error: 'required' };
  if (length > maxLength) return { ok: false, error: 'too_long' };
  if (length < 2 || !allowed.test(name)) return { ok: false, error: 'format' };
  return { ok: true, name };
}

export function namesMatch(idType: IdType, registered: string, given: string): boolean {
  if (idType === 'passport') return passportNameMatches(registered, given);
  const a = normalizeChineseName(registered);
  return a !== '' && a === normalizeChineseName(given);
}

export interface ResidentIdOptions {
  /** 6 digits; defaults to 440106, Guangzhou Tianhe. */
  region?: string;
  birthDate: string;
  /** 0..99, lets seed data make several people born on the same day. */
  sequence?: number;
  gender: Gender;
}

/** A valid 18-character resident ID for seed data and tests. */
export function makeResidentIdNumber({ region = '440106', birthDate, sequence = 1, gender }: ResidentIdOptions): string {
  if (!/^\d{6}$/.test(region) || !PROVINCE_CODES.has(Number(region.slice(0, 2)))) {
    throw new RangeError(`invalid region code: ${region}`);
  }
  if (!isCalendarDate(birthDate)) throw new RangeError(`invalid birth date: ${birthDate}`);
  if (!Number.isInteger(sequence) || sequence < 0 || sequence > 99) throw new RangeError(`invalid sequence: ${sequence}`);
  // The 17th digit carries the gender (odd = male); vary it with the sequence so seeds do not all share one digit.
  const genderDigit = (sequence % 5) * 2 + (gender === 'M' ? 1 : 0);
  const first17 = `${region}${birthDate.replace(/-/g, '')}${String(sequence).padStart(2, '0')}${genderDigit}`;
  return first17 + computeResidentCheckChar(first17);
}

/** Completed years; someone born on 29 February turns a year older on 1 March in common years. */
export function ageOn(birthDate: string, onDate: string): number {
  if (!isCalendarDate(birthDate) || !isCalendarDate(onDate)) throw new RangeError('dates must be YYYY-MM-DD');
  if (onDate < birthDate) throw new RangeError('onDate is before birthDate');
  const years = Number(onDate.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return onDate.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

export type AgeBand = '0-17' | '18-29' | '30-39' | '40-49' | '50-59' | '60+';

export function ageBand(age: number): AgeBand {
  if (!Number.isFinite(age) || age < 0) throw new RangeError(`invalid age: ${age}`);
  if (age < 18) return '0-17';
  if (age < 30) return '18-29';
  if (age < 40) return '30-39';
  if (age < 50) return '40-49';
  if (age < 60) return '50-59';
  return '60+';
}
