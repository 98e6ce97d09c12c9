import { expect, test } from '@playwright/test';
import { signIn, uniquePhone } from './support/auth';
import { runDir } from './support/config';
import { newResident, registerPersonViaForm } from './support/persons';
import { joinAndApprove, registerVenueViaForm } from './support/venues';

// One meaning per number (issue #17): a fever measured at the door and re-measured normal is one visit —
// the scanner's 今日已检测 equals the dashboard's per-checker 检测人次, the fever list shows it under
// 已复测正常 (not among the standing fevers), and the cards agree with the list.
test('scan 38.8 → re-scan 36.5: the scanner and the dashboard both say 1 人次; the fever is under 已复测正常', async ({
  browser,
  page,
}) => {
  test.setTimeout(150_000);
  const residentCtx = await browser.newContext();
  const resident = await residentCtx.newPage();
  const person = newResident({ birthYear: 1986 });
  await signIn(resident, uniquePhone(), '/me');
  await registerPersonViaForm(resident, '/me/register', person);
  const shortCode = await resident.getByTestId('short-code').innerText();
  await residentCtx.close();

  // The admin (this page) and a checker approved at the venue.
  await signIn(page, uniquePhone(), '/venue');
  const venue = await registerVenueViaForm(page);
  const checkerCtx = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const checker = await checkerCtx.newPage();
  await signIn(checker, uniquePhone(), '/checker');
  await joinAndApprove(checker, page, venue.code, '口径门岗');
  await checker.getByTestId('venue-choices').getByRole('link').first().click();
  await expect(checker.getByTestId('today-count')).toHaveText('0人次');

  // 38.8 through the typed short code, then the re-measurement 36.5 a moment later.
  const typed = checker.getByLabel('粤康码短码（10位）');
  await typed.fill(shortCode);
  await checker.getByRole('button', { name: '查询' }).click();
  await expect(checker.getByTestId('scan-result')).toHaveAttribute('data-colour', 'green');
  await checker.getByRole('button', { name: '其他体温（键盘输入）' }).click();
  for (const key of ['3', '8', '.', '8']) await checker.getByRole('button', { name: key, exact: true }).click();
  await checker.getByRole('button', { name: '发热 38.8°C，确认登记' }).click();
  await expect(checker.getByTestId('today-count')).toHaveText('1人次');
  await typed.fill(shortCode);
  await checker.getByRole('button', { name: '查询' }).click();
  await expect(checker.getByTestId('scan-result')).toHaveAttribute('data-colour', 'green');
  await checker.getByRole('button', { name: '36.5', exact: true }).click();
  await checker.getByRole('button', { name: '确认登记 36.5°C' }).click();
  // One person scanned twice is one visit: 1 人次, and the first reading is marked 已复测 with the new one.
  await expect(checker.getByTestId('recent-corrected')).toHaveText('已复测 36.5°C');
  await expect(checker.getByTestId('today-count')).toHaveText('1人次');
  await checker.getByTestId('today-count').scrollIntoViewIfNeeded();
  await checker.screenshot({ path: `${runDir}/screens/phone-door-summary-corrected.png`, fullPage: true });

  // The dashboard: the per-checker table says the same 1; no standing fever, one under 已复测正常.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/venue/stats');
  const row = page.getByTestId('table-checkers').getByRole('row').filter({ hasText: '口径门岗' });
  await expect(row.getByRole('cell').nth(1)).toHaveText('1');
  await expect(row.getByRole('cell').nth(2)).toHaveText('0');
  await expect(page.getByTestId('glance-checkins')).toContainText('1');
  await expect(page.getByTestId('glance-fevers')).toContainText('0');
  await expect(page.getByTestId('glance-fevers-total')).toContainText('0');
  await expect(page.getByTestId('fever-list')).toHaveCount(0);
  await expect(page.getByTestId('fever-kind-standing')).toHaveText('发热人次（0）');
  await expect(page.getByTestId('fever-kind-corrected')).toHaveText('已复测正常（1）');
  // Every gender and age group has fewer than 5: words, not empty axes.
  await expect(page.getByTestId('suppressed-gender')).toHaveText('数据较少，暂不显示');
  await expect(page.getByTestId('suppressed-ages')).toHaveText('数据较少，暂不显示');
  // The split by entrance: the main entrance holds the visit.
  await expect(page.getByTestId('entrance-row').first()).toContainText('主入口');
  await expect(page.getByTestId('entrance-row').first()).toContainText('1');
  await expect(page.locator('svg.recharts-surface').first()).toBeVisible({ timeout: 15_000 });
  await page.screenshot({ path: `${runDir}/screens/phone-stats-zh.png`, fullPage: true });

  await page.getByTestId('fever-kind-corrected').click();
  await expect(page.getByTestId('fever-list-corrected')).toContainText('38.8°C');
  await expect(page.getByTestId('fever-list-corrected')).toContainText('复测正常 36.5°C');
  await page.getByTestId('fever-list-corrected').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${runDir}/screens/phone-stats-corrected-zh.png`, fullPage: true });

  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto('/venue/stats');
  await expect(page.locator('svg.recharts-surface').first()).toBeVisible({ timeout: 15_000 });
  await page.screenshot({ path: `${runDir}/screens/desktop-stats-zh.png`, fullPage: true });

  await page.getByRole('button', { name: /切换语言/ }).click();
  await expect(page.getByTestId('fever-kind-corrected')).toHaveText('Re-measured normal (1)');
  await expect(page.getByTestId('suppressed-gender')).toHaveText('Too few to show');
  await page.screenshot({ path: `${runDir}/screens/desktop-stats-en.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(page.getByTestId('fever-kind-standing')).toHaveText('Fever check-ins (0)');
  await page.screenshot({ path: `${runDir}/screens/phone-stats-en.png`, fullPage: true });
  // Back to Chinese for whoever shares the cookie jar.
  await page.getByRole('button', { name: /Switch language/ }).click();
  await checkerCtx.close();
});
