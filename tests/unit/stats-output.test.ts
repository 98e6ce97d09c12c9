import { describe, expect, it } from 'vitest';
import { toCsv } from '@/lib/stats/csv';
import { suppressSmall } from '@/lib/stats/suppression';

describe('small-number suppression', () => {
  it('hides slices under 5, and a second slice when only one would be hidden', () => {
    expect(
      suppressSmall([
        { key: 'M', value: 3 },
        { key: 'F', value: 40 },
      ]),
    ).toEqual([
      { key: 'M', value: null, suppressed: true },
      { key: 'F', value: null, suppressed: true },
    ]);
    const ages = suppressSmall([
      { key: '0-17', value: 2 },
      { key: '18-29', value: 9 },
      { key: '30-39', value: 30 },
      { key: '60+', value: 0 },
    ]);
    expect(ages.map((a) => a.value)).toEqual([null, null, 30, 0]);
    expect(
      suppressSmall([
        { key: 'a', value: 1 },
        { key: 'b', value: 4 },
        { key: 'c', value: 50 },
      ]).map((s) => s.value),
    ).toEqual([null, null, 50]);
    expect(
      suppressSmall([
        { key: 'a', value: 5 },
        { key: 'b', value: 7 },
      ]).map((s) => s.value),
    ).toEqual([5, 7]);
  });

  it('never leaves a hidden value recoverable as total minus the others', () => {
    for (let a = 0; a < 12; a++) {
      for (let b = 0; b < 12; b++) {
        const shown = suppressSmall([
          { key: 'a', value: a },
          { key: 'b', value: b },
          { key: 'c', value: 20 },
        ]);
        expect(shown.filter((s) => s.suppressed).length === 1).toBe(false);
      }
    }
  });
});

describe('CSV for Excel', () => {
  it('starts with a BOM, quotes cells, uses CRLF and neutralises formulas', () => {
    const csv = toCsv([
      ['名称', 'n'],
      ['=HYPERLINK("x")', 3],
      ['+1', '-2'],
      ['@sum', '\tx'],
      ['ok "quoted"', null],
    ]);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv.slice(1).split('\r\n')).toEqual([
      '"名称","n"',
      `"'=HYPERLINK(""x"")","3"`,
      `"'+1","'-2"`,
      `"'@sum","'\tx"`,
      '"ok ""quoted""",""',
      '',
    ]);
  });
});
