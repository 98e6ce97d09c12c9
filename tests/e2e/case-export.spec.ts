import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { expect, test, type Browser } from '@playwright/test';
import { signIn, uniquePhone } from './support/auth';
import { runDir } from './support/config';
import { newResident, registerPersonViaForm } from './support/persons';
import { sharedFacts, statePath } from './support/shared';

// #20 导出病例, in the Chinese UI: the (province) official opens a case for a resident who checked in just
// before another; from the case page they open the printable report (header, trajectory, the contact with
// full name and document number), print it to an A4 PDF, and download the CSV (BOM, the same contact).
// The PDF and screenshots go to the run folder for people to look at.
test.describe.configure({ timeout: 180_000 });
const out = path.join(runDir, 'screens', 'case-export');

async function resident(browser: Browser) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const who = newResident({ birthYear: 1984 });
  await signIn(page, uniquePhone(), '/me');
  await registerPersonViaForm(page, '/me/register', who);
  const shortCode = await page.getByTestId('short-code').innerText();
  await ctx.close();
  return { ...who, shortCode };
}

test('an official prints a case to an A4 PDF and downloads its CSV, the contact named in full', async ({ browser }) => {
  mkdirSync(out, { recursive: true });
  const facts = sharedFacts();
  const a = await resident(browser);
  const b = await resident(browser);

  // The shared checker records A, then B just after, at the shared venue (now: the binding is only minutes old).
  const checkerCtx = await browser.newContext({ storageState: statePath('checker') });
  for (const code of [a.shortCode, b.shortCode]) {
    const res = await checkerCtx.request.post('/api/checkins', {
      data: {
        clientId: randomUUID(),
        venueId: facts.venueId,
        method: 'typed',
        code,
        temperature: '36.6',
        scannedAt: Date.now(),
        clockOffsetMs: 0,
      },
    });
    expect(res.status(), await res.text()).toBe(201);
  }
  await checkerCtx.close();

  // The official opens the case, then its printable report from the case page.
  const ctx = await browser.newContext({ storageState: statePath('official'), acceptDownloads: true });
  const o = await ctx.newPage();
  await o.goto('/ops/cases');
  const form = o.getByTestId('case-open-form');
  await form.getByLabel('证件号码').fill(a.idNumber);
  await form.getByLabel('病例类别').selectOption('confirmed');
  await form.getByRole('button', { name: '登记病例' }).click();
  await o.waitForURL(/\/ops\/cases\/[0-9a-f-]{36}$/);
  const caseId = new URL(o.url()).pathname.split('/').pop()!;
  await o.getByRole('link', { name: '打印报告' }).click();
  await o.waitForURL(`**/ops/cases/${caseId}/print`);

  const sheet = o.getByTestId('case-print');
  await expect(sheet.getByRole('heading', { name: '病例流调报告', level: 1 })).toBeVisible();
  await expect(o.getByTestId('case-print-person')).toContainText(a.name);
  await expect(o.getByTestId('case-print-person')).toContainText(a.idNumber);
  await expect(o.getByTestId('case-print-visit')).toHaveCount(1);
  await expect(o.getByTestId('case-print-visit')).toContainText(facts.venueName);
  const contact = o.getByTestId('case-print-contact').filter({ hasText: b.name });
  await expect(contact).toContainText(b.idNumber);
  await expect(contact).toContainText('未判定');
  await o.screenshot({ path: path.join(out, 'print-phone.png'), fullPage: true });
  await o.setViewportSize({ width: 1280, height: 900 });
  await o.screenshot({ path: path.join(out, 'print-desktop.png'), fullPage: true });

  // Printed: A4, without the app's frame or the toolbar.
  await o.emulateMedia({ media: 'print' });
  await o.screenshot({ path: path.join(out, 'print-media.png'), fullPage: true });
  // The width of an A4 sheet's printable area (210 mm less 2 × 12 mm margins at 96 dpi).
  await o.setViewportSize({ width: 703, height: 994 });
  await o.screenshot({ path: path.join(out, 'print-a4.png'), fullPage: true });
  await o.setViewportSize({ width: 1280, height: 900 });
  const pdf = await o.pdf({ format: 'A4', path: path.join(out, 'case.pdf'), preferCSSPageSize: true });
  expect(pdf.length).toBeGreaterThan(1000);
  await o.emulateMedia({ media: 'screen' });

  // The CSV from the toolbar.
  const download = o.waitForEvent('download');
  await o.getByTestId('case-export-csv').click();
  const file = path.join(out, 'case.csv');
  await (await download).saveAs(file);
  const csv = readFileSync(file, 'utf8');
  expect(csv.startsWith('\uFEFF')).toBe(true);
  expect(csv).toContain('"行程轨迹"');
  expect(csv).toContain(`"${b.name}","内地居民身份证","${b.idNumber}"`);

  // The timeline says so: two exports (the print view and the CSV).
  await o.goto(`/ops/cases/${caseId}`);
  await expect(o.getByTestId('case-timeline')).toContainText('导出');
  await expect(o.getByTestId('case-export-links')).toBeVisible();
  await o.screenshot({ path: path.join(out, 'case-page-desktop.png') });
  await ctx.close();
});
