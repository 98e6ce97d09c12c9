import { expect, type Page } from '@playwright/test';
import { makeResidentIdNumber } from '@/lib/identity/id-documents';
import { recordSeeded } from './seeded';

const SURNAMES = ['陈', '林', '黄', '张', '李', '王', '吴', '刘', '蔡', '杨', '郑', '梁', '谢', '何', '罗'];
const GIVEN = ['志明', '美华', '一一', '秀英', '建国', '晓燕', '子轩', '雨桐', '国强', '丽娟', '浩然', '嘉怡'];

let n = 0;
/** A resident identity no other test uses: a valid mainland ID with a random birth date and sequence. */
export function newResident(opts: { birthYear?: number; gender?: 'M' | 'F' } = {}) {
  n += 1;
  const seed = Math.floor(Math.random() * 1e9) + n * 7919 + Number(process.env.TEST_PARALLEL_INDEX ?? 0) * 104729;
  const year = opts.birthYear ?? 1950 + (seed % 50);
  const month = String(1 + (seed % 12)).padStart(2, '0');
  const day = String(1 + (Math.floor(seed / 12) % 28)).padStart(2, '0');
  const gender = opts.gender ?? (seed % 2 ? 'M' : 'F');
  const resident = {
    name: `${SURNAMES[seed % SURNAMES.length]}${GIVEN[Math.floor(seed / 15) % GIVEN.length]}`,
    idNumber: makeResidentIdNumber({ region: '440106', birthDate: `${year}-${month}-${day}`, sequence: seed % 100, gender }),
    gender,
  };
  recordSeeded({ name: resident.name, idNumber: resident.idNumber });
  return resident;
}

/** Fills the person form (self or family) with a mainland ID and submits; returns the person id. */
export async function registerPersonViaForm(
  page: Page,
  path: '/me/register' | '/me/family/new',
  person: { name: string; idNumber: string },
) {
  await page.goto(path);
  await page.getByLabel(/^(姓名|Name)$/).fill(person.name);
  await page.getByLabel(/^(证件号码|Document number)$/).fill(person.idNumber);
  await page.getByRole('button', { name: /^(提交|Submit)$/ }).click();
  await page.waitForURL(/\/me\?p=/);
  await expect(page.getByTestId('health-code')).toBeVisible();
  return new URL(page.url()).searchParams.get('p')!;
}
