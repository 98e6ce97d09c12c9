import { randomUUID } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { latestCode, signIn, uniquePhone } from './support/auth';
import { sinkUrl } from './support/config';
import { newResident, registerPersonViaForm } from './support/persons';
import { joinAndApprove, registerVenueViaForm } from './support/venues';

// SPEC L2 (#19) on a phone, in Chinese: 更换手机号 while signed in (then signing in with the new number),
// 找回账号 from the sign-in page, and 注销账号 after which the venue's dashboard shows the same numbers.
// The server runs with ACCOUNT_COOLING_OFF_SECONDS=5 (tests/e2e/support/config.ts).
const SHOTS = process.env.ACCOUNT_SHOTS_DIR;
async function shot(page: Page, name: string) {
  if (!SHOTS) return;
  await page.screenshot({ path: `${SHOTS}/${name}-phone.png`, fullPage: true });
  const size = page.viewportSize();
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: `${SHOTS}/${name}-desktop.png`, fullPage: true });
  if (size) await page.setViewportSize(size);
}

async function askCode(page: Page, phone: string) {
  const before = ((await (await fetch(`${sinkUrl}/codes/${phone}`)).json()) as { latest: string | null }).latest;
  await page.getByLabel('新手机号码', { exact: true }).fill(phone);
  await page.getByRole('button', { name: '获取验证码' }).click();
  await expect(page.getByRole('status')).toContainText('验证码已发送');
  return latestCode(phone, before);
}

test('更换手机号: a code to the new number, every device signs out, the new number signs in to the same account', async ({
  browser,
  page,
}) => {
  test.setTimeout(120_000);
  const oldPhone = uniquePhone();
  const newPhone = uniquePhone();
  await signIn(page, oldPhone, '/settings');
  await shot(page, 'settings');
  await page.getByRole('link', { name: /更换手机号/ }).click();
  await expect(page.getByRole('heading', { name: '更换手机号' })).toBeVisible();

  // A number that already has an account is refused with a clear message.
  const otherCtx = await browser.newContext();
  const other = await otherCtx.newPage();
  const takenPhone = uniquePhone();
  await signIn(other, takenPhone, '/settings');
  await page.getByLabel('新手机号码', { exact: true }).fill(takenPhone);
  await page.getByRole('button', { name: '获取验证码' }).click();
  await expect(page.getByText('该号码已注册账号')).toBeVisible();

  const code = await askCode(page, newPhone);
  await page.getByLabel('短信验证码').fill(code);
  await shot(page, 'phone-change');
  await page.getByRole('button', { name: '确认更换' }).click();
  await expect(page.getByTestId('phone-changed')).toContainText(`${newPhone.slice(0, 3)}****${newPhone.slice(7)}`);

  // Signed out here; the new number reaches the same account (its settings show it).
  await page.goto('/settings');
  await expect(page).toHaveURL(/\/sign-in/);
  // The change code and the sign-in code share the number's resend wait (5 s on the test server).
  await page.waitForTimeout(5_000);
  await signIn(page, newPhone, '/settings');
  await expect(page.getByTestId('settings-phone')).toHaveText(`${newPhone.slice(0, 3)}****${newPhone.slice(7)}`);
  await otherCtx.close();
});

test('找回账号: from the sign-in page, with the new number and the own document; then the account moves to the new number', async ({
  browser,
  page,
}) => {
  test.setTimeout(120_000);
  const oldPhone = uniquePhone();
  const person = newResident({ birthYear: 1979 });
  const ownerCtx = await browser.newContext();
  const owner = await ownerCtx.newPage();
  await signIn(owner, oldPhone, '/me');
  await registerPersonViaForm(owner, '/me/register', person);

  await page.goto('/sign-in');
  await page.getByRole('link', { name: '原手机号已停用？找回账号' }).click();
  await expect(page.getByRole('heading', { name: '找回账号' })).toBeVisible();
  const newPhone = uniquePhone();
  const code = await askCode(page, newPhone);
  await page.getByLabel('短信验证码').fill(code);
  await page.getByLabel('证件号码', { exact: true }).fill(person.idNumber);
  // A wrong name: the same answer as a document nobody registered.
  await page.getByLabel('姓名', { exact: true }).fill(`${person.name}不符`);
  await page.getByRole('button', { name: '提交找回申请' }).click();
  await expect(page.getByText('身份核验未通过')).toBeVisible();
  await shot(page, 'recover');
  // The right name: pending for the (shortened) cooling-off period, then the account moves to the new number.
  // That try used the code: a new one (after the resend wait), then the right name.
  const resend = page.getByRole('button', { name: '重新获取' });
  await expect(resend).toBeEnabled({ timeout: 15_000 });
  await resend.click();
  await page.getByLabel('短信验证码').fill(await latestCode(newPhone, code));
  await page.getByLabel('姓名', { exact: true }).fill(person.name);
  await page.getByRole('button', { name: '提交找回申请' }).click();
  await expect(page.getByTestId('recovery-submitted')).toContainText('申请已提交');
  await shot(page, 'recover-submitted');
  await expect
    .poll(
      async () => {
        await owner.goto('/settings');
        return new URL(owner.url()).pathname;
      },
      { timeout: 30_000, intervals: [2000] },
    )
    .toBe('/sign-in');
  await page.waitForTimeout(5_000);
  await signIn(page, newPhone, '/settings');
  await expect(page.getByTestId('settings-phone')).toHaveText(`${newPhone.slice(0, 3)}****${newPhone.slice(7)}`);
  await ownerCtx.close();
});

