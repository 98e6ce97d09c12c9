import { expect, test as setup } from '@playwright/test';
import { signIn, uniquePhone } from './support/auth';
import { serverEnv } from './support/config';
import { newResident, registerPersonViaForm } from './support/persons';
import { saveSharedFacts, statePath, type SharedRole } from './support/shared';
import { registerVenueViaForm } from './support/venues';

// Signs the shared accounts in once through the real form and saves their storage state: a plain user,
// a resident with a child, a venue admin, an active checker at that venue, and the health official.
setup('sign in the shared accounts', async ({ browser }) => {
  setup.setTimeout(180_000);
  const pages = {} as Record<SharedRole, Awaited<ReturnType<typeof newPage>>>;
  async function newPage() {
    const ctx = await browser.newContext();
    return ctx.newPage();
  }
  for (const role of ['user', 'resident', 'admin', 'checker', 'official'] as SharedRole[]) pages[role] = await newPage();

  await Promise.all([
    signIn(pages.user, uniquePhone(), '/'),
    signIn(pages.resident, uniquePhone(), '/me'),
    signIn(pages.admin, uniquePhone(), '/venue'),
    signIn(pages.checker, uniquePhone(), '/checker'),
    signIn(pages.official, serverEnv.HEALTH_OFFICIAL_PHONES, '/ops'),
  ]);

  const self = newResident({ birthYear: 1980 });
  const child = newResident({ birthYear: 2015 });
  const selfId = await registerPersonViaForm(pages.resident, '/me/register', self);
  const selfShortCode = await pages.resident.getByTestId('short-code').innerText();
  const childId = await registerPersonViaForm(pages.resident, '/me/family/new', child);

  const venue = await registerVenueViaForm(pages.admin);
  const checkerName = '东门-共享';
  await pages.checker.goto(`/join/${venue.code}`);
  await pages.checker.getByLabel('您的称呼').fill(checkerName);
  await pages.checker.getByRole('button', { name: '申请绑定' }).click();
  await expect(pages.checker.getByTestId('join-done')).toBeVisible();
  await pages.admin.goto('/venue/members');
  await pages.admin.getByTestId(`approve-${checkerName}`).click();
  await expect(pages.admin.getByTestId('members-active')).toContainText(checkerName);
  await pages.checker.goto('/checker');
  const href = await pages.checker.getByTestId('venue-choices').getByRole('link').first().getAttribute('href');
  const venueId = new URL(href!, 'http://x').searchParams.get('v')!;

  saveSharedFacts({
    selfId,
    selfShortCode,
    childId,
    residentNames: [self.name, child.name],
    inviteCode: venue.code,
    venueId,
    venueName: venue.name,
    checkerName,
  });
  for (const role of Object.keys(pages) as SharedRole[]) {
    await pages[role].context().storageState({ path: statePath(role) });
    await pages[role].context().close();
  }
});
