import { expect, test, type Browser, type Page } from '@playwright/test';
import { signIn, uniquePhone } from './support/auth';
import { port, runDir, serverEnv } from './support/config';
import { newResident, registerPersonViaForm } from './support/persons';
import { setUpCheckerAtOwnVenue } from './support/venues';
import { startTcpProxy } from './support/tcp-proxy';

// The queue retries with back-off (capped at 15 s) once the network is back.
test.describe.configure({ timeout: 150_000 });
const SYNC_MS = 45_000;

async function resident(browser: Browser) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const person = newResident({ birthYear: 1979 });
  await signIn(page, uniquePhone(), '/me');
  await registerPersonViaForm(page, '/me/register', person);
  const shortCode = await page.getByTestId('short-code').innerText();
  await ctx.close();
  return { ...person, shortCode, masked: `${person.name[0]}${'*'.repeat(person.name.length - 1)}` };
}

/** The scanner through the proxy, its worker installed and the shell kept for offline use. */
async function openScannerOnline(page: Page, origin: string, venueId: string) {
  await page.goto(`${origin}/checker/scan?v=${venueId}`);
  await expect(page.getByTestId('door-connection')).toHaveAttribute('data-state', 'ok');
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  await expect.poll(() => page.evaluate(async () => Boolean(await caches.match('/checker/scan'))), { timeout: 30_000 }).toBe(true);
}

async function takeOffline(page: Page, shortCode: string, screenshot?: string) {
  await page.getByLabel('粤康码短码（10位）').fill(shortCode);
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page.getByTestId('scan-result')).toHaveAttribute('data-colour', 'unknown');
  await expect(page.getByTestId('scan-result')).toContainText('颜色未知 — 离线');
  await page.getByRole('button', { name: '36.5', exact: true }).click();
  if (screenshot) await page.screenshot({ path: `${runDir}/screens/${screenshot}` });
  await page.getByRole('button', { name: '确认登记 36.5°C' }).click();
  await expect(page.getByTestId('door-panel')).toHaveCount(0);
}

const pending = (page: Page) => page.getByTestId('queue-pending');

test('with the server unreachable: three records wait on the phone, survive a reload and a new tab, then are stored exactly once; a red code alerts as it syncs', async ({
  browser,
  page,
  request,
}) => {
  const people = [await resident(browser), await resident(browser), await resident(browser)];
  const red = people[2];
  const status = await request.post('/api/status-import', {
    headers: { authorization: `Bearer ${serverEnv.STATUS_IMPORT_API_KEY}` },
    data: {
      batchId: `offline-red-${Date.now()}-${Math.random()}`,
      items: [
        {
          idType: 'cn_resident',
          idNumber: red.idNumber,
          colour: 'red',
          reason: 'close_contact',
          asOf: new Date(Date.now() - 60_000).toISOString(),
        },
      ],
    },
  });
  expect(status.status()).toBe(200);
  await signIn(page, uniquePhone(), '/checker');
  const venue = await setUpCheckerAtOwnVenue(page);
  const proxy = await startTcpProxy(port);
  try {
    await openScannerOnline(page, proxy.origin, venue.venueId);
    await proxy.down();

    // A mistyped short code is refused on the phone itself, offline too: nothing is queued.
    const typo = people[0].shortCode.slice(0, 10) + (people[0].shortCode.endsWith('2') ? '3' : '2');
    await page.getByLabel('粤康码短码（10位）').fill(typo);
    await page.getByRole('button', { name: '查询' }).click();
    await expect(page.getByTestId('scan-error')).toContainText('短码有误');
    await expect(pending(page)).toHaveAttribute('data-count', '0');

    for (const [i, p] of people.entries()) await takeOffline(page, p.shortCode, i === 0 ? 'phone-door-offline-result.png' : undefined);
    await expect(pending(page)).toHaveAttribute('data-count', '3');
    await expect(page.getByTestId('door-connection')).toHaveAttribute('data-state', 'offline');
    await page.screenshot({ path: `${runDir}/screens/phone-door-offline.png`, fullPage: true });

    // The page opens again with no server: the shell comes from the worker, the records from the phone.
    await page.reload();
    await expect(pending(page)).toHaveAttribute('data-count', '3');
    const tab = await page.context().newPage();
    await tab.goto(`${proxy.origin}/checker/scan?v=${venue.venueId}`);
    await expect(tab.getByTestId('scanner-venue')).toHaveText(venue.name);
    await expect(pending(tab)).toHaveAttribute('data-count', '3');
    // The venue picker needs the server: offline it opens the scanner on the last venue.
    await tab.goto(`${proxy.origin}/checker`);
    await expect(tab.getByTestId('scanner-venue')).toHaveText(venue.name);
    await tab.close();

    await proxy.up();
    await expect(pending(page)).toHaveAttribute('data-count', '0', { timeout: SYNC_MS });
    await expect(page.getByTestId('queue-red-alert')).toContainText(red.masked);
    await page.screenshot({ path: `${runDir}/screens/phone-door-synced-red.png`, fullPage: true });
    const summary = await page.request.get(`/api/checkins/summary?venueId=${venue.venueId}`);
    expect((await summary.json()).count).toBe(3);
    await page.reload();
    await expect(page.getByTestId('today-count')).toHaveText('3人次');
  } finally {
    await proxy.down();
  }
});

