import { mkdirSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { signIn, uniquePhone } from './support/auth';
import { runDir } from './support/config';
import { newResident, registerPersonViaForm } from './support/persons';

// Issue #19, SPEC L1, on a phone in the Chinese UI: two accounts ask to add an adult who has their own
// account as family. The adult reads both requests in the inbox (关联申请), accepts one and refuses the
// other; each requester sees the outcome, and only the accepted one sees the adult's code.

test.describe.configure({ timeout: 180_000 });

const shots = path.join(runDir, 'consent-screens');
/** A phone screenshot, and a desktop-width one of the same state (for people to look at). */
async function shot(page: Page, name: string) {
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, `${name}-phone.png`), fullPage: true });
  const phone = page.viewportSize();
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: path.join(shots, `${name}-desktop.png`), fullPage: true });
  if (phone) await page.setViewportSize(phone);
}
/** No serious or critical accessibility violation in the state the page is in (as tests/e2e/a11y.spec.ts). */
async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
}
const masked = (name: string) => `${name[0]}${'*'.repeat(name.length - 1)}`;

async function signedIn(browser: Browser, to: string) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const phone = uniquePhone();
  await signIn(page, phone, to);
  return { page, phone, close: () => ctx.close() };
}

async function askToAdd(page: Page, person: { name: string; idNumber: string }) {
  await page.goto('/me/family/new');
  await page.getByLabel('姓名').fill(person.name);
  await page.getByLabel('证件号码').fill(person.idNumber);
  await page.getByRole('button', { name: '提交' }).click();
  await expect(page.getByTestId('link-requested')).toContainText('申请已发送，等待对方同意');
}

test('family link requests: the adult accepts one from the inbox and refuses the other; each requester sees the outcome', async ({
  browser,
}) => {
  const adult = await signedIn(browser, '/me');
  const me = newResident({ birthYear: 1972 });
  const personId = await registerPersonViaForm(adult.page, '/me/register', me);

  const son = await signedIn(browser, '/me');
  await askToAdd(son.page, me);
  await shot(son.page, 'family-new-requested');
  // Until accepted, the requester sees nothing of the person.
  await son.page.goto(`/me?p=${personId}`);
  await expect(son.page.getByTestId('health-code')).toHaveCount(0);
  await son.page.goto('/me/requests');
  const mine = son.page.getByTestId('request-outgoing');
  await expect(mine).toHaveCount(1);
  await expect(mine.getByTestId('request-status')).toHaveText('等待同意');
  await expect(mine).toContainText(masked(me.name));

  const stranger = await signedIn(browser, '/me');
  await askToAdd(stranger.page, me);

  // The adult's inbox: two requests, who asks by masked phone.
  await adult.page.goto('/inbox');
  const asks = adult.page.locator('[data-testid="inbox-item"][data-kind="link_request"]');
  await expect(asks).toHaveCount(2);
  const sonMasked = `${son.phone.slice(0, 3)}****${son.phone.slice(7)}`;
  const strangerMasked = `${stranger.phone.slice(0, 3)}****${stranger.phone.slice(7)}`;
  await expect(asks.filter({ hasText: sonMasked })).toContainText(`申请将 ${masked(me.name)} 添加为家庭成员，等待您同意`);
  await expect(asks.filter({ hasText: sonMasked }).getByTestId('inbox-state')).toHaveText('待处理');
  await shot(adult.page, 'inbox-link-requests');
  await asks.filter({ hasText: sonMasked }).getByRole('link').click();
  await adult.page.waitForURL(/\/me\/requests$/);

  const incoming = adult.page.getByTestId('request-incoming');
  await expect(incoming).toHaveCount(2);
  await shot(adult.page, 'requests-incoming');
  await expectAccessible(adult.page);
  await incoming.filter({ hasText: sonMasked }).getByTestId('request-accept').click();
  const dialog = adult.page.getByRole('alertdialog');
  await expect(dialog).toContainText(`同意后，${sonMasked} 将成为 ${masked(me.name)} 的监护人`);
  await shot(adult.page, 'requests-accept-dialog');
  await dialog.getByRole('button', { name: '同意' }).click();
  await expect(incoming.filter({ hasText: sonMasked }).getByTestId('request-status')).toHaveText('已同意');

  await incoming.filter({ hasText: strangerMasked }).getByTestId('request-refuse').click();
  await adult.page.getByRole('alertdialog').getByRole('button', { name: '拒绝' }).click();
  await expect(incoming.filter({ hasText: strangerMasked }).getByTestId('request-status')).toHaveText('已拒绝');
  await shot(adult.page, 'requests-answered');

  // 我的监护人 (linked from 我的粤康码): the son, by masked phone.
  await adult.page.goto(`/me?p=${personId}`);
  await shot(adult.page, 'me-own');
  await adult.page.getByRole('link', { name: '我的监护人' }).click();
  await adult.page.waitForURL(/\/me\/guardians$/);
  await expect(adult.page.getByTestId('guardian')).toHaveCount(1);
  await expect(adult.page.getByTestId('guardian')).toContainText(sonMasked);
  await shot(adult.page, 'guardians');
  await expectAccessible(adult.page);

  // The son is told and now sees the code.
  await son.page.goto('/inbox');
  await expect(son.page.locator('[data-kind="link_result"]')).toContainText(`您添加 ${masked(me.name)} 为家庭成员的申请已获同意`);
  await shot(son.page, 'inbox-link-accepted');
  await son.page.goto(`/me?p=${personId}`);
  await expect(son.page.getByTestId('health-code')).toBeVisible();
  // The person has an account of their own: the son may not re-issue their code.
  await expect(son.page.getByTestId('reissue-self-only')).toHaveText('该家庭成员已有自己的账号，只能由本人重新生成二维码。');
  await shot(son.page, 'me-family-with-own-account');
  await son.page.goto('/me/requests');
  await expect(son.page.getByTestId('request-outgoing').getByTestId('request-status')).toHaveText('已同意');

  // The stranger is told it was refused, and still sees nothing.
  await stranger.page.goto('/inbox');
  await expect(stranger.page.locator('[data-kind="link_result"]')).toContainText(`您添加 ${masked(me.name)} 为家庭成员的申请未获同意`);
  await stranger.page.goto('/me/requests');
  await expect(stranger.page.getByTestId('request-outgoing').getByTestId('request-status')).toHaveText('已拒绝');
  await shot(stranger.page, 'requests-outgoing-refused');
  await stranger.page.goto(`/me?p=${personId}`);
  await expect(stranger.page.getByTestId('health-code')).toHaveCount(0);

  // The adult removes the son again; the son is told.
  await adult.page.goto('/me/guardians');
  await adult.page.getByTestId('guardian-remove').click();
  await adult.page.getByRole('alertdialog').getByRole('button', { name: '移除' }).click();
  await expect(adult.page.getByTestId('guardians-empty')).toBeVisible();
  await son.page.goto('/inbox');
  await expect(son.page.locator('[data-kind="guardian_removed"]')).toContainText(`${masked(me.name)} 本人已解除您的监护关系`);
  await son.page.goto(`/me?p=${personId}`);
  await expect(son.page.getByTestId('health-code')).toHaveCount(0);

  await Promise.all([adult.close(), son.close(), stranger.close()]);
});
