import { expect, test } from '@playwright/test';
import { signIn, uniquePhone } from './support/auth';
import { serverEnv } from './support/config';
import { newResident, registerPersonViaForm } from './support/persons';
import { statePath } from './support/shared';

const importKey = serverEnv.STATUS_IMPORT_API_KEY;

test('a resident registers with a valid ID and sees a green code; a wrong check digit is refused', async ({ page }) => {
  await signIn(page, uniquePhone(), '/me');
  await expect(page.getByRole('heading', { name: '还没有登记身份信息' })).toBeVisible();
  const me = newResident();

  await page.goto('/me/register');
  await page.getByLabel('姓名').fill(me.name);
  const last = me.idNumber[17];
  const wrong = me.idNumber.slice(0, 17) + (last === '1' ? '2' : '1');
  await page.getByLabel('证件号码').fill(wrong);
  await page.getByRole('button', { name: '提交' }).click();
  await expect(page.getByText('证件号码校验位不正确，请核对后重新输入。')).toBeVisible();
  await expect(page.getByLabel('证件号码')).toHaveValue(wrong);

  await page.getByLabel('证件号码').fill(me.idNumber);
  await page.getByRole('button', { name: '提交' }).click();
  await page.waitForURL(/\/me\?p=/);
  const code = page.getByTestId('health-code');
  await expect(code).toHaveAttribute('data-colour', 'green');
  await expect(code.getByText('绿码')).toBeVisible();
  await expect(code.getByRole('heading')).toHaveText(`${me.name[0]}${'*'.repeat(me.name.length - 1)}`);
  await expect(page.getByTestId('short-code')).toHaveText(/^[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}$/);
  // The page never shows the full ID number.
  await expect(page.locator('body')).not.toContainText(me.idNumber);

  // The opening was logged (亮码记录).
  await page.getByRole('link', { name: '亮码记录' }).click();
  await expect(page.getByTestId('display-log').getByText('出示粤康码').first()).toBeVisible();
});

test('two guardians share a child; codes switch; the offline code prints', async ({ browser }) => {
  const parentA = await browser.newContext();
  const parentB = await browser.newContext();
  const a = await parentA.newPage();
  const b = await parentB.newPage();
  const child = newResident({ birthYear: 2016 });

  await signIn(a, uniquePhone(), '/me');
  const selfId = await registerPersonViaForm(a, '/me/register', newResident({ birthYear: 1985 }));
  const childId = await registerPersonViaForm(a, '/me/family/new', child);
  await expect(a.getByRole('link', { name: /家庭成员/ }).filter({ hasText: child.name })).toHaveAttribute('aria-current', 'page');
  await a.getByRole('navigation', { name: '切换家庭成员' }).getByRole('link', { name: /本人/ }).click();
  await expect(a).toHaveURL(new RegExp(`p=${selfId}`));

  // Parent B adds the same child: a wrong name is refused as for any document; the right one asks parent A
  // (SPEC L1), and B sees the child only once A accepts.
  await signIn(b, uniquePhone(), '/me');
  await b.goto('/me/family/new');
  await b.getByLabel('姓名').fill(`${child.name}不符`);
  await b.getByLabel('证件号码').fill(child.idNumber);
  await b.getByRole('button', { name: '提交' }).click();
  await expect(b.getByRole('main').getByRole('alert')).toHaveText('实名核验未通过：证件号码与姓名不一致，请核对后重试。');
  await b.getByLabel('姓名').fill(child.name);
  await b.getByRole('button', { name: '提交' }).click();
  await expect(b.getByTestId('link-requested')).toContainText('申请已发送，等待对方同意');
  await b.goto(`/me?p=${childId}`);
  await expect(b.getByTestId('health-code')).toHaveCount(0);

  await a.goto('/me/requests');
  await a.getByTestId('request-incoming').first().getByTestId('request-accept').click();
  await a.getByRole('alertdialog').getByRole('button', { name: '同意' }).click();
  await expect(a.getByTestId('request-incoming').first().getByTestId('request-status')).toHaveText('已同意');

  await b.goto(`/me?p=${childId}`);
  await expect(b.getByTestId('short-code')).toHaveText(
    await a.goto(`/me?p=${childId}`).then(() => a.getByTestId('short-code').innerText()),
  );

  // The child (a minor) has an offline code to print; B may print it, a stranger may not.
  await b.getByRole('link', { name: '保存/打印离线实体码' }).click();
  await expect(b.getByTestId('offline-code')).toBeVisible();
  await expect(b.getByRole('button', { name: '打印' })).toBeVisible();
  const png = await b.request.get(`/me/print/${childId}/png`);
  expect(png.status()).toBe(200);
  expect(png.headers()['content-type']).toBe('image/png');

  const stranger = await browser.newContext();
  const s = await stranger.newPage();
  await signIn(s, uniquePhone(), '/me');
  expect((await s.request.get(`/me/print/${childId}/png`)).status()).toBe(404);
  await s.goto(`/me/print/${childId}`);
  await expect(s.getByTestId('offline-code')).toHaveCount(0);
  await s.goto(`/me?p=${childId}`);
  await expect(s.getByTestId('health-code')).toHaveCount(0);
  await Promise.all([parentA.close(), parentB.close(), stranger.close()]);
});

