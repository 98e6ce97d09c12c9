import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ID_TYPES,
  ageBand,
  ageOn,
  computeResidentCheckChar,
  makeResidentIdNumber,
  namesMatch,
  normalizeChineseName,
  normalizePassportName,
  passportNameMatches,
  todayInChina,
  validateIdDocument,
  validatePersonName,
} from '@/lib/identity/id-documents';

const TODAY = '2025-06-15';
const resident = (idNumber: string) => validateIdDocument({ idType: 'cn_resident', idNumber }, { today: TODAY });
// A number whose check character is right, so only the other rules can fail.
const withCheck = (first17: string) => first17 + computeResidentCheckChar(first17);

const isoDate = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date(`${TODAY}T00:00:00Z`), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const gender = fc.constantFrom('M' as const, 'F' as const);
const validResidentId = fc
  .record({
    birthDate: isoDate,
    sequence: fc.integer({ min: 0, max: 99 }),
    gender,
    region: fc.constantFrom('440106', '110105', '810000', '650102'),
  })
  .map((opts) => makeResidentIdNumber(opts));

describe('validateIdDocument: type', () => {
  it('lists the four document types', () => {
    expect(ID_TYPES).toEqual(['cn_resident', 'hk_macao_permit', 'taiwan_permit', 'passport']);
  });

  it('requires a known type', () => {
    expect(validateIdDocument({ idType: '', idNumber: 'x' })).toEqual({ ok: false, errors: { idType: 'required' } });
    expect(validateIdDocument({ idType: 'military', idNumber: 'x' })).toEqual({ ok: false, errors: { idType: 'unknown_type' } });
  });
});

