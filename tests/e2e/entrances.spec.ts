import { expect, test, type Page } from '@playwright/test';
import { signIn, uniquePhone } from './support/auth';
import { runDir } from './support/config';
import { newResident, registerPersonViaForm } from './support/persons';
import { joinAndApprove, registerVenueViaForm } from './support/venues';

// 多入口: the admin adds 东门; the checker opens the scanner, picks 东门 and records a scan there; the
// record carries 东门. Then the admin removes 东门 and the scanner falls back to the main entrance.
test.describe.configure({ timeout: 240_000 });

const desktop = { width: 1280, height: 800 };
const phone = { width: 390, height: 844 };

async function shotBoth(page: Page, name: string) {
  await page.screenshot({ path: `${runDir}/screens/phone-${name}.png`, fullPage: true });
  await page.setViewportSize(desktop);
  await page.screenshot({ path: `${runDir}/screens/desktop-${name}.png`, fullPage: true });
  await page.setViewportSize(phone);
}

test('the admin adds 东门; the checker picks it at the scanner and the record carries it', async ({ browser, page }) => {
  // The admin and their venue, in their own context.
  const adminCtx = await browser.newContext({ viewport: phone, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const admin = await adminCtx.newPage();
  await signIn(admin, uniquePhone(), '/venue');
  const venue = await registerVenueViaForm(admin);
  await admin.getByRole('link', { name: '入口管理' }).click();
  await admin.waitForURL(/\/venue\/entrances$/);
  await expect(admin.getByTestId('entrances-open')).toContainText('主入口');

  const name = admin.getByLabel('入口名称');
  await name.fill('东门');
  await admin.getByRole('button', { name: '新增', exact: true }).click();
  await expect(admin.getByTestId('entrance-东门')).toBeVisible();
  // The same name again: refused with the reason, what was typed kept, nothing added.
  await name.fill(' 东门 ');
  await admin.getByRole('button', { name: '新增', exact: true }).click();
  await expect(admin.locator('#entrance-name-error')).toHaveText('已有同名的入口，请换一个名称。');
  await expect(name).toHaveValue(' 东门 ');
  await name.fill('临时门');
  await admin.getByRole('button', { name: '新增', exact: true }).click();
  await expect(admin.getByTestId('entrance-临时门')).toBeVisible();
  await admin.getByTestId('remove-临时门').click();
  await expect(admin.getByRole('alertdialog')).toContainText('确定停用“临时门”？');
  await admin.getByRole('alertdialog').getByRole('button', { name: '停用' }).click();
  await expect(admin.getByTestId('entrances-removed')).toContainText('临时门');
  await expect(admin.getByTestId('entrance-临时门')).toHaveCount(0);
  // The main entrance is renamable, never removable.
  await expect(admin.getByTestId('entrance-主入口').getByRole('button', { name: '改名' })).toBeVisible();
  await expect(admin.getByTestId('remove-主入口')).toHaveCount(0);
  await name.fill('');
  await shotBoth(admin, 'venue-entrances');

  // A resident with a code to type at the door.
  const residentCtx = await browser.newContext();
  const resident = await residentCtx.newPage();
  await signIn(resident, uniquePhone(), '/me');
  await registerPersonViaForm(resident, '/me/register', newResident({ birthYear: 1990 }));
  const shortCode = await resident.getByTestId('short-code').innerText();

  // The checker joins; the admin approves.
  await signIn(page, uniquePhone(), '/checker');
  await joinAndApprove(page, admin, venue.code, '东门-小陈');

  // First time at this venue on this phone: the scanner asks which entrance (the main one until picked).
  await page.goto('/checker');
  await page.getByTestId('venue-choices').getByRole('link').first().click();
  const picker = page.getByTestId('entrance-picker');
  await expect(picker).toBeVisible();
  await expect(page.getByTestId('entrance-current')).toHaveText('当前入口：主入口');
  await expect(picker.getByText('请选择您所在的入口')).toBeVisible();
  await shotBoth(page, 'door-entrance-picker');
  await picker.getByRole('button', { name: '东门', exact: true }).click();
  await expect(page.getByTestId('entrance-current')).toHaveText('当前入口：东门');
  const eastId = (await picker.getAttribute('data-entrance-id'))!;
  await expect(page.getByTestId('open-quick')).toHaveAttribute('href', new RegExp(`[?&]entrance=${eastId}$`));

  // A typed code at 东门: the stored record names 东门.
  await page.getByLabel('粤康码短码（10位）').fill(shortCode);
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page.getByTestId('scan-result')).toHaveAttribute('data-colour', 'green');
  await page.getByRole('button', { name: '36.5', exact: true }).click();
  const sent = page.waitForResponse((r) => new URL(r.url()).pathname.startsWith('/api/checkins') && r.request().method() === 'POST');
  await page.getByRole('button', { name: '确认登记 36.5°C' }).click();
  const answer = await (await sent).json();
  const record = answer.record ?? answer.results?.[0]?.record;
  expect(record.entranceId).toBe(eastId);
  await expect(page.getByTestId('door-panel')).toHaveCount(0);

  // Remembered on this phone: reopened, the scanner is at 东门 without asking.
  await page.reload();
  await expect(page.getByTestId('entrance-current')).toHaveText('当前入口：东门');
  await expect(picker.getByText('请选择您所在的入口')).toHaveCount(0);
  await page.getByRole('button', { name: '切换入口' }).click();
  await expect(picker.getByRole('button', { name: '东门', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await picker.getByRole('button', { name: '收起', exact: true }).click();
  await expect(picker.getByText('请选择您所在的入口')).toHaveCount(0);

  // The admin removes 东门 (and adds 北门, so there is still a choice): the scanner falls back, and says so.
  await admin.goto('/venue/entrances');
  await name.fill('北门');
  await admin.getByRole('button', { name: '新增', exact: true }).click();
  await expect(admin.getByTestId('entrance-北门')).toBeVisible();
  await admin.getByTestId('remove-东门').click();
  await admin.getByRole('alertdialog').getByRole('button', { name: '停用' }).click();
  await expect(admin.getByTestId('entrances-removed')).toContainText('东门');
  await page.reload();
  await expect(page.getByTestId('entrance-current')).toHaveText('当前入口：主入口');
  await expect(picker.getByRole('status')).toHaveText('上次使用的入口已停用，已改为主入口。');
  await expect(picker.getByRole('button', { name: '东门', exact: true })).toHaveCount(0);
  await shotBoth(page, 'door-entrance-fallback');

  await adminCtx.close();
  await residentCtx.close();
});
