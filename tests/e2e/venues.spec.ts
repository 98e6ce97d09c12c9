import { expect, test } from '@playwright/test';
import { signIn, uniquePhone } from './support/auth';
import { registerVenueViaForm } from './support/venues';

test('an admin registers a venue, sees and prints the invite code, and edits once a week', async ({ page }) => {
  await signIn(page, uniquePhone(), '/venue');
  await page.goto('/venue/register');
  await page.getByRole('button', { name: '提交申报' }).click();
  await expect(page.getByText('请选择到镇（街道）一级的广东省地区。')).toBeVisible();
  await expect(page.getByText('请填写此项。').first()).toBeVisible();

  const venue = await registerVenueViaForm(page, { type: 'dining_lodging' });
  expect(venue.code).toMatch(/^[2-9A-HJ-NP-Z]{8}$/);
  await expect(page.getByText('餐饮住宿')).toBeVisible();

  await page.getByRole('link', { name: '打印申报码海报' }).click();
  await expect(page.getByTestId('poster')).toContainText(venue.name);
  await expect(page.getByTestId('poster')).toContainText(`${venue.code.slice(0, 4)}-${venue.code.slice(4)}`);
  await expect(page.getByRole('img', { name: /场所申报码二维码/ })).toBeVisible();

  // Registering a second venue is refused.
  await page.goto('/venue/register');
  await expect(page).toHaveURL(/\/venue$/);

  // V6: one edit per natural week, shown in the UI.
  await page.goto('/venue/edit');
  await page.getByLabel('场所名称').fill(`${venue.name}（改）`);
  await page.getByRole('button', { name: '保存修改' }).click();
  await page.waitForURL(/\/venue(\?notice=\w+)?$/);
  await expect(page.getByTestId('venue-name')).toHaveText(`${venue.name}（改）`);
  await expect(page.getByTestId('invite-code')).toHaveText(`${venue.code.slice(0, 4)}-${venue.code.slice(4)}`);
  await page.goto('/venue/edit');
  await expect(page.getByTestId('edit-locked')).toContainText('本周已修改过场所信息');
  await expect(page.getByTestId('edit-locked')).toContainText('星期一');
});

test('checkers bind by code, wait for approval, are removed, refused, allowed again, and bind by the QR link', async ({ browser }) => {
  const adminCtx = await browser.newContext();
  const checkerCtx = await browser.newContext();
  const admin = await adminCtx.newPage();
  const checker = await checkerCtx.newPage();
  await signIn(admin, uniquePhone(), '/venue');
  const venue = await registerVenueViaForm(admin);

  await signIn(checker, uniquePhone(), '/venue');
  await checker.goto('/join');
  await checker.getByLabel('场所申报码').fill('ZZZZ-ZZZZ');
  await checker.getByRole('button', { name: '查找场所' }).click();
  await expect(checker.getByText('未找到该申报码对应的场所，请核对后重试。')).toBeVisible();
  await checker.getByLabel('场所申报码').fill(venue.code.toLowerCase());
  await checker.getByRole('button', { name: '查找场所' }).click();
  await expect(checker.getByTestId('join-venue-name')).toHaveText(venue.name);
  await checker.getByLabel('您的称呼').fill('东门-王师傅');
  await checker.getByRole('button', { name: '申请绑定' }).click();
  await expect(checker.getByTestId('join-done')).toContainText('请等待场所管理员审核');
  await checker.goto('/venue');
  await expect(checker.getByTestId('checker-venues')).toContainText('待管理员审核');

  await admin.goto('/venue/members');
  const pending = admin.getByTestId('members-pending');
  await expect(pending).toContainText('东门-王师傅');
  await expect(pending).toContainText('****');
  await admin.getByTestId('approve-东门-王师傅').click();
  await expect(admin.getByTestId('members-active')).toContainText('东门-王师傅');
  await checker.reload();
  await expect(checker.getByTestId('checker-venues')).toContainText('已绑定');

  await admin.getByTestId('remove-东门-王师傅').click();
  await admin.getByRole('alertdialog').getByRole('button', { name: '解除绑定' }).click();
  await expect(admin.getByTestId('members-removed')).toContainText('东门-王师傅');

  // The QR opens /join/<code>: a removed checker is refused until allowed again.
  await checker.goto(`/join/${venue.code}`);
  await checker.getByLabel('您的称呼').fill('东门-王师傅');
  await checker.getByRole('button', { name: '申请绑定' }).click();
  await expect(checker.getByRole('main').getByRole('alert')).toHaveText('您已被该场所解除绑定，如需重新绑定，请联系场所管理员允许。');

  await admin.getByTestId('allow-东门-王师傅').click();
  await expect(admin.getByTestId('members-removed')).toHaveCount(0);
  await checker.goto(`/join/${venue.code}`);
  await checker.getByLabel('您的称呼').fill('东门-王师傅');
  await checker.getByRole('button', { name: '申请绑定' }).click();
  await expect(checker.getByTestId('join-done')).toContainText('请等待场所管理员审核');
  await admin.reload();
  await expect(admin.getByTestId('members-pending')).toContainText('东门-王师傅');

  // A checker cannot open the admin's member management.
  await checker.goto('/venue/members');
  await expect(checker).toHaveURL(/\/venue$/);
  await Promise.all([adminCtx.close(), checkerCtx.close()]);
});

test('the admin is replaced end to end: the new admin accepts and the old one loses access', async ({ browser }) => {
  const oldCtx = await browser.newContext();
  const newCtx = await browser.newContext();
  const oldAdmin = await oldCtx.newPage();
  const newAdmin = await newCtx.newPage();
  const newPhone = uniquePhone();
  await signIn(oldAdmin, uniquePhone(), '/venue');
  const venue = await registerVenueViaForm(oldAdmin);

  await oldAdmin.goto('/venue/members');
  await oldAdmin.getByLabel('新管理员手机号码').fill('123');
  await oldAdmin.getByRole('button', { name: '发起更换' }).click();
  await expect(oldAdmin.getByText('请输入正确的11位手机号码。')).toBeVisible();
  await oldAdmin.getByLabel('新管理员手机号码').fill(newPhone);
  await oldAdmin.getByRole('button', { name: '发起更换' }).click();
  await expect(oldAdmin.getByTestId('replacement-pending')).toContainText(`${newPhone.slice(0, 3)}****${newPhone.slice(7)}`);

  await signIn(newAdmin, newPhone, '/venue');
  await expect(newAdmin.getByText(`“${venue.name}”的管理员邀请您接任场所管理员`)).toBeVisible();
  await newAdmin.getByTestId('accept-invitation').click();
  await expect(newAdmin.getByTestId('venue-name')).toHaveText(venue.name);

  await oldAdmin.goto('/venue');
  await expect(oldAdmin.getByTestId('venue-name')).toHaveCount(0);
  await expect(oldAdmin.getByRole('link', { name: '申报场所' })).toBeVisible();
  await oldAdmin.goto('/venue/members');
  await expect(oldAdmin).toHaveURL(/\/venue$/);
  await Promise.all([oldCtx.close(), newCtx.close()]);
});
