import { expect, type Page } from '@playwright/test';
import { sinkUrl } from './config';
import { recordSeeded } from './seeded';

let counter = 0;
/** A phone number no other test uses in this run. */
export function uniquePhone(): string {
  counter += 1;
  const worker = Number(process.env.TEST_PARALLEL_INDEX ?? 0);
  const tail = `${worker}${String(counter).padStart(3, '0')}${String(Date.now() % 10_000).padStart(4, '0')}`;
  const phone = `139${tail.slice(-8)}`;
  recordSeeded({ phone });
  return phone;
}

/** The latest code the capture server received for a phone, waiting for it to arrive. */
export async function latestCode(phone: string, previous?: string | null): Promise<string> {
  let code: string | null = null;
  await expect
    .poll(async () => {
      const res = await fetch(`${sinkUrl}/codes/${phone}`);
      code = ((await res.json()) as { latest: string | null }).latest;
      return code !== null && code !== previous;
    })
    .toBe(true);
  return code!;
}

export async function requestCode(page: Page, phone: string) {
  await page.getByLabel(/手机号码|Mobile number/).fill(phone);
  await page.getByRole('button', { name: /获取验证码|Get code/ }).click();
  await expect(page.getByRole('status')).toContainText(/验证码已发送|A code was sent/);
}

/** Signs in through the real form with a code read from the capture server. */
export async function signIn(page: Page, phone: string, callbackUrl = '/') {
  const before = await fetch(`${sinkUrl}/codes/${phone}`).then((r) => r.json() as Promise<{ latest: string | null }>);
  await page.goto(`/sign-in?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  await requestCode(page, phone);
  const code = await latestCode(phone, before.latest);
  await page.getByLabel(/短信验证码|SMS code/).fill(code);
  await page.getByRole('button', { name: /^(登录|Sign in)$/ }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
}