describe('validateIdDocument: mainland resident ID', () => {
  it('accepts the GB 11643 example and derives birth date and gender', () => {
    expect(resident('11010519491231002X')).toEqual({
      ok: true,
      doc: {
        idType: 'cn_resident',
        idNumber: '11010519491231002X',
        issueCount: null,
        nationality: null,
        gender: 'F',
        birthDate: '1949-12-31',
      },
    });
  });

  it('normalises lower-case x and spaces, and ignores entered gender, birth date and nationality', () => {
    const r = validateIdDocument(
      { idType: 'cn_resident', idNumber: ' 110105 19491231 002x ', gender: 'M', birthDate: '2000-01-01', nationality: 'GBR' },
      { today: TODAY },
    );
    expect(r).toMatchObject({ ok: true, doc: { idNumber: '11010519491231002X', gender: 'F', birthDate: '1949-12-31', nationality: null } });
  });

  it('reports a checksum error when any one digit of the example changes', () => {
    const id = '11010519491231002X';
    for (let i = 0; i < 18; i++) {
      for (const c of '0123456789') {
        if (c === id[i]) continue;
        expect(resident(id.slice(0, i) + c + id.slice(i + 1))).toEqual({ ok: false, errors: { idNumber: 'checksum' } });
      }
    }
  });

  it('reports format, region and birth-date problems', () => {
    expect(resident('')).toEqual({ ok: false, errors: { idNumber: 'required' } });
    for (const bad of ['11010519491231002', '11010519491231002XX', '1101051949123100XX', 'A1010519491231002X', '110105-19491231-002X']) {
      expect(resident(bad)).toEqual({ ok: false, errors: { idNumber: 'format' } });
    }
    expect(resident(withCheck('99010519491231002'))).toEqual({ ok: false, errors: { idNumber: 'region' } });
    expect(resident(withCheck('01010519491231002'))).toEqual({ ok: false, errors: { idNumber: 'region' } });
    expect(resident(withCheck('11010519490230002'))).toEqual({ ok: false, errors: { idNumber: 'birth_date_invalid' } });
    expect(resident(withCheck('11010519491301002'))).toEqual({ ok: false, errors: { idNumber: 'birth_date_invalid' } });
    expect(resident(withCheck('11010520250616002'))).toEqual({ ok: false, errors: { idNumber: 'birth_date_future' } });
    expect(resident(withCheck('11010518991231002'))).toEqual({ ok: false, errors: { idNumber: 'birth_date_too_early' } });
    expect(resident(withCheck('11010520250615002')).ok).toBe(true);
    expect(resident(withCheck('11010519000101002')).ok).toBe(true);
  });

  it('accepts the 81/82/83 residence-permit prefixes', () => {
    for (const p of ['81', '82', '83', '44', '65', '71']) expect(resident(withCheck(`${p}000019900101001`)).ok).toBe(true);
    for (const p of ['10', '16', '20', '24', '30', '38', '47', '55', '60', '66', '72', '80', '84', '91']) {
      expect(resident(withCheck(`${p}000019900101001`))).toEqual({ ok: false, errors: { idNumber: 'region' } });
    }
  });

  it('validates every makeResidentIdNumber output and derives its birth date and gender', () => {
    fc.assert(
      fc.property(isoDate, fc.integer({ min: 0, max: 99 }), gender, (birthDate, sequence, g) => {
        const idNumber = makeResidentIdNumber({ birthDate, sequence, gender: g });
        expect(idNumber).toMatch(/^440106\d{11}[\dX]$/);
        const r = resident(idNumber);
        expect(r).toEqual({
          ok: true,
          doc: { idType: 'cn_resident', idNumber, issueCount: null, nationality: null, gender: g, birthDate },
        });
      }),
      { numRuns: 3000 },
    );
  });

  it('rejects every single-character change of a valid ID', () => {
    fc.assert(
      fc.property(validResidentId, fc.integer({ min: 0, max: 17 }), fc.constantFrom(...'0123456789X'), (id, i, c) => {
        fc.pre(id[i] !== c);
        const r = resident(id.slice(0, i) + c + id.slice(i + 1));
        expect(r.ok).toBe(false);
        if (!r.ok) expect(['checksum', 'format']).toContain(r.errors.idNumber);
      }),
      { numRuns: 5000 },
    );
  });

  it('makeResidentIdNumber refuses impossible input', () => {
    expect(() => makeResidentIdNumber({ birthDate: '1990-02-30', gender: 'M' })).toThrow(RangeError);
    expect(() => makeResidentIdNumber({ birthDate: '1990-01-01', gender: 'M', region: '4401' })).toThrow(RangeError);
    expect(() => makeResidentIdNumber({ birthDate: '1990-01-01', gender: 'M', region: '990000' })).toThrow(RangeError);
    expect(() => makeResidentIdNumber({ birthDate: '1990-01-01', gender: 'M', sequence: 100 })).toThrow(RangeError);
    expect(() => makeResidentIdNumber({ birthDate: '1990-01-01', gender: 'M', sequence: 1.5 })).toThrow(RangeError);
  });
});

describe('validateIdDocument: HK/Macao permit', () => {
  const base = { idType: 'hk_macao_permit', idNumber: 'H12345678', issueCount: '03', gender: 'M', birthDate: '1990-05-01' };

  it('keeps the number and the issue count apart', () => {
    expect(validateIdDocument(base, { today: TODAY })).toEqual({
      ok: true,
      doc: { idType: 'hk_macao_permit', idNumber: 'H12345678', issueCount: '03', nationality: null, gender: 'M', birthDate: '1990-05-01' },
    });
    const reissued = validateIdDocument({ ...base, idNumber: 'h 1234 5678', issueCount: '04', gender: 'm' }, { today: TODAY });
    expect(reissued).toMatchObject({ ok: true, doc: { idNumber: 'H12345678', issueCount: '04', gender: 'M' } });
  });

  it('accepts H/M with 8 or 10 digits only', () => {
    for (const ok of ['H12345678', 'M12345678', 'H1234567890', 'M1234567890']) {
      expect(validateIdDocument({ ...base, idNumber: ok }, { today: TODAY }).ok).toBe(true);
    }
    for (const bad of ['H1234567', 'H123456789', 'H12345678901', 'X12345678', '12345678', 'HH1234567']) {
      expect(validateIdDocument({ ...base, idNumber: bad }, { today: TODAY })).toEqual({ ok: false, errors: { idNumber: 'format' } });
    }
  });

  it('requires a two-digit issue count, gender and birth date, reporting all at once', () => {
    expect(validateIdDocument({ idType: 'hk_macao_permit', idNumber: '' }, { today: TODAY })).toEqual({
      ok: false,
      errors: { idNumber: 'required', issueCount: 'required', gender: 'required', birthDate: 'required' },
    });
    expect(validateIdDocument({ ...base, issueCount: '3', gender: 'X', birthDate: '1990/05/01' }, { today: TODAY })).toEqual({
      ok: false,
      errors: { issueCount: 'format', gender: 'format', birthDate: 'format' },
    });
  });
});