test('an official sets red with a reason and the resident sees red with guidance', async ({ browser }) => {
  const residentCtx = await browser.newContext();
  // The official is the shared account (signed in once by the setup project).
  const officialCtx = await browser.newContext({ storageState: statePath('official') });
  const r = await residentCtx.newPage();
  const o = await officialCtx.newPage();
  const me = newResident();
  await signIn(r, uniquePhone(), '/me');
  await registerPersonViaForm(r, '/me/register', me);

  // A resident is refused the ops page.
  await r.goto('/ops');
  await expect(r.getByTestId('ops-forbidden')).toBeVisible();

  await o.goto('/ops');
  await o.getByLabel('证件号码').fill(me.idNumber);
  await o.getByLabel('查询事由（必填）').fill('核实红码');
  await o.getByRole('button', { name: '查询' }).click();
  const result = o.getByTestId('ops-result');
  await expect(result.getByText(me.name)).toBeVisible();
  await expect(o.getByTestId('ops-current')).toHaveText('绿码');
  await result.getByRole('radio', { name: '红码' }).check();
  await result.getByRole('button', { name: '保存' }).click();
  await expect(o.getByRole('main').getByRole('alert').first()).toHaveText('设为红码时必须选择原因。');
  await result.getByLabel('红码原因').selectOption('close_contact');
  await result.getByRole('button', { name: '保存' }).click();
  await expect(o.getByTestId('ops-current')).toHaveText('红码 · 密切接触者');

  await r.goto('/me');
  await expect(r.getByTestId('health-code')).toHaveAttribute('data-colour', 'red');
  await expect(r.getByTestId('red-reason')).toContainText('红码原因：密切接触者');
  await expect(r.getByTestId('red-reason')).toContainText('请配合落实集中隔离医学观察');
  await Promise.all([residentCtx.close(), officialCtx.close()]);
});

test('the status API: a batch with one bad item changes nothing; a status sent before registration applies', async ({ page, request }) => {
  const early = newResident();
  const other = newResident();
  const batchId = `e2e-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const asOf = new Date(Date.now() - 3600_000).toISOString();
  const good = { idType: 'cn_resident', idNumber: early.idNumber, colour: 'red', reason: 'home_isolation', asOf };
  const bad = {
    idType: 'cn_resident',
    idNumber: other.idNumber.slice(0, 17) + (other.idNumber[17] === '1' ? '2' : '1'),
    colour: 'red',
    reason: 'suspected',
    asOf,
  };
  const headers = { authorization: `Bearer ${importKey}` };

  expect(
    (await request.post('/api/status-import', { data: { batchId, items: [good] }, headers: { authorization: 'Bearer wrong' } })).status(),
  ).toBe(401);
  const refused = await request.post('/api/status-import', { data: { batchId, items: [good, bad] }, headers });
  expect(refused.status()).toBe(422);
  expect((await refused.json()).items[0].index).toBe(1);

  // Nothing was stored: registering now shows green.
  await signIn(page, uniquePhone(), '/me');
  await registerPersonViaForm(page, '/me/register', early);
  await expect(page.getByTestId('health-code')).toHaveAttribute('data-colour', 'green');

  const accepted = await request.post('/api/status-import', {
    data: { batchId: `${batchId}-2`, items: [{ ...good, idNumber: other.idNumber }] },
    headers,
  });
  expect(accepted.status()).toBe(200);
  expect(await accepted.json()).toMatchObject({ accepted: 1, replayed: false });
  const again = await request.post('/api/status-import', {
    data: { batchId: `${batchId}-2`, items: [{ ...good, idNumber: other.idNumber }] },
    headers,
  });
  expect(await again.json()).toMatchObject({ accepted: 1, replayed: true });

  // `other` registers after the status arrived: their code is red at once.
  await page.context().clearCookies();
  await signIn(page, uniquePhone(), '/me');
  await registerPersonViaForm(page, '/me/register', other);
  await expect(page.getByTestId('health-code')).toHaveAttribute('data-colour', 'red');
  await expect(page.getByTestId('red-reason')).toContainText('居家隔离人员');
});
