import { expect, test, type Page } from '@playwright/test';
import { signIn, uniquePhone } from './support/auth';
import { browserWithCameraShowing, tokenFor } from './support/camera';
import { port, runDir } from './support/config';
import { newResident, registerPersonViaForm } from './support/persons';
import { startTcpProxy } from './support/tcp-proxy';
import { setUpCheckerAtOwnVenue } from './support/venues';

// Issue #17, codes as of the scan: a code scanned offline, then re-issued by its holder before the phone
// syncs, is still stored (flagged) — the checker sees why; the old short code typed after the re-issue is
// refused and stays on screen, explained.
const FIRST_DECODE_MS = 40_000;
const SYNC_MS = 45_000;
// One retry, as for the door's other camera journeys: the first decode through the fake camera is what a loaded
// 2-core machine delays past 40 s (it did once, with vitest running beside CI).
test.describe.configure({ timeout: 180_000, retries: 1 });

const pending = (page: Page) => page.getByTestId('queue-pending');

test('an offline scan synced after the person re-issued their code is stored and shown flagged; the old code typed after the re-issue is refused, explained', async ({
  browser,
  page,
}) => {
  // The resident, in their own context (they re-issue their code later).
  const residentCtx = await browser.newContext();
  const resident = await residentCtx.newPage();
  const person = newResident({ birthYear: 1984 });
  await signIn(resident, uniquePhone(), '/me');
  const personId = await registerPersonViaForm(resident, '/me/register', person);
  const masked = `${person.name[0]}${'*'.repeat(person.name.length - 1)}`;
  const oldShortCode = await resident.getByTestId('short-code').innerText();

  // The checker; their phone's camera shows the resident's code as it is now (generation 1).
  await signIn(page, uniquePhone(), '/checker');
  const venue = await setUpCheckerAtOwnVenue(page);
  const state = await page.context().storageState();
  const cam = await browserWithCameraShowing(tokenFor(personId, 1));
  const proxy = await startTcpProxy(port);
  try {
    const ctx = await cam.newContext({
      storageState: state,
      viewport: { width: 390, height: 844 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const door = await ctx.newPage();
    await door.goto(`${proxy.origin}/checker/scan?v=${venue.venueId}`);
    await expect(door.getByTestId('door-connection')).toHaveAttribute('data-state', 'ok');
    await door.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await expect.poll(() => door.evaluate(async () => Boolean(await caches.match('/checker/scan'))), { timeout: 30_000 }).toBe(true);

    // The network goes; the scanner opens again from the phone and scans the code offline.
    await proxy.down();
    await door.reload();
    const result = door.getByTestId('scan-result');
    await expect(result).toHaveAttribute('data-colour', 'unknown', { timeout: FIRST_DECODE_MS });
    await door.getByRole('button', { name: '36.5', exact: true }).click();
    await door.getByRole('button', { name: '确认登记 36.5°C' }).click();
    await expect(pending(door)).toHaveAttribute('data-count', '1');

    // Meanwhile the holder re-issues their code (a lost printed code).
    await resident.goto(`/me?p=${personId}`);
    await resident.getByRole('button', { name: '重新生成二维码' }).click();
    await resident.getByRole('button', { name: '确定', exact: true }).click();
    await expect(resident.getByText('已重新生成，旧二维码已失效。')).toBeVisible();

    // After the re-issue, still offline, the old short code is typed (the camera ignores a code held in view).
    await door.getByLabel('粤康码短码（10位）').fill(oldShortCode);
    await door.getByRole('button', { name: '查询' }).click();
    await expect(result).toHaveAttribute('data-colour', 'unknown');
    await door.getByRole('button', { name: '36.6', exact: true }).click();
    await door.getByRole('button', { name: '确认登记 36.6°C' }).click();
    await expect(pending(door)).toHaveAttribute('data-count', '2');

    // Back online: the queue sends both. The first is stored, flagged; the second is refused and stays.
    await proxy.up();
    await expect(pending(door)).toHaveAttribute('data-count', '0', { timeout: SYNC_MS });
    const flagged = door.getByTestId('queue-flagged-item');
    await expect(flagged).toHaveCount(1);
    await expect(flagged).toHaveAttribute('data-flags', 'codeReissued');
    await expect(flagged).toContainText(masked);
    await expect(flagged).toContainText('36.5°C');
    await expect(flagged).toContainText('已记录（补传：扫码后此码已更新）');
    await expect(door.getByTestId('queue-rejected-reason')).toHaveAttribute('data-reason', 'superseded');
    await expect(door.getByTestId('queue-rejected')).toContainText('未登记：扫码时此码已作废');
    // The camera still shows the old code (held in view, it is not taken again).
    if (await door.getByTestId('door-panel').isVisible()) await door.getByRole('button', { name: '取消（不登记）' }).click();
    await expect(door.getByTestId('door-panel')).toHaveCount(0);
    const summary = await door.request.get(`${proxy.origin}/api/checkins/summary?venueId=${venue.venueId}`);
    expect((await summary.json()).count).toBe(1);
    await door.screenshot({ path: `${runDir}/screens/phone-door-flagged.png`, fullPage: true });
    await door.setViewportSize({ width: 1280, height: 900 });
    await door.screenshot({ path: `${runDir}/screens/desktop-door-flagged.png`, fullPage: true });
    await door.setViewportSize({ width: 390, height: 844 });
    // English, as the careful translation reads.
    await ctx.addCookies([{ name: 'NEXT_LOCALE', value: 'en', url: proxy.origin }]);
    await door.reload();
    // Both notes stay after a reload until the checker has read them.
    await expect(door.getByTestId('queue-flagged-item')).toContainText('Recorded (uploaded late: the code was renewed after the scan)');
    await expect(door.getByTestId('queue-rejected')).toContainText('Not recorded: this code had already been replaced');
    if (await door.getByTestId('door-panel').isVisible()) await door.getByRole('button', { name: /Cancel/ }).click();
    await door.screenshot({ path: `${runDir}/screens/phone-door-flagged-en.png`, fullPage: true });
    await door.getByTestId('queue-flagged-item').getByRole('button').click();
    await expect(door.getByTestId('queue-flagged')).toHaveCount(0);
    await cam.close();
  } finally {
    await proxy.down();
    await cam.close().catch(() => undefined);
  }
  await residentCtx.close();
});