describe('validateIdDocument: Taiwan permit', () => {
  const base = { idType: 'taiwan_permit', idNumber: '12345678', issueCount: '02', gender: 'F', birthDate: '1985-12-31' };

  it('accepts 8 or 10 digits', () => {
    expect(validateIdDocument(base, { today: TODAY })).toEqual({
      ok: true,
      doc: { idType: 'taiwan_permit', idNumber: '12345678', issueCount: '02', nationality: null, gender: 'F', birthDate: '1985-12-31' },
    });
    expect(validateIdDocument({ ...base, idNumber: '1234 567 890' }, { today: TODAY })).toMatchObject({
      ok: true,
      doc: { idNumber: '1234567890' },
    });
    for (const bad of ['1234567', '123456789', 'T12345678', '12345678901']) {
      expect(validateIdDocument({ ...base, idNumber: bad }, { today: TODAY })).toEqual({ ok: false, errors: { idNumber: 'format' } });
    }
  });

  it('takes the 2-digit issue count like the HK/Macao permit (the FAQ: 证件号码和签发次数)', () => {
    const { issueCount: _count, ...noCount } = base;
    expect(validateIdDocument(noCount, { today: TODAY })).toEqual({ ok: false, errors: { issueCount: 'required' } });
    expect(validateIdDocument({ ...base, issueCount: '2' }, { today: TODAY })).toEqual({ ok: false, errors: { issueCount: 'format' } });
  });

  it('checks the entered birth date', () => {
    const check = (birthDate: string) => validateIdDocument({ ...base, birthDate }, { today: TODAY });
    expect(check('2023-02-29')).toEqual({ ok: false, errors: { birthDate: 'birth_date_invalid' } });
    expect(check('2025-06-16')).toEqual({ ok: false, errors: { birthDate: 'birth_date_future' } });
    expect(check('1899-12-31')).toEqual({ ok: false, errors: { birthDate: 'birth_date_too_early' } });
    expect(check('2024-02-29').ok).toBe(true);
    expect(check(TODAY).ok).toBe(true);
  });
});

describe('validateIdDocument: passport', () => {
  const base = { idType: 'passport', idNumber: 'E1234 5678', nationality: 'gbr', gender: 'F', birthDate: '1970-01-01' };

  it('normalises number and nationality', () => {
    expect(validateIdDocument({ ...base, idNumber: 'e1234 5678' }, { today: TODAY })).toEqual({
      ok: true,
      doc: { idType: 'passport', idNumber: 'E12345678', issueCount: null, nationality: 'GBR', gender: 'F', birthDate: '1970-01-01' },
    });
  });

  it('checks the number: 5–17 letters or digits', () => {
    for (const ok of ['AB123', '12345', 'A1234567890123456'])
      expect(validateIdDocument({ ...base, idNumber: ok }, { today: TODAY }).ok).toBe(true);
    for (const bad of ['AB12', 'A12345678901234567', 'AB-12345', 'АB12345']) {
      expect(validateIdDocument({ ...base, idNumber: bad }, { today: TODAY })).toEqual({ ok: false, errors: { idNumber: 'format' } });
    }
  });

  it('checks the nationality and refuses CHN', () => {
    const check = (nationality?: string) => validateIdDocument({ ...base, nationality }, { today: TODAY });
    expect(check(undefined)).toEqual({ ok: false, errors: { nationality: 'required' } });
    expect(check('GB')).toEqual({ ok: false, errors: { nationality: 'nationality_format' } });
    expect(check('G8R')).toEqual({ ok: false, errors: { nationality: 'nationality_format' } });
    expect(check('chn')).toEqual({ ok: false, errors: { nationality: 'nationality_chn' } });
    expect(check('USA').ok).toBe(true);
  });
});

