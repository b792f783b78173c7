// The arbiter's main path in a real browser: sign in at Oversight's console with password and a
// one-time code, find the disputed escrow in the queue with its evidence hashes, resolve it with a
// split after a confirmation in a modal dialog, and read the payouts the ledger computed; no serious accessibility issue.
import { paymentSucceededDelivery } from '@p2p-escrow/payments';
import { as, createRequest, eventually, payThroughProvider, uniqueEscrowId } from '@p2p-escrow/testkit';
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

describe('console e2e (browser): the arbiter resolves a dispute from the queue', function () {
  this.timeout(180_000);
  const escrowId = uniqueEscrowId('console-dispute', 'e2e');
  const route = `/v1/escrows/${escrowId}`;
  const evidence = 'c'.repeat(64);
  let browser: Browser;
  let page: Page;

  before(async () => {
    expect((await as('marketa-backend', 'POST', '/v1/escrows', createRequest(escrowId))).status).to.equal(
      201,
    );
    expect((await as('bea', 'POST', `${route}/accept`, {})).status).to.equal(200);
    const paid = await payThroughProvider(escrowId, 'marketa-backend', paymentSucceededDelivery, ['bea']);
    expect(paid.delivery.status, paid.delivery.text).to.equal(200);
    expect(
      (await as('bea', 'POST', `${route}/ship`, { carrier: 'UPS', trackingRef: '1Z1' })).status,
    ).to.equal(200);
    const disputed = await as('alice', 'POST', `${route}/dispute`, {
      reason: 'not as described',
      evidenceHashes: [evidence],
    });
    expect(disputed.status, disputed.text).to.equal(200);
    await eventually("the disputed escrow in the arbiter's queue", async () => {
      const queue = await as('olivia', 'GET', '/v1/escrows?state=DISPUTED&pageSize=50');
      const ids = (queue.body['records'] as { escrowId: string }[] | undefined)?.map(
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

  it('shows the disputed escrow in the queue with its reason and evidence hash', async () => {
    await signIn(page, 'Oversight', await provisionUser('Oversight', 'arbiter'));
    const dispute = page.getByRole('article', { name: escrowId });
    await dispute.waitFor();
    expect(await dispute.textContent())
      .to.include('not as described')
      .and.include(evidence);
    await expectAccessible(page, 'dispute queue');
  });

  it('resolves with a split after a confirmation and shows the ledger’s payouts', async () => {
    const dispute = page.getByRole('article', { name: escrowId });
    await dispute.getByLabel(/Buyer's refund/).fill('23.45');
    await dispute.getByRole('button', { name: 'Resolve…' }).click();
    const confirmation = dispute.getByRole('alertdialog');
    expect(await confirmation.textContent()).to.include('23.45 EUR');
    // The modal dialog takes the focus while it is open.
    await page.waitForFunction(() => document.activeElement?.closest('[role="alertdialog"]') != null);
    await expectAccessible(page, 'confirmation dialog');
    await screenshot(page, 'arbiter-confirmation');
    await confirmation.getByRole('button', { name: 'Confirm resolution' }).click();
    const payouts = dispute.getByRole('status');
    await payouts.waitFor();
    // Fee 2.5 % of the seller's share (as the chaincode splits it): 10 000 → 250, buyer 2 345 back.
    expect(await payouts.textContent())
      .to.include('23.45 EUR')
      .and.include('97.50 EUR')
      .and.include('2.50 EUR');
    await expectAccessible(page, 'resolution');
    await screenshot(page, 'arbiter-resolved');
    const escrow = await as('olivia', 'GET', route);
    expect(escrow.body).to.include({ state: 'RESOLVED', buyerRefund: '2345' });
  });
});
