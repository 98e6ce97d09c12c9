import { randomUUID } from 'node:crypto';
import { expect, test, type Browser, type Page } from '@playwright/test';
import postgres from 'postgres';
import { signIn, uniquePhone } from './support/auth';
import { baseURL, e2eDatabase, runDir } from './support/config';
import { newResident, registerPersonViaForm } from './support/persons';
import { joinAndApprove, registerVenueViaForm } from './support/venues';

// The sunflower code per entrance and its short link (issue #17), on a 390×844 phone. On the PostgreSQL
// server the test adds an entrance (东门) the way the admin's entrance page will, and reads the records
// back; on PGlite (one process) the screen falls back to the main entrance and the browser is the witness
// (tagged @pglite: CI runs it on both databases).
test.describe.configure({ timeout: 150_000 });

/** A short connection to the e2e database (PostgreSQL server only; PGlite is held by the server process). */
async function onDatabase<T>(work: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(e2eDatabase!.appUrl, { max: 1, onnotice: () => {} });
  try {
    return await work(sql);
  } finally {
    await sql.end();
  }
}
const onServer = Boolean(e2eDatabase);

/** A venue with its admin (kept signed in, for the dashboard) and the page's account as its active checker. */
async function venueWithChecker(browser: Browser, page: Page) {
  const adminCtx = await browser.newContext();
  const admin = await adminCtx.newPage();
  await signIn(admin, uniquePhone(), '/venue');
  const venue = await registerVenueViaForm(admin);
  await signIn(page, uniquePhone(), '/checker');
  const venueId = await joinAndApprove(page, admin, venue.code, '葵花门岗');
  return { ...venue, venueId, admin, adminCtx };
}

async function residentWithCode(browser: Browser) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const person = newResident({ birthYear: 1986 });
  await signIn(page, uniquePhone(), '/me');
  const personId = await registerPersonViaForm(page, '/me/register', person);
  const shortCode = await page.getByTestId('short-code').innerText();
  return { ...person, personId, shortCode, page, ctx };
}

/** The phone screen: the QR ≥ 60 % of the width, the count on screen without scrolling. */
async function expectPhoneLayout(page: Page) {
  const qr = await page.getByTestId('sunflower-qr').boundingBox();
  expect(qr!.width).toBeGreaterThanOrEqual(234);
  const count = await page.getByTestId('quick-count-line').boundingBox();
  expect(count!.y + count!.height).toBeLessThanOrEqual(844);
  await expect(page.getByTestId('quick-count')).toBeInViewport();
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
}

test('the sunflower code at an entrance: the short link opens, the record carries the entrance, the count goes up @pglite', async ({
  browser,
  page,
}) => {
  const venue = await venueWithChecker(browser, page);
  const east = onServer
    ? await onDatabase(
        async (sql) =>
          (await sql<{ id: string }[]>`insert into venue_entrances (venue_id, name) values (${venue.venueId}, '东门') returning id`)[0].id,
      )
    : null;
  // The scanner links here with the entrance chosen (an unknown one on PGlite: the main one, said so).
  await page.goto(`/checker/quick?v=${venue.venueId}&entrance=${east ?? randomUUID()}`);
  await expect(page.getByTestId('sunflower')).toBeVisible();
  await expect(page.getByTestId('quick-venue')).toHaveText(venue.name);
  await expect(page.getByTestId('quick-entrance')).toHaveText(east ? '东门' : '主入口');
  await expect(page.getByTestId('quick-entrance-fallback')).toHaveCount(east ? 0 : 1);
  await expect(page.getByRole('status').filter({ hasText: '实时更新中' })).toBeVisible();
  await expect(page.getByTestId('quick-count')).toHaveText('0');
  const link = await page.getByTestId('quick-link').innerText();
  expect(link).toMatch(new RegExp(`^${baseURL}/q/[A-HJ-NP-Z2-9]{10}$`));
  await expectPhoneLayout(page);
  await page.screenshot({ path: `${runDir}/screens/phone-sunflower-zh.png` });

  // A resident opens the short link with their own phone and confirms.
  const resident = await residentWithCode(browser);
  await resident.page.goto(link);
  await expect(resident.page).toHaveURL(/\/q\/v\/Q1\./);
  const where = east ? `${venue.name}（东门）` : venue.name;
  await expect(resident.page.getByText(`您正在“${where}”进行正常体温快速打卡`)).toBeVisible();
  await resident.page.screenshot({ path: `${runDir}/screens/phone-sunflower-visit-zh.png` });
  await resident.page.getByRole('button', { name: '确认打卡（1人）' }).click();
  await expect(resident.page.getByTestId('quick-done')).toContainText('打卡成功');
  await expect(resident.page.getByTestId('quick-person')).toHaveAttribute('data-colour', 'green');

  // The checker's count goes up without a reload.
  await expect(page.getByTestId('quick-count')).toHaveText('1');
  await expect(page.getByTestId('quick-recent').getByRole('listitem')).toHaveCount(1);
  await page.screenshot({ path: `${runDir}/screens/phone-sunflower-counted-zh.png` });

  if (onServer) {
    const rows = await onDatabase(
      (sql) => sql<{ method: string; entrance_id: string }[]>`
        select method, entrance_id from checkins where venue_id = ${venue.venueId} and person_id = ${resident.personId}`,
    );
    expect(rows).toEqual([{ method: 'quick', entrance_id: east }]);
  }

  // A made-up short link reads as an expired code, with the same clear page.
  await resident.page.goto('/q/ABCDEFGHJK');
  await expect(resident.page.getByTestId('quick-error')).toContainText('打卡码已过期，请重新扫描现场屏幕上的打卡码。');

  // The same screen on a desktop, and in English on the phone.
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: `${runDir}/screens/desktop-sunflower-zh.png` });
  await page.context().addCookies([{ name: 'NEXT_LOCALE', value: 'en', url: baseURL }]);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(page.getByTestId('quick-count-line')).toContainText('quick check-in');
  await expect(page.getByTestId('sunflower')).toBeVisible();
  await expectPhoneLayout(page);
  await page.screenshot({ path: `${runDir}/screens/phone-sunflower-en.png` });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: `${runDir}/screens/desktop-sunflower-en.png` });
  await Promise.all([resident.ctx.close(), venue.adminCtx.close()]);
});

