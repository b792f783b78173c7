// The marketplace operator's main path in a real browser: sign in at MarketA's console (no one-time
// code: the realm asks it of arbiters and auditors only), see the marketplace's escrows, its webhook
// subscriptions and its failed deliveries; no serious accessibility issue.
import { as, createRequest, eventually, uniqueEscrowId } from '@p2p-escrow/testkit';
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

describe('console e2e (browser): the marketplace operator sees its escrows and webhooks', function () {
  this.timeout(120_000);
  const escrowId = uniqueEscrowId('console-market', 'e2e');
  let browser: Browser;
  let page: Page;

  before(async () => {
    const created = await as('marketa-backend', 'POST', '/v1/escrows', createRequest(escrowId));
    expect(created.status, created.text).to.equal(201);
    await eventually("the escrow in MarketA's search", async () => {
      const found = await as('marketa-backend', 'GET', '/v1/escrows?pageSize=50');
      const ids = (found.body['records'] as { escrowId: string }[] | undefined)?.map(
        (escrow) => escrow.escrowId,
      );
      return ids?.includes(escrowId) === true ? true : undefined;
    });
    browser = await launchBrowser();
    page = await newPage(browser);
  });

  after(async () => {
    await browser.close();
  });

  it('shows the marketplace page alone, with its escrows, subscriptions and failed deliveries', async () => {
    await signIn(page, 'MarketA', await provisionUser('MarketA', 'marketplace'));
    expect(
      await page.getByRole('navigation', { name: 'pages' }).getByRole('button').allTextContents(),
    ).to.deep.equal(['Marketplace']);
    await page.getByRole('cell', { name: escrowId }).waitFor();
    await page.getByRole('heading', { name: 'Webhook subscriptions' }).waitFor();
    await page.getByRole('heading', { name: 'Failed deliveries' }).waitFor();
    await expectAccessible(page, 'marketplace page');
    await screenshot(page, 'marketplace');
  });
});