test('注销账号: asked, cancelled, asked again; after the cooling-off period the account is gone and the venue’s numbers are the same', async ({
  browser,
  page,
}) => {
  test.setTimeout(180_000);
  // A resident who checks in at a venue, with a family member only they guard.
  const residentCtx = await browser.newContext();
  const resident = await residentCtx.newPage();
  const person = newResident({ birthYear: 1984 });
  const residentPhone = uniquePhone();
  await signIn(resident, residentPhone, '/me');
  await registerPersonViaForm(resident, '/me/register', person);
  const shortCode = await resident.getByTestId('short-code').innerText();
  await registerPersonViaForm(resident, '/me/family/new', newResident({ birthYear: 2015 }));

  // The venue: admin (this page) and a checker who records the resident twice, one fever.
  await signIn(page, uniquePhone(), '/venue');
  const venue = await registerVenueViaForm(page);
  const checkerCtx = await browser.newContext();
  const checker = await checkerCtx.newPage();
  await signIn(checker, uniquePhone(), '/checker');
  const venueId = await joinAndApprove(checker, page, venue.code, '北门小周');
  for (const temperature of ['36.6', '38.4']) {
    const res = await checker.request.post('/api/checkins', {
      data: { clientId: randomUUID(), venueId, method: 'typed', code: shortCode, temperature, scannedAt: Date.now(), clockOffsetMs: 0 },
    });
    expect(res.status()).toBe(201);
  }
  const numbers = async () => {
    await page.goto('/venue/stats');
    await expect(page.getByTestId('fever-list')).toContainText('38.4°C');
    return {
      checkins: await page.getByTestId('glance-checkins').innerText(),
      fevers: await page.getByTestId('glance-fevers').innerText(),
      feverRows: await page.getByTestId('fever-list').locator('li, tr').count(),
    };
  };
  const before = await numbers();

  // The venue's admin cannot delete their account while the venue is open.
  await page.goto('/settings/delete');
  await expect(page.getByTestId('deletion-open-venue')).toContainText('请先移交或关闭场所');

  // The resident asks, sees the persons to decide about, cancels, then asks again.
  await resident.goto('/settings');
  await resident.getByRole('link', { name: /注销账号/ }).click();
  await expect(resident.getByTestId('deletion-persons')).toBeVisible();
  await resident.getByLabel('随账号删除').check();
  await shot(resident, 'delete');
  await resident.getByRole('button', { name: '申请注销' }).click();
  await resident.getByRole('alertdialog').getByRole('button', { name: '确定申请' }).click();
  await expect(resident.getByTestId('deletion-pending')).toBeVisible();
  await shot(resident, 'delete-pending');
  await resident.getByRole('button', { name: '撤销注销' }).click();
  await expect(resident.getByTestId('deletion-persons')).toBeVisible();
  await resident.getByLabel('随账号删除').check();
  await resident.getByRole('button', { name: '申请注销' }).click();
  await resident.getByRole('alertdialog').getByRole('button', { name: '确定申请' }).click();
  await expect(resident.getByTestId('deletion-pending')).toBeVisible();

  // The job carries it out after the (shortened) cooling-off period: the resident is signed out.
  await expect
    .poll(
      async () => {
        await resident.goto('/settings');
        return new URL(resident.url()).pathname;
      },
      { timeout: 30_000, intervals: [2000] },
    )
    .toBe('/sign-in');
  // Every number on the venue's dashboard is the same; the record stays.
  expect(await numbers()).toEqual(before);
  // The number is free: signing in makes a new, empty account.
  await signIn(resident, residentPhone, '/me');
  await expect(resident.getByText(person.name)).toHaveCount(0);
  await Promise.all([residentCtx.close(), checkerCtx.close()]);
});
