import { mkdirSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import postgres from 'postgres';
import { signIn, uniquePhone } from './support/auth';
import { e2eDatabase, runDir } from './support/config';
import { newResident, registerPersonViaForm } from './support/persons';
import { joinAndApprove } from './support/venues';

// #20 流调, the journey in the Chinese UI: a resident checks in at two venues (one in another district),
// another resident at one of them just after; an official of the first venue's district opens a case for
// the first, sees the trajectory (the other district's visit as a count with 移交) and the second resident
// as a contact, marks them; the second resident's code shows red with the close-contact guidance and an
// inbox notice, and a checker scanning them sees red. The official's district is granted by the database
// owner (the shared official is province-level; granting a district through the UI is the officials part).
test.skip(!e2eDatabase, 'needs the PostgreSQL server: the owner grants the official a district');
test.describe.configure({ timeout: 180_000 });

const shots = path.join(runDir, 'screens', 'tracing');

/** A signed-in checker at a fresh venue of `district` (a new admin registers it, the checker joins, the admin approves). */
async function checkerAt(browser: Browser, district: '440106' | '440104', venueName: string, checkerName: string) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await signIn(page, uniquePhone(), '/checker');
  const adminCtx = await browser.newContext();
  const admin = await adminCtx.newPage();
  await signIn(admin, uniquePhone(), '/venue');
  await admin.goto('/venue/register');
  await admin.getByLabel('场所名称').fill(venueName);
  await admin.getByLabel('场所类型').selectOption('retail');
  await admin.getByLabel('市', { exact: true }).selectOption('4401');
  await admin.getByLabel('区（县）').selectOption(district);
  const township = admin.getByLabel('镇（街道）');
  await expect(township.locator('option')).not.toHaveCount(1);
  await township.selectOption({ index: 1 });
  await admin.getByLabel('详细地址').fill('中山五路 1 号');
  await admin.getByLabel('联系电话').fill('020-83330000');
  await admin.getByRole('button', { name: '提交申报' }).click();
  await admin.waitForURL(/\/venue(\?notice=\w+)?$/);
  const code = (await admin.getByTestId('invite-code').innerText()).replace('-', '');
  await joinAndApprove(page, admin, code, checkerName);
  await adminCtx.close();
  await page.getByTestId('venue-choices').getByRole('link').first().click();
  await expect(page.getByTestId('scanner-venue')).toBeVisible();
  return { ctx, page };
}

/** The checker types a short code and records 36.5 (or only looks, when `record` is false); returns the colour shown. */
async function typeCode(door: Page, shortCode: string, record = true) {
  await door.getByLabel('粤康码短码（10位）').fill(shortCode);
  await door.getByRole('button', { name: '查询' }).click();
  const result = door.getByTestId('scan-result');
  await expect(result).toBeVisible();
  const colour = await result.getAttribute('data-colour');
  if (record && colour === 'green') {
    const count = door.getByTestId('today-count');
    const before = Number.parseInt(await count.innerText(), 10) || 0;
    await door.getByRole('button', { name: '36.5', exact: true }).click();
    await door.getByRole('button', { name: '确认登记 36.5°C' }).click();
    await expect(count).toHaveText(`${before + 1}人次`);
  }
  return colour;
}

async function resident(browser: Browser) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const who = newResident({ birthYear: 1979 });
  await signIn(page, uniquePhone(), '/me');
  const personId = await registerPersonViaForm(page, '/me/register', who);
  const shortCode = await page.getByTestId('short-code').innerText();
  return { ...who, personId, shortCode, ctx, page };
}