test('records wait for their own checker: signing out warns first, and after signing in again they are sent', async ({ browser, page }) => {
  const person = await resident(browser);
  const phone = uniquePhone();
  await signIn(page, phone, '/checker');
  const venue = await setUpCheckerAtOwnVenue(page);
  const proxy = await startTcpProxy(port);
  try {
    await openScannerOnline(page, proxy.origin, venue.venueId);
    await proxy.down();
    await takeOffline(page, person.shortCode);
    await expect(pending(page)).toHaveAttribute('data-count', '1');

    // Leaving the scanner before it could send (the queue only sends from the scanner): sign-out warns.
    await page.goto('about:blank');
    await proxy.up();
    await page.goto(`${proxy.origin}/checker`);
    await page.getByRole('button', { name: '账号菜单' }).click();
    await page.getByRole('menuitem', { name: '退出登录' }).click();
    await expect(page.getByTestId('sign-out-waiting')).toContainText('1 条检测记录未上传');
    await page.screenshot({ path: `${runDir}/screens/phone-sign-out-waiting.png` });
    await page.getByRole('button', { name: '仍然退出' }).click();
    await page.waitForURL(/\/sign-in/);

    // Signed out: the scanner keeps the record and asks that checker to sign in again.
    await page.goto(`${proxy.origin}/checker/scan?v=${venue.venueId}`);
    await expect(page.getByTestId('queue-sign-in')).toContainText('1 条记录将自动上传');
    await expect(pending(page)).toHaveAttribute('data-count', '1');
    await page.screenshot({ path: `${runDir}/screens/phone-door-expired.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: `${runDir}/screens/desktop-door-expired.png`, fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    // The static shell follows the device's language choice.
    await page.context().addCookies([{ name: 'NEXT_LOCALE', value: 'en', url: proxy.origin }]);
    await page.reload();
    await expect(pending(page)).toHaveText('1 waiting to upload');
    await expect(page.getByTestId('queue-sign-in')).toContainText('the record on this phone will upload automatically');
    await page.screenshot({ path: `${runDir}/screens/phone-door-expired-en.png`, fullPage: true });
    await page.context().addCookies([{ name: 'NEXT_LOCALE', value: 'zh-CN', url: proxy.origin }]);

    await signIn(page, phone, '/checker');
    await page.goto(`${proxy.origin}/checker/scan?v=${venue.venueId}`);
    await expect(pending(page)).toHaveAttribute('data-count', '0', { timeout: SYNC_MS });
    await expect(page.getByTestId('today-count')).toHaveText('1人次');
  } finally {
    await proxy.down();
  }
});
