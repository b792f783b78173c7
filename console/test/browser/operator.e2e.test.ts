// The peer operator's main path in a real browser: sign in at Oversight's console and read the
// gateway's readiness, every dependency named; no serious accessibility issue.
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import {
  expectAccessible,
  launchBrowser,
  newPage,
  provisionUser,
  screenshot,
  signIn,
} from './consoleBrowser';

describe('console e2e (browser): the peer operator reads the consortium health', function () {
  this.timeout(60_000);
  let browser: Browser;
  let page: Page;

  before(async () => {
    browser = await launchBrowser();
    page = await newPage(browser);
  });

  after(async () => {
    await browser.close();
  });

  it('shows each dependency of the gateway with its state', async () => {
    await signIn(page, 'Oversight', await provisionUser('Oversight', 'operator'));
    const rows = page.getByTestId('readiness-row');
    await rows.first().waitFor();
    const names = await rows.evaluateAll((trs) => trs.map((tr) => tr.querySelector('td')?.textContent));
    expect(names).to.include.members(['keycloakJwks', 'fabricPeer', 'postgres', 'mirror']);
    await expectAccessible(page, 'consortium health');
    await screenshot(page, 'operator-health');
  });
});