test('a quick check-in after a fever: the fever a checker measured is still counted', async ({ browser, page }) => {
  const venue = await venueWithChecker(browser, page);
  const resident = await residentWithCode(browser);

  // The checker types the resident's short code and measures 38.8; the field is cleared for the next person.
  await page.goto(`/checker/scan?v=${venue.venueId}`);
  await expect(page.getByTestId('scanner-venue')).toBeVisible();
  const typed = page.getByLabel('粤康码短码（10位）');
  await typed.fill(resident.shortCode);
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page.getByTestId('scan-result')).toHaveAttribute('data-colour', 'green');
  await page.getByRole('button', { name: '其他体温（键盘输入）' }).click();
  for (const key of ['3', '8', '.', '8']) await page.getByRole('button', { name: key, exact: true }).click();
  await page.getByRole('button', { name: '发热 38.8°C，确认登记' }).click();
  await expect(page.getByTestId('recent-records')).toContainText('38.8°C');
  await expect(typed).toHaveValue('');

  // A wrong code keeps the text, with the message, to be corrected.
  const wrong = resident.shortCode.slice(0, 9) + (resident.shortCode.endsWith('2') ? '3' : '2');
  await typed.fill(wrong);
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page.getByTestId('scan-error')).toBeVisible();
  await expect(typed).toHaveValue(wrong);
  await page.screenshot({ path: `${runDir}/screens/phone-scanner-typed-refused.png` });

  // Then the visitor confirms "normal" with the sunflower code on their own phone.
  await page.getByTestId('open-quick').click();
  const link = await page.getByTestId('quick-link').innerText();
  await resident.page.goto(link);
  await resident.page.getByRole('button', { name: '确认打卡（1人）' }).click();
  await expect(resident.page.getByTestId('quick-done')).toContainText('打卡成功');

  // The dashboard still counts the fever (like with like: the quick record never supersedes a measurement).
  await expect(async () => {
    await venue.admin.goto('/venue/stats');
    await expect(venue.admin.getByTestId('glance-fevers')).toContainText('1', { timeout: 2_000 });
  }).toPass({ timeout: 30_000, intervals: [1_000, 2_000] });
  await expect(venue.admin.getByTestId('fever-list')).toContainText('38.8°C');
  await venue.admin.screenshot({ path: `${runDir}/screens/phone-stats-after-quick.png`, fullPage: true });

  if (onServer) {
    const rows = await onDatabase(
      (sql) => sql<{ method: string; fever: boolean; standing: boolean }[]>`
        select method, fever, superseded_by_id is null as standing from checkins
         where venue_id = ${venue.venueId} and person_id = ${resident.personId} order by effective_at, received_at`,
    );
    expect(rows).toEqual([
      { method: 'typed', fever: true, standing: true },
      { method: 'quick', fever: false, standing: false },
    ]);
  }
  await Promise.all([resident.ctx.close(), venue.adminCtx.close()]);
});
