import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { signIn, uniquePhone } from './support/auth';
import { runDir } from './support/config';
import { newResident, registerPersonViaForm } from './support/persons';
import { joinAndApprove, registerVenueViaForm } from './support/venues';

test('the dashboard shows the venue live, alerts on a fever, exports a safe CSV, and never shows a name', async ({ browser, page }) => {
  test.setTimeout(120_000);
  // A resident with a short code.
  const residentCtx = await browser.newContext();
  const resident = await residentCtx.newPage();
  const person = newResident({ birthYear: 1990 });
  await signIn(resident, uniquePhone(), '/me');
  await registerPersonViaForm(resident, '/me/register', person);
  const shortCode = await resident.getByTestId('short-code').innerText();

  // The admin, and a checker whose display name tries a spreadsheet formula.
  await signIn(page, uniquePhone(), '/venue');
  const venue = await registerVenueViaForm(page);
  const checkerCtx = await browser.newContext();
  const checker = await checkerCtx.newPage();
  await signIn(checker, uniquePhone(), '/checker');
  const venueId = await joinAndApprove(checker, page, venue.code, '=1+1门岗');
  const record = (temperature: string) =>
    checker.request.post('/api/checkins', {
      data: { clientId: randomUUID(), venueId, method: 'typed', code: shortCode, temperature, scannedAt: Date.now(), clockOffsetMs: 0 },
    });
  expect((await record('36.6')).status()).toBe(201);

  await page.goto('/venue/stats');
  for (const chart of ['hourly', 'daily']) {
    await expect(page.getByTestId(`chart-${chart}`).locator('svg.recharts-surface').first()).toBeVisible({ timeout: 15_000 });
  }
  // A handful of visitors: the gender and age groups are below the threshold and say so, with no empty axes.
  for (const chart of ['gender', 'ages']) await expect(page.getByTestId(`suppressed-${chart}`)).toHaveText('数据较少，暂不显示');
  await expect(page.getByTestId('glance-checkins')).toContainText('1');
  await expect(page.getByRole('status').filter({ hasText: '实时更新中' })).toBeVisible();

  // A fever at the door reaches the admin at once, without a reload (the alert is never coalesced).
  expect((await record('38.5')).status()).toBe(201);
  await expect(page.getByTestId('fever-alert')).toContainText('38.5');
  await expect(page.getByTestId('glance-fevers')).toContainText('1');
  await expect(page.getByTestId('fever-list')).toContainText('38.5°C');

  // The CSV: BOM, header, and the formula-looking name neutralised.
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: '发热人员 CSV' }).click();
  const file = `${runDir}/fevers-${Date.now()}.csv`;
  await (await download).saveAs(file);
  const csv = readFileSync(file, 'utf8');
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  expect(csv).toContain('"时间","检测员","体温"');
  expect(csv).toContain(`"'=1+1门岗"`);
  expect(csv).not.toContain(person.name);

  // Venue roles never see a name or ID number in clear.
  for (const p of [page, checker]) {
    const html = await p.content();
    expect(html).not.toContain(person.name);
    expect(html).not.toContain(person.idNumber);
  }
  // A checker cannot read the dashboard or its export.
  await checker.goto('/venue/stats');
  await expect(checker).toHaveURL(/\/venue$/);
  expect((await checker.request.get('/venue/stats/export?kind=fevers')).status()).toBe(403);
  await Promise.all([residentCtx.close(), checkerCtx.close()]);
});
