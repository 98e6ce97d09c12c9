import { mkdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { signIn, uniquePhone } from './support/auth';
import { runDir } from './support/config';
import { statePath } from './support/shared';

// H4 and the FAQ (如入境后更换过护照…建议尝试使用旧的护照号): a passport holder adds their renewed passport from
// their person page; the new number is shown, the old one is listed as earlier, and an official looking the
// old number up finds the same person, with the number in use.

const shots = `${runDir}/screens`;

test('a passport holder adds a renewed passport; the old number still finds them', async ({ browser }) => {
  mkdirSync(shots, { recursive: true });
  const residentCtx = await browser.newContext();
  const officialCtx = await browser.newContext({ storageState: statePath('official') });
  const page = await residentCtx.newPage();
  const tail = String(Date.now()).slice(-7);
  const oldNumber = `E1${tail}`;
  const newNumber = `EJ${tail}`;

  await signIn(page, uniquePhone(), '/me/register');
  await page.getByLabel('证件类型').selectOption('passport');
  await page.getByLabel(/^姓名$/).fill('BROWN OLIVIA');
  await page.getByLabel(/^证件号码$/).fill(oldNumber);
  await page.getByLabel('国籍（三位字母代码）').fill('AUS');
  await page.getByRole('radio', { name: '女' }).check();
  await page.getByLabel('出生日期').fill('1988-07-09');
  // A Chinese nationality is refused (residents register their mainland ID); the form keeps what was typed,
  // the document type included (React resets a form after its action: the select must not fall back).
  await page.getByLabel('国籍（三位字母代码）').fill('CHN');
  await page.getByRole('button', { name: '提交' }).click();
  await expect(page.getByText('中国公民请使用内地居民身份证登记。')).toBeVisible();
  await expect(page.getByLabel('证件类型')).toHaveValue('passport');
  await expect(page.getByLabel(/^证件号码$/)).toHaveValue(oldNumber);
  await page.getByLabel('国籍（三位字母代码）').fill('AUS');
  await page.getByRole('button', { name: '提交' }).click();
  await page.waitForURL(/\/me\?p=/);

  await page.getByRole('link', { name: '证件信息' }).click();
  await expect(page.getByRole('heading', { name: '证件信息' })).toBeVisible();
  await expect(page.getByTestId('documents-list').getByRole('listitem')).toHaveCount(1);
  // A malformed number: a clear message, nothing added.
  await page.getByLabel('新护照号码').fill('E1');
  await page.getByRole('button', { name: '登记新护照' }).click();
  await expect(page.getByText('格式不正确，请核对。')).toBeVisible();
  // The number already registered to this person.
  await page.getByLabel('新护照号码').fill(oldNumber);
  await page.getByRole('button', { name: '登记新护照' }).click();
  await expect(page.getByTestId('renew-result')).toHaveText('该护照号码已是本人登记的证件。');
  await page.getByLabel('新护照号码').fill(newNumber);
  await page.getByRole('button', { name: '登记新护照' }).click();
  await expect(page.getByTestId('renew-result')).toHaveText('已登记新护照，粤康码继续有效。');
  const rows = page.getByTestId('documents-list').getByRole('listitem');
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toContainText('现用');
  await expect(rows.nth(1)).toContainText('曾用');
  await page.screenshot({ path: `${shots}/me-documents.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: `${shots}/me-documents-desktop.png`, fullPage: true });

  // The official types the old number and finds the person, with the number in use.
  const o = await officialCtx.newPage();
  await o.goto('/ops');
  await o.getByLabel('证件类型').selectOption('passport');
  await o.getByLabel('证件号码').fill(oldNumber);
  await o.getByLabel('国籍（三位字母代码）').fill('AUS');
  await o.getByLabel('查询事由（必填）').fill('核对换发护照');
  await o.getByRole('button', { name: '查询' }).click();
  const result = o.getByTestId('ops-result');
  await expect(result.getByText('BROWN OLIVIA')).toBeVisible();
  await expect(result.getByText(newNumber)).toBeVisible();
  await expect(o.getByTestId('ops-earlier-documents')).toContainText('AUS');
  // The form still shows what was looked up (the document type too, after React's reset of the form).
  await expect(o.getByLabel('证件类型')).toHaveValue('passport');
  await o.screenshot({ path: `${shots}/ops-lookup-renewed.png`, fullPage: true });
  await Promise.all([residentCtx.close(), officialCtx.close()]);
});