describe('todayInChina', () => {
  it('uses China time, not UTC', () => {
    expect(todayInChina(new Date('2024-05-31T15:59:59Z'))).toBe('2024-05-31');
    expect(todayInChina(new Date('2024-05-31T16:00:00Z'))).toBe('2024-06-01');
  });
});

describe('passport names', () => {
  it('normalises by rule H5', () => {
    expect(normalizePassportName('  zhang   san ')).toBe('ZHANG SAN');
    expect(normalizePassportName('Smith-Jones  Mary\tAnn')).toBe('SMITH JONES MARY ANN');
    expect(normalizePassportName("o'brien")).toBe("O'BRIEN");
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (s) => {
        const once = normalizePassportName(s);
        expect(normalizePassportName(once)).toBe(once);
      }),
      { numRuns: 5000 },
    );
  });

  it('matches with surname and given names swapped', () => {
    expect(passportNameMatches('ZHANG SAN', 'SAN ZHANG')).toBe(true);
    expect(passportNameMatches('zhang-san', ' Zhang  San ')).toBe(true);
    expect(passportNameMatches('SMITH MARY ANN', 'MARY ANN SMITH')).toBe(true);
    expect(passportNameMatches('MARY ANN SMITH', 'SMITH MARY ANN')).toBe(true);
    expect(passportNameMatches('ZHANG SAN', 'ZHANG SI')).toBe(false);
    expect(passportNameMatches('SMITH MARY ANN', 'ANN MARY SMITH')).toBe(false);
    expect(passportNameMatches('', '')).toBe(false);
  });

  it('swap rule holds for any two-part name', () => {
    const part = fc.stringMatching(/^[A-Z]{1,10}$/);
    fc.assert(
      fc.property(part, part, (surname, given) => {
        expect(passportNameMatches(`${surname} ${given}`, `${given} ${surname}`)).toBe(true);
        expect(namesMatch('passport', `${surname} ${given}`, `${given.toLowerCase()}  ${surname}`)).toBe(true);
      }),
    );
  });
});

