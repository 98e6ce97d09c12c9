import { expect, test } from '@playwright/test';
import { codeKeysFromSeed } from '@/lib/health-code/token';
import { signQuickToken } from '@/lib/checkin/quick-token';
import { signIn, uniquePhone } from './support/auth';
import { serverEnv } from './support/config';
import { newResident, registerPersonViaForm } from './support/persons';
import { setUpCheckerAtOwnVenue } from './support/venues';

test('a family checks in with the sunflower code; the checker sees it live; a red code alerts; an expired code is refused', async ({
  browser,
  page,
  request,
}) => {
  test.setTimeout(120_000);
  // The checker shows the sunflower code.
  await signIn(page, uniquePhone(), '/checker');
  const venue = await setUpCheckerAtOwnVenue(page, '东门-葵花码');
  await page.goto(`/checker/scan?v=${venue.venueId}`);
  await page.getByTestId('open-quick').click();
  // The code is asked for once the page has hydrated: on CI's loaded 2 cores that alone took 8 s once.
  await expect(page.getByTestId('sunflower')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('quick-venue')).toHaveText(venue.name);
  await expect(page.getByRole('status').filter({ hasText: '实时更新中' })).toBeVisible();
  await expect(page.getByTestId('quick-count')).toHaveText('0');
  const link = await page.getByTestId('quick-link').innerText();
  // The short link (issue #17), not the 150-character token.
  expect(link).toMatch(/\/q\/[A-HJ-NP-Z2-9]{10}$/);

  // A resident (registered earlier, now signed out) opens the link in their own browser and signs in.
  const residentCtx = await browser.newContext();
  const resident = await residentCtx.newPage();
  const phone = uniquePhone();
  await signIn(resident, phone, '/me');
  await registerPersonViaForm(resident, '/me/register', newResident({ birthYear: 1980 }));
  const child = newResident({ birthYear: 2015 });
  await registerPersonViaForm(resident, '/me/family/new', child);
  await residentCtx.clearCookies();
  await resident.goto(link);
  await expect(resident).toHaveURL(/\/sign-in\?callbackUrl=%2Fq%2Fv%2F/);
  await expect(async () => {
    await signIn(resident, phone, new URL(resident.url()).searchParams.get('callbackUrl')!);
  }).toPass({ timeout: 30_000, intervals: [2_000] });
  await expect(resident.getByText(`您正在“${venue.name}”进行正常体温快速打卡`)).toBeVisible();
  await resident.getByRole('checkbox').nth(1).check();
  await resident.getByRole('button', { name: '确认打卡（2人）' }).click();
  await expect(resident.getByTestId('quick-done')).toContainText('打卡成功');
  await expect(resident.getByTestId('quick-person')).toHaveCount(2);
  await expect(resident.getByTestId('quick-person').first()).toHaveAttribute('data-colour', 'green');

  // Pushed to the checker's screen without a reload.
  await expect(page.getByTestId('quick-count')).toHaveText('2');
  await expect(page.getByTestId('quick-recent').getByRole('listitem')).toHaveCount(2);

  // A red resident checks in: recorded, shown red with guidance, and the checker is alerted at once.
  const red = newResident({ birthYear: 1975 });
  await request.post('/api/status-import', {
    headers: { authorization: `Bearer ${serverEnv.STATUS_IMPORT_API_KEY}` },
    data: {
      batchId: `quick-red-${Date.now()}`,
      items: [
        {
          idType: 'cn_resident',
          idNumber: red.idNumber,
          colour: 'red',
          reason: 'home_isolation',
          asOf: new Date(Date.now() - 60_000).toISOString(),
        },
      ],
    },
  });
  const redCtx = await browser.newContext();
  const redPage = await redCtx.newPage();
  await signIn(redPage, uniquePhone(), '/me');
  await registerPersonViaForm(redPage, '/me/register', red);
  await redPage.goto(link);
  await redPage.getByRole('button', { name: '确认打卡（1人）' }).click();
  await expect(redPage.getByTestId('quick-person')).toHaveAttribute('data-colour', 'red');
  await expect(redPage.getByTestId('quick-person')).toContainText('居家隔离人员');
  await expect(page.getByTestId('quick-alert')).toContainText('快速打卡为红码');
  await expect(page.getByTestId('quick-count')).toHaveText('3');

  // A photo of an old code: refused with a clear message.
  const expired = signQuickToken(codeKeysFromSeed(serverEnv.CODE_SIGNING_KEY), {
    venueId: venue.venueId,
    checkerAccountId: '00000000-0000-4000-8000-000000000001',
    issuedAt: Date.now() - 11 * 60_000,
  });
  await redPage.goto(`/q/${expired}`);
  await expect(redPage.getByTestId('quick-error')).toContainText('打卡码已过期，请重新扫描现场屏幕上的打卡码。');
  await redPage.goto('/q/not-a-token');
  await expect(redPage.getByTestId('quick-error')).toContainText('二维码无效');
  await Promise.all([residentCtx.close(), redCtx.close()]);
});
