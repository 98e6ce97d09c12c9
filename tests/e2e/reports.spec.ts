import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { maskName } from '@/lib/identity/mask';
import { signIn, uniquePhone } from './support/auth';
import { newResident, registerPersonViaForm } from './support/persons';
import { joinAndApprove, registerVenueViaForm } from './support/venues';

// Issue #18: the admin prints the daily report to PDF — one A4 page a day, the fever's masked name only.
// The PDF and screenshots go to tests/.tmp/reports for people to look at.
const out = path.join(process.cwd(), 'tests/.tmp/reports');
const chinaDay = (offsetDays = 0) => new Date(Date.now() + 8 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);

test('an admin opens the daily report from 数据统计, prints it to an A4 PDF with one page per day, masked names only', async ({
  browser,
  page,
}) => {
  test.setTimeout(150_000);
  mkdirSync(out, { recursive: true });
  // A resident with a short code.
  const residentCtx = await browser.newContext();
  const resident = await residentCtx.newPage();
  const person = newResident({ birthYear: 1988 });
  await signIn(resident, uniquePhone(), '/me');
  await registerPersonViaForm(resident, '/me/register', person);
  const shortCode = await resident.getByTestId('short-code').innerText();

  // The admin's venue and an approved checker.
  await signIn(page, uniquePhone(), '/venue');
  const venue = await registerVenueViaForm(page);
  const checkerCtx = await browser.newContext();
  const checker = await checkerCtx.newPage();
  await signIn(checker, uniquePhone(), '/checker');
  const venueId = await joinAndApprove(checker, page, venue.code, '东门小李');
  for (const temperature of ['36.6', '38.5']) {
    const res = await checker.request.post('/api/checkins', {
      data: { clientId: randomUUID(), venueId, method: 'typed', code: shortCode, temperature, scannedAt: Date.now(), clockOffsetMs: 0 },
    });
    expect(res.status()).toBe(201);
  }

  // From 数据统计: 打印日报 opens today's report, one page.
  await page.goto('/venue/stats');
  // The export card: 打印日报 beside the CSV buttons, the per-checker CSV among them.
  const exportCard = page.locator('section').filter({ has: page.getByTestId('print-report') });
  await exportCard.screenshot({ path: `${out}/phone-stats-export.png` });
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: '检测员统计 CSV' }).click();
  const csvFile = `${out}/checkers.csv`;
  await (await download).saveAs(csvFile);
  expect(readFileSync(csvFile, 'utf8')).toContain('"东门小李","1","1"');
  await page.getByTestId('print-report').click();
  await expect(page).toHaveURL(/\/venue\/stats\/report\?day=/);
  await expect(page.getByTestId('report-page')).toHaveCount(1);
  const sheet = page.getByTestId('report-page').first();
  await expect(sheet).toContainText(venue.name);
  await expect(sheet).toContainText(chinaDay());
  // The fever re-measure supersedes the first reading (V12): one record stands, and it is a fever.
  await expect(sheet.getByTestId('report-checkins').locator('dd')).toHaveText('1');
  await expect(sheet.getByTestId('report-fevers').locator('dd')).toHaveText('1');
  await expect(sheet.getByTestId('report-fever-list')).toContainText('38.5°C');
  await expect(sheet.getByTestId('report-checkers')).toContainText('东门小李');
  await expect(page.getByRole('button', { name: '打印' })).toBeVisible();
  await page.screenshot({ path: `${out}/phone-report.png`, fullPage: true });

  // A bad range: a message in Chinese, no report.
  await page.goto(`/venue/stats/report?from=${chinaDay(-8)}&to=${chinaDay()}`);
  await expect(page.getByTestId('report-error')).toHaveText('一次最多打印 7 天，请缩短日期范围。');
  await expect(page.getByTestId('report-page')).toHaveCount(0);

  // Three days on a desktop-size page (PDF printing wants one): three pages in the PDF.
  const desk = await browser.newContext({
    storageState: await page.context().storageState(),
    viewport: { width: 1280, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const desktop = await desk.newPage();
  const from = chinaDay(-2);
  const to = chinaDay();
  await desktop.goto(`/venue/stats/report?from=${from}&to=${to}`);
  await expect(desktop.getByTestId('report-page')).toHaveCount(3);
  await desktop.screenshot({ path: `${out}/desktop-report.png`, fullPage: true });
  const text = await desktop.locator('body').innerText();
  expect(text).toContain(maskName(person.name));
  expect(text).not.toContain(person.name);
  expect(await desktop.content()).not.toContain(person.idNumber);

  await desktop.emulateMedia({ media: 'print' });
  await expect(desktop.getByTestId('report-toolbar')).toBeHidden();
  const pdf = await desktop.pdf({ format: 'A4', path: `${out}/report.pdf` });
  // Page objects of the PDF (not the /Pages tree): one per day.
  const pages =
    readFileSync(`${out}/report.pdf`)
      .toString('latin1')
      .match(/\/Type\s*\/Page(?!s)/g) ?? [];
  expect(pdf.length).toBeGreaterThan(1000);
  expect(pages).toHaveLength(3);
  await Promise.all([residentCtx.close(), checkerCtx.close(), desk.close()]);
});