describe('Chinese names', () => {
  it('normalises spaces and middle dots', () => {
    expect(normalizeChineseName(' 张 三 ')).toBe('张三');
    expect(normalizeChineseName('张\u3000三')).toBe('张三');
    expect(normalizeChineseName('阿依古丽 . 买买提')).toBe('阿依古丽·买买提');
    for (const dot of ['.', '•', '・', '·']) expect(normalizeChineseName(`爱新觉罗${dot}溥仪`)).toBe('爱新觉罗·溥仪');
    expect(normalizeChineseName('  Aygul   Memet ')).toBe('Aygul Memet');
    expect(normalizeChineseName('e\u0301')).toBe('\u00e9');
  });

  it('validates mainland, HK/Macao and Taiwan names', () => {
    expect(validatePersonName('cn_resident', ' 张 三 ')).toEqual({ ok: true, name: '张三' });
    expect(validatePersonName('cn_resident', '阿依古丽•买买提')).toEqual({ ok: true, name: '阿依古丽·买买提' });
    expect(validatePersonName('hk_macao_permit', 'Aygul Memet')).toEqual({ ok: true, name: 'Aygul Memet' });
    expect(validatePersonName('taiwan_permit', '𠮷田')).toEqual({ ok: true, name: '𠮷田' });
    expect(validatePersonName('cn_resident', '   ')).toEqual({ ok: false, error: 'required' });
    expect(validatePersonName('cn_resident', '张')).toEqual({ ok: false, error: 'format' });
    expect(validatePersonName('cn_resident', '张三3')).toEqual({ ok: false, error: 'format' });
    expect(validatePersonName('cn_resident', '·张三')).toEqual({ ok: false, error: 'format' });
    expect(validatePersonName('cn_resident', '张··三')).toEqual({ ok: false, error: 'format' });
    expect(validatePersonName('cn_resident', '张'.repeat(40)).ok).toBe(true);
    expect(validatePersonName('cn_resident', '张'.repeat(41))).toEqual({ ok: false, error: 'too_long' });
    // The one text normaliser first (issue #16): controls and bidi refused, invisible characters out.
    expect(validatePersonName('cn_resident', '张\u0000三')).toEqual({ ok: false, error: 'text_control' });
    expect(validatePersonName('passport', 'ZHANG\u202E SAN')).toEqual({ ok: false, error: 'text_control' });
    expect(validatePersonName('cn_resident', '\u200B\u200B')).toEqual({ ok: false, error: 'text_invisible' });
    expect(validatePersonName('cn_resident', '张\u200B三')).toEqual({ ok: true, name: '张三' });
  });

  it('validates passport names', () => {
    expect(validatePersonName('passport', "o'brien-smith  mary")).toEqual({ ok: true, name: "O'BRIEN SMITH MARY" });
    expect(validatePersonName('passport', ' - ')).toEqual({ ok: false, error: 'required' });
    expect(validatePersonName('passport', 'A')).toEqual({ ok: false, error: 'format' });
    expect(validatePersonName('passport', '张三')).toEqual({ ok: false, error: 'format' });
    expect(validatePersonName('passport', 'MÜLLER ANNA')).toEqual({ ok: false, error: 'format' });
    expect(validatePersonName('passport', 'A'.repeat(60)).ok).toBe(true);
    expect(validatePersonName('passport', 'A'.repeat(61))).toEqual({ ok: false, error: 'too_long' });
  });

  it('matches names exactly after normalisation, without the swap rule', () => {
    expect(namesMatch('cn_resident', '张三', ' 张 三')).toBe(true);
    expect(namesMatch('cn_resident', '爱新觉罗·溥仪', '爱新觉罗.溥仪')).toBe(true);
    expect(namesMatch('cn_resident', '张三', '三张')).toBe(false);
    expect(namesMatch('taiwan_permit', 'Aygul Memet', 'Memet Aygul')).toBe(false);
    expect(namesMatch('cn_resident', '', ' ')).toBe(false);
  });
});

describe('ageOn / ageBand', () => {
  it('counts completed years', () => {
    expect(ageOn('1990-06-15', '2025-06-14')).toBe(34);
    expect(ageOn('1990-06-15', '2025-06-15')).toBe(35);
    expect(ageOn('2000-02-29', '2025-02-28')).toBe(24);
    expect(ageOn('2000-02-29', '2025-03-01')).toBe(25);
    expect(ageOn('2000-02-29', '2024-02-29')).toBe(24);
    expect(ageOn('2025-01-01', '2025-01-01')).toBe(0);
    expect(() => ageOn('2025-01-02', '2025-01-01')).toThrow(RangeError);
    expect(() => ageOn('2025-02-30', '2025-03-01')).toThrow(RangeError);
  });

  it('bands ages', () => {
    const cases: [number, string][] = [
      [0, '0-17'],
      [17, '0-17'],
      [18, '18-29'],
      [29, '18-29'],
      [30, '30-39'],
      [39, '30-39'],
      [40, '40-49'],
      [50, '50-59'],
      [59, '50-59'],
      [60, '60+'],
      [120, '60+'],
    ];
    for (const [age, band] of cases) expect(ageBand(age)).toBe(band);
    expect(() => ageBand(-1)).toThrow(RangeError);
    expect(() => ageBand(Number.NaN)).toThrow(RangeError);
  });

  it('agrees with the derived birth date of generated IDs', () => {
    fc.assert(
      fc.property(isoDate, gender, (birthDate, g) => {
        const r = resident(makeResidentIdNumber({ birthDate, gender: g }));
        if (!r.ok) throw new Error('generated ID rejected');
        const age = ageOn(r.doc.birthDate, TODAY);
        expect(age).toBeGreaterThanOrEqual(0);
        expect(ageOn(birthDate, TODAY)).toBe(age);
      }),
      { numRuns: 500 },
    );
  });
});