test('an official traces a case: trajectory, a contact marked red, their code and inbox, the door sees red', async ({ browser }) => {
  mkdirSync(shots, { recursive: true });
  const owner = postgres(e2eDatabase!.ownerUrl, { max: 1, onnotice: () => {} });
  try {
    const stamp = Date.now() % 100000;
    const tianhe = await checkerAt(browser, '440106', `天河流调超市${stamp}`, '天河门岗');
    const yuexiu = await checkerAt(browser, '440104', `越秀流调茶楼${stamp}`, '越秀门岗');
    const a = await resident(browser);
    const b = await resident(browser);

    // A checks in at both venues; B at the 天河 venue just after A.
    expect(await typeCode(tianhe.page, a.shortCode)).toBe('green');
    expect(await typeCode(yuexiu.page, a.shortCode)).toBe('green');
    expect(await typeCode(tianhe.page, b.shortCode)).toBe('green');

    // An official of 天河区 (440106).
    const officialCtx = await browser.newContext();
    const o = await officialCtx.newPage();
    const phone = uniquePhone();
    await signIn(o, phone, '/ops');
    const [acct] = await owner<{ id: string }[]>`select id from accounts where phone = ${phone}`;
    await owner`insert into account_roles (account_id, role, region_code) values (${acct.id}, 'health_official', '440106')`;

    await o.goto('/ops/cases');
    await expect(o.getByRole('heading', { name: '流调病例', level: 1 })).toBeVisible();
    const form = o.getByTestId('case-open-form');
    await form.getByLabel('证件号码').fill(a.idNumber);
    await form.getByLabel('病例类别').selectOption('confirmed');
    await form.getByRole('button', { name: '登记病例' }).click();
    await o.waitForURL(/\/ops\/cases\/[0-9a-f-]{36}$/);
    const caseUrl = o.url();

    await expect(o.getByTestId('case-person')).toContainText(a.name);
    await expect(o.getByTestId('case-person')).toContainText(a.idNumber);
    await expect(o.getByTestId('case-retention')).toContainText('病例关闭前，以下记录不会被清除');
    // A phone shows the trajectory as cards (a wider screen as a table).
    const visits = o.getByTestId('case-visit-card');
    await expect(visits).toHaveCount(2);
    const outside = visits.filter({ hasText: `越秀流调茶楼${stamp}` });
    await expect(outside).toContainText('辖区外');
    await expect(outside).toContainText('伴随人数 0 人');
    await expect(outside.getByTestId('case-handoff')).toBeVisible();
    const contact = o.getByTestId('case-contact').filter({ hasText: b.name });
    await expect(contact).toContainText(b.idNumber);
    await expect(o.getByTestId('case-checkers')).toContainText('天河门岗');
    await expect(o.getByTestId('case-timeline')).toContainText('登记病例');

    await contact.getByRole('checkbox').check();
    await o.getByTestId('case-mark').click();
    await expect(o.getByTestId('case-mark-done')).toContainText('已判定 1 人为密切接触者');
    await expect(contact).toContainText('已判定密接');
    await expect(o.getByTestId('case-timeline')).toContainText('判定密切接触者 1 人');

    const axe = await new AxeBuilder({ page: o }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
    await o.screenshot({ path: path.join(shots, 'case-phone.png'), fullPage: true });
    await o.setViewportSize({ width: 1280, height: 900 });
    await o.screenshot({ path: path.join(shots, 'case-desktop.png'), fullPage: true });
    await o.goto('/ops/cases');
    await o.screenshot({ path: path.join(shots, 'cases-desktop.png'), fullPage: true });
    await o.setViewportSize({ width: 390, height: 844 });
    await o.screenshot({ path: path.join(shots, 'cases-phone.png'), fullPage: true });

    // The audit viewer shows the reads of the case (every view of it is audited, SPEC T5) and the marking.
    await o.goto('/ops/audit?action=case.read');
    await expect(o.getByTestId('audit-row').filter({ hasText: '查看流调病例' }).first()).toBeVisible();
    await o.goto('/ops/audit?action=case.contacts_mark');
    await expect(o.getByTestId('audit-row').filter({ hasText: '判定密切接触者' }).first()).toBeVisible();

    // B's code is red with the close-contact guidance, and the inbox says why.
    await b.page.goto('/me');
    await expect(b.page.getByTestId('health-code')).toHaveAttribute('data-colour', 'red');
    await expect(b.page.getByTestId('red-reason')).toContainText('密切接触者');
    await expect(b.page.getByTestId('red-reason')).toContainText('请配合落实集中隔离医学观察');
    await b.page.goto('/inbox');
    const notice = b.page.locator('[data-testid="inbox-item"][data-kind="close_contact"]');
    await expect(notice).toContainText('您已被判定为密切接触者');

    // The door sees red.
    expect(await typeCode(tianhe.page, b.shortCode, false)).toBe('red');

    // Isolation ends: the official clears the case's contacts (asked first, in the page's dialog); B is green.
    await o.goto(caseUrl);
    await o.getByTestId('case-clear').click();
    const confirm = o.getByRole('alertdialog');
    await expect(confirm).toContainText('仍为本病例红码的人员将恢复绿码');
    await o.screenshot({ path: path.join(shots, 'case-clear-dialog-phone.png') });
    await confirm.getByRole('button', { name: '取消' }).click();
    await expect(contact).toContainText('已判定密接');
    await o.getByTestId('case-clear').click();
    await o
      .getByRole('alertdialog')
      .getByRole('button', { name: /^解除本病例全部密接/ })
      .click();
    await expect(o.getByTestId('case-timeline')).toContainText('解除密切接触者 1 人');
    await expect(contact).toContainText('已解除');
    await b.page.goto('/me');
    await expect(b.page.getByTestId('health-code')).toHaveAttribute('data-colour', 'green');

    // A resident is not an official: the case pages are refused.
    await a.page.goto('/ops/cases');
    await expect(a.page.getByTestId('ops-forbidden')).toBeVisible();
    await Promise.all([tianhe.ctx.close(), yuexiu.ctx.close(), a.ctx.close(), b.ctx.close(), officialCtx.close()]);
  } finally {
    await owner.end();
  }
});
